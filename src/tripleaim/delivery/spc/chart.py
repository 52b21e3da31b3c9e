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

import altair as alt
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
    data = pd.DataFrame(
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
