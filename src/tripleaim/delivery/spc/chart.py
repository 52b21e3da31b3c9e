"""An XmR chart of one KPI as an Altair specification, in Making Data Count's colours.

Points are grey for common cause, blue for special cause improvement, orange for
concern and purple for a signal on a KPI where neither direction is better; the
centre line is solid, the process limits dashed, the target red and the trajectory
dotted. Lines break at a rebase (NHSRplotthedots' default ``break_lines = "both"``);
``break_lines=False`` draws them continuous as the Excel tool does. The capability
builds the specification; the report and web pages render it to SVG.

References:
    NHS England and NHS Improvement. Making Data Count (2019).
    NHS-R Community. NHSRplotthedots 0.2.2, ``ptd_create_ggplot``, ``ptd_spc_colours``.
"""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from tripleaim.delivery.spc.icons_svg import BLUE, GREY, ORANGE, PURPLE, RED

POINT_LABELS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Improvement",
    "special_cause_concern": "Concern",
    "special_cause_neutral_high": "Neither (high)",
    "special_cause_neutral_low": "Neither (low)",
}
POINT_COLOURS = (GREY, BLUE, ORANGE, PURPLE, PURPLE)


def _rows(points: pd.DataFrame, *, break_lines: bool) -> pd.DataFrame:
    """The chart's data: one row per point, in the columns the layers encode."""
    return pd.DataFrame(
        {
            "date": pd.to_datetime(points["x"]).dt.strftime("%Y-%m-%d"),
            "value": points["y"].to_numpy(dtype=float),
            "mean": points["mean_col"].to_numpy(dtype=float),
            "lower": points["lpl"].to_numpy(dtype=float),
            "upper": points["upl"].to_numpy(dtype=float),
            "target": points["target"].to_numpy(dtype=float),
            "trajectory": points["trajectory"].to_numpy(dtype=float),
            "segment": points["rebase_group"].to_numpy() if break_lines else 0,
            "kind": points["point_type"].astype(str).map(POINT_LABELS).to_numpy(),
        }
    )


@functools.lru_cache(maxsize=64)
def _template(key: str) -> str:
    """The Vega-Lite JSON of a chart shape, built once by Altair from a stand-in point."""
    unit, target, trajectory, width, height = json.loads(key)
    stand_in = pd.DataFrame(
        {
            "x": ["2020-01-01"],
            "y": [1.0],
            "mean_col": [1.0],
            "lpl": [0.0],
            "upl": [2.0],
            "target": [1.0 if target else np.nan],
            "trajectory": [1.0 if trajectory else np.nan],
            "rebase_group": [0],
            "point_type": ["common_cause"],
        }
    )
    chart = spc_chart(stand_in, "", unit=unit, width=width, height=height)
    return json.dumps(chart.to_dict())


def spc_spec(
    points: pd.DataFrame,
    title: str,
    *,
    unit: str = "",
    break_lines: bool = True,
    width: int = 520,
    height: int = 220,
) -> dict[str, Any]:
    """The Vega-Lite specification of :func:`spc_chart`, fast for many KPIs.

    Altair validates every encoding as it builds a chart (about 0.3 s a chart); a
    report with dozens of KPIs builds each chart shape once and puts each KPI's rows
    into a copy of it.
    """
    rows = _rows(points, break_lines=break_lines)
    key = json.dumps(
        [
            unit,
            bool(rows["target"].notna().any()),
            bool(rows["trajectory"].notna().any()),
            width,
            height,
        ]
    )
    spec: dict[str, Any] = json.loads(_template(key))
    records = json.loads(rows.to_json(orient="records"))
    spec["datasets"] = {name: copy.deepcopy(records) for name in spec["datasets"]}
    spec["title"] = title
    return spec


def spc_chart(
    points: pd.DataFrame,
    title: str,
    *,
    unit: str = "",
    break_lines: bool = True,
    width: int = 520,
    height: int = 220,
) -> alt.LayerChart:
    """The XmR chart of one KPI's rows of :func:`tripleaim.delivery.spc.xmr` output."""
    data = _rows(points, break_lines=break_lines)
    base = alt.Chart(data, title=title, width=width, height=height)
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=-45))
    y_title = unit or "Value"
    line = base.mark_line(color=GREY, strokeWidth=1.5).encode(
        x=x, y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False))
    )
    dots = base.mark_circle(size=45, opacity=1).encode(
        x=x,
        y="value:Q",
        color=alt.Color(
            "kind:N",
            scale=alt.Scale(
                domain=list(POINT_LABELS.values()), range=list(POINT_COLOURS)
            ),
            title=None,
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=["date:T", "value:Q", "kind:N"],
    )
    layers: list[alt.Chart] = [line]
    for field, dash, colour in (
        ("mean", [], "#212b32"),
        ("lower", [5, 4], "#425563"),
        ("upper", [5, 4], "#425563"),
    ):
        layers.append(
            base.mark_line(color=colour, strokeDash=dash, strokeWidth=1.2).encode(
                x=x, y=f"{field}:Q", detail="segment:N"
            )
        )
    if data["target"].notna().any():
        layers.append(
            base.mark_line(color=RED, strokeWidth=1.5).encode(x=x, y="target:Q")
        )
    if data["trajectory"].notna().any():
        layers.append(
            base.mark_line(color=RED, strokeDash=[2, 3], strokeWidth=1.5).encode(
                x=x, y="trajectory:Q"
            )
        )
    layers.append(dots)
    chart: alt.LayerChart = alt.layer(*layers).configure_view(stroke=None)
    return chart
