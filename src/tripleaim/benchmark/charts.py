"""Charts of the deep-dive pack: Altair (Vega-Lite) rendered to SVG by vl-convert.

Server-side SVG prints, goes into the PDF as it is and needs no script in a page.
Every chart has the table it is drawn from beside it in the pack and workbook.
"""

from __future__ import annotations

import json

import altair as alt
import numpy as np
import pandas as pd
import vl_convert as vlc

from tripleaim.benchmark.opportunity import Z95

__all__ = ["funnel_chart", "funnel_limits", "peer_chart", "trend_chart"]

NHS_BLUE, NHS_DARK, NHS_GREY, NHS_WARM = "#005eb8", "#003087", "#768692", "#ed8b00"
WIDTH = 460


def _svg(chart: alt.TopLevelMixin) -> str:
    spec = (
        chart.configure_view(stroke=None)
        .configure_axis(labelFontSize=11, titleFontSize=12)
        .to_dict()
    )
    return str(vlc.vegalite_to_svg(json.loads(json.dumps(spec))))


def peer_chart(rows: pd.DataFrame, area_code: str, title: str) -> str:
    """The area and its peers with 95% intervals, and lines at the peer mean and Best 5.

    Args:
        rows: ``area_code``, ``area_name``, ``value``, ``lower_95``, ``upper_95``,
            ``peer_mean`` and ``best5_mean`` (the last two from the area's row).
        area_code: The area the pack is about (drawn in blue).
        title: Chart title.
    """
    data = rows.dropna(subset=["value"]).copy()
    if data.empty:
        return ""
    data["who"] = np.where(data["area_code"] == area_code, "This area", "Peer")
    mine = rows[rows["area_code"] == area_code]
    order = data.sort_values("value")["area_name"].tolist()
    y = alt.Y("area_name:N", sort=order, title=None)
    base = alt.Chart(data, title=title, width=WIDTH, height=max(120, 22 * len(data)))
    bars = base.mark_rule(color=NHS_GREY).encode(
        y=y,
        x=alt.X("lower_95:Q", title="Value", scale=alt.Scale(zero=False)),
        x2="upper_95:Q",
    )
    points = base.mark_point(filled=True, size=70).encode(
        y=y,
        x="value:Q",
        color=alt.Color(
            "who:N",
            scale=alt.Scale(domain=["This area", "Peer"], range=[NHS_BLUE, NHS_GREY]),
            title=None,
        ),
    )
    layers: list[alt.Chart] = [bars, points]
    if not mine.empty:
        lines = pd.DataFrame(
            {
                "benchmark": ["Peer mean", "Best 5"],
                "at": [mine["peer_mean"].iloc[0], mine["best5_mean"].iloc[0]],
            }
        ).dropna()
        layers.append(
            alt.Chart(lines)
            .mark_rule(strokeDash=[4, 3])
            .encode(
                x="at:Q",
                color=alt.Color(
                    "benchmark:N",
                    scale=alt.Scale(
                        domain=["Peer mean", "Best 5"], range=[NHS_DARK, NHS_WARM]
                    ),
                    title=None,
                ),
            )
        )
    return _svg(alt.layer(*layers).resolve_scale(color="independent"))


def funnel_limits(
    centre: float, sizes: np.ndarray, method: str, multiplier: float
) -> pd.DataFrame:
    """95% and 99.8% funnel limits around ``centre`` at each size (normal approximation).

    Proportions: ``centre +/- z sqrt(centre (multiplier - centre) / n)``; rates,
    ratios and spend (Poisson events): ``centre +/- z centre / sqrt(size)`` with size the
    events expected at the centre (Spiegelhalter 2005, doi:10.1002/sim.1970).
    """
    xs = np.asarray(sizes, dtype=float)
    if method == "proportion":
        sd = np.sqrt(np.clip(centre * (multiplier - centre), 0, None) / xs)
    else:
        sd = max(centre, 0.0) / np.sqrt(xs)
    return pd.DataFrame(
        {
            "size": xs,
            "lower_95": centre - Z95 * sd,
            "upper_95": centre + Z95 * sd,
            "lower_99_8": centre - 3.090232306167813 * sd,
            "upper_99_8": centre + 3.090232306167813 * sd,
        }
    )


def funnel_chart(
    rows: pd.DataFrame, area_code: str, title: str, method: str, multiplier: float
) -> str:
    """Every area of the level against its size, with funnel limits around the mean.

    Args:
        rows: ``area_code``, ``value``, ``numerator``, ``denominator`` and ``events``
            of every area.
        area_code: The area drawn in blue.
        title: Chart title.
        method: The measure's method (``proportion`` uses the denominator as size).
        multiplier: The measure's multiplier.
    """
    data = rows.dropna(subset=["value", "numerator"]).copy()
    data = data[(data["value"] > 0) & (data["numerator"] > 0)]
    if len(data) < 3:
        return ""
    data["size"] = (
        data["denominator"]
        if method == "proportion"
        else data["numerator"] / data["value"]
    )
    centre = float(np.average(data["value"], weights=data["size"]))
    grid = np.geomspace(data["size"].min(), data["size"].max(), 60)
    limits = funnel_limits(centre, grid, method, multiplier).melt(
        "size", var_name="limit", value_name="at"
    )
    data["who"] = np.where(data["area_code"] == area_code, "This area", "Other areas")
    x = alt.X(
        "size:Q",
        scale=alt.Scale(type="log"),
        title="Size: events expected at the centre (cases for a proportion)",
    )
    lines = (
        alt.Chart(limits)
        .mark_line(color=NHS_GREY, strokeDash=[3, 3])
        .encode(x=x, y="at:Q", detail="limit:N")
    )
    points = (
        alt.Chart(data)
        .mark_point(filled=True)
        .encode(
            x=x,
            y=alt.Y("value:Q", title="Value", scale=alt.Scale(zero=False)),
            color=alt.Color(
                "who:N",
                scale=alt.Scale(
                    domain=["This area", "Other areas"], range=[NHS_BLUE, "#aeb7bd"]
                ),
                title=None,
            ),
            size=alt.condition(
                alt.datum.who == "This area", alt.value(120), alt.value(25)
            ),
        )
    )
    return _svg(alt.layer(lines, points, title=title, width=WIDTH, height=260))


def trend_chart(rows: pd.DataFrame, title: str) -> str:
    """The area's value with its interval, the peer mean and the Best 5 over periods."""
    data = rows.dropna(subset=["value"])
    if data.empty:
        return ""
    long = data.melt(
        id_vars=["period"],
        value_vars=["value", "peer_mean", "best5_mean"],
        var_name="series",
        value_name="at",
    ).dropna()
    long["series"] = long["series"].map(
        {"value": "This area", "peer_mean": "Peer mean", "best5_mean": "Best 5"}
    )
    base = alt.Chart(data, title=title, width=WIDTH, height=200)
    band = base.mark_area(opacity=0.2, color=NHS_BLUE).encode(
        x=alt.X("period:O", title="Financial year"), y="lower_95:Q", y2="upper_95:Q"
    )
    lines = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x="period:O",
            y=alt.Y("at:Q", title="Value", scale=alt.Scale(zero=False)),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(
                    domain=["This area", "Peer mean", "Best 5"],
                    range=[NHS_BLUE, NHS_DARK, NHS_WARM],
                ),
                title=None,
            ),
        )
    )
    return _svg(alt.layer(band, lines))
