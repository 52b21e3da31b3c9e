"""Indicator charts as inline SVG: the spine chart, the funnel plot and the trend.

Pure functions from frames to SVG strings, drawn with Altair and rendered on the
server by :func:`tripleaim.web.charts._render` (no script in the page). Comparison
colours follow Fingertips' meaning in NHS identity colours, and each comparison also
has its own marker shape so that colour is never the only cue. Every chart carries a
``<title>``; the pages put the same figures in a table beside it.
"""

from __future__ import annotations

import json
import re
from html import escape

import altair as alt
import pandas as pd

from tripleaim.web.charts import NHS_BLUE, _render

NHS_BLACK, NHS_DARK_GREY, NHS_MID_GREY, NHS_PALE_GREY = (
    "#212b32",
    "#425563",
    "#768692",
    "#d8dde0",
)
COMPARISONS = ("better", "similar", "worse", "higher", "lower", "not_compared")
LABELS = ("Better", "Similar", "Worse", "Higher", "Lower", "Not compared")
COLOURS = ("#007f3b", "#ffb81c", "#d5281b", "#005eb8", "#41b6e6", "#ffffff")
SHAPES = ("circle", "diamond", "square", "triangle-up", "triangle-down", "circle")
ROW_HEIGHT = 26
PADDING = {"left": 5, "top": 5, "right": 60, "bottom": 5}  # legends in wider fonts
GAP = "\u00a0" * 6  # SVG collapses ordinary spaces
SPINE_AXIS = (
    f"\u2190 worse (or lower){GAP}|{GAP}benchmark{GAP}|{GAP}better (or higher) \u2192"
)


EMPTY_MARKS = re.compile(
    r'(<g class="mark-[^"]*role-mark[^"]*") role="graphics-symbol" '
    r'aria-roledescription="[^"]*"/>'
)


def _svg(chart: alt.TopLevelMixin, title: str) -> str:
    """Render ``chart`` and give the SVG an accessible name (``<title>``).

    Vega labels each mark container; an empty one (a layer with no rows) would be an
    unnamed graphics symbol, so it is hidden from assistive technology instead.
    """
    svg = _render(json.dumps(chart.to_dict(), sort_keys=True))
    svg = EMPTY_MARKS.sub(r'\1 aria-hidden="true"/>', svg)
    head, sep, rest = svg.partition(">")
    return f"{head}{sep}<title>{escape(title)}</title>{rest}"


def _comparison(
    field: str = "comparison", title: str = "Compared with benchmark"
) -> dict[str, alt.Color | alt.Shape]:
    """Colour and shape channels for comparison labels (one legend for both)."""
    return {
        "color": alt.Color(
            f"{field}:N",
            scale=alt.Scale(domain=list(LABELS), range=list(COLOURS)),
            title=title,
        ),
        "shape": alt.Shape(
            f"{field}:N",
            scale=alt.Scale(domain=list(LABELS), range=list(SHAPES)),
            title=title,
        ),
    }


def spine_chart(rows: pd.DataFrame, title: str) -> str:
    """A Fingertips spine chart of ``views.spine_rows`` output (one row per indicator).

    Light grey: the peers' lowest to highest; dark grey: 25th to 75th percentile;
    black line: the benchmark at the centre; marker: the area, coloured and shaped
    by its comparison. Better is to the right. Needs ``title``, ``comparison_title``,
    ``description`` and the ``x_*`` columns.
    """
    frame = pd.DataFrame(
        {
            "indicator": rows["title"].astype(str),
            "comparison": rows["comparison_title"].astype(str),
            "description": rows["description"].astype(str),
            **{
                c: rows[c].astype("float64")
                for c in ("x_value", "x_min", "x_q25", "x_q75", "x_max")
            },
            "has_benchmark": rows["has_benchmark"].astype(bool),
        }
    )
    order = list(frame["indicator"])
    x = alt.X(
        "x_min:Q",
        scale=alt.Scale(domain=[-1.1, 1.1], nice=False),
        axis=alt.Axis(
            title=SPINE_AXIS,
            labels=False,
            ticks=False,
            grid=False,
            domain=False,
        ),
    )
    y = alt.Y(
        "indicator:N",
        sort=order,
        title=None,
        axis=alt.Axis(labelLimit=360, labelFontSize=12, domain=False, ticks=False),
    )
    base = alt.Chart(frame)
    ranges = base.transform_filter("isValid(datum.x_min)")
    full = ranges.mark_bar(color=NHS_PALE_GREY, height=14).encode(
        x=x, x2="x_max:Q", y=y
    )
    middle = ranges.mark_bar(color=NHS_MID_GREY, height=14).encode(
        x=alt.X("x_q25:Q"), x2="x_q75:Q", y=y
    )
    benchmark = (
        base.transform_filter("datum.has_benchmark")
        .mark_tick(color=NHS_BLACK, thickness=2, size=22)
        .encode(x=alt.X("zero:Q"), y=y)
        .transform_calculate(zero="0")
    )
    markers = (
        alt.Chart(frame, name="spine_markers")
        .transform_filter("isValid(datum.x_value)")
        .mark_point(filled=True, size=110, stroke=NHS_BLACK, strokeWidth=1, opacity=1)
        .encode(
            x=alt.X("x_value:Q"),
            y=y,
            description="description:N",
            **_comparison(),
        )
    )
    chart = (
        alt.layer(full, middle, benchmark, markers)
        .properties(
            width=420,
            height=max(ROW_HEIGHT * len(frame), 60),
            title=title,
            description=title,
            # room for labels set in a wider font than vl-convert measured (DejaVu)
            padding={"left": 70, "top": 5, "right": 40, "bottom": 5},
        )
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, titleFontSize=12, titleColor=NHS_DARK_GREY)
        .configure_legend(
            orient="bottom", labelFontSize=12, titleFontSize=12, columns=6
        )
    )
    return _svg(chart, title)


def funnel_plot(
    points: pd.DataFrame, limits: pd.DataFrame, title: str, value_title: str
) -> str:
    """Areas (``population``, ``value``, ``comparison``, ``description``) over funnel limits.

    ``limits`` is ``views.funnel`` output: 95% limits dashed, 99.8% solid, the
    benchmark a straight line.
    """
    benchmark = float(limits.attrs["benchmark"])
    values = points["value"].astype("float64")
    x_min = float(points["population"].min())
    x_max = float(points["population"].max()) * 1.05
    near = limits.loc[(limits["x"] >= x_min * 0.8) & (limits["x"] <= x_max), "y"]
    low = min(values.min(), benchmark, near.min() if not near.empty else benchmark)
    high = max(values.max(), benchmark, near.max() if not near.empty else benchmark)
    pad = (high - low) * 0.08 or abs(benchmark) * 0.2 or 1.0
    top = high + pad if value_title != "%" else min(high + pad, 100.0)
    domain = [max(0.0, low - pad), top]
    lines = limits.copy()  # clipped to the areas' range by the chart
    lines["series"] = lines["limit"] + " (" + lines["side"] + ")"
    x = alt.X(
        "x:Q", title="Population (denominator)", scale=alt.Scale(domain=[0, x_max])
    )
    y = alt.Y("y:Q", title=value_title, scale=alt.Scale(domain=domain, zero=False))
    limit_lines = (
        alt.Chart(lines, name="funnel_limits")
        .mark_line(clip=True, strokeWidth=1.5, color=NHS_DARK_GREY)
        .encode(
            x=x,
            y=y,
            detail="series:N",
            strokeDash=alt.StrokeDash(
                "limit:N",
                scale=alt.Scale(
                    domain=["95% limits", "99.8% limits"], range=[[6, 4], [1, 0]]
                ),
                title="Control limits",
            ),
            order="x:Q",
        )
    )
    level = pd.DataFrame({"y": [benchmark], "x": [x_max], "label": ["Benchmark"]})
    centre = (
        alt.Chart(level, name="funnel_benchmark")
        .mark_rule(color=NHS_BLUE, strokeWidth=2)
        .encode(y=alt.Y("y:Q", scale=alt.Scale(domain=domain, zero=False)))
    )
    label = (
        alt.Chart(level)
        .mark_text(align="right", dy=-8, color=NHS_BLUE, fontSize=12, fontWeight="bold")
        .encode(x=x, y=alt.Y("y:Q"), text="label:N")
    )
    frame = pd.DataFrame(
        {
            "x": points["population"].astype("float64"),
            "y": values,
            "comparison": points["comparison"].astype(str),
            "description": points["description"].astype(str),
        }
    )
    dots = (
        alt.Chart(frame, name="funnel_areas")
        .mark_point(
            filled=True,
            size=70,
            stroke=NHS_BLACK,
            strokeWidth=0.8,
            opacity=1,
            clip=True,
        )
        .encode(x=x, y=y, description="description:N", **_comparison())
    )
    chart = (
        alt.layer(limit_lines, centre, label, dots)
        .properties(
            width=620, height=380, title=title, description=title, padding=PADDING
        )
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, titleFontSize=12)
        .configure_legend(labelFontSize=12, titleFontSize=12)
    )
    return _svg(chart, title)


def trend_chart(rows: pd.DataFrame, title: str, value_title: str) -> str:
    """Values by period with 95% limits, and a reference line (England or benchmark).

    ``rows``: ``period``, ``value``, ``lower_95``, ``upper_95``, ``comparison``,
    ``description``, ``reference`` and ``reference_name``.
    """
    frame = pd.DataFrame(
        {
            "period": rows["period"].astype(str),
            "value": rows["value"].astype("float64"),
            "lower": rows["lower_95"].astype("float64"),
            "upper": rows["upper_95"].astype("float64"),
            "comparison": rows["comparison"].astype(str),
            "description": rows["description"].astype(str),
            "reference": rows["reference"].astype("float64"),
            "reference_name": rows["reference_name"].astype(str),
        }
    )
    x = alt.X("period:O", title="Financial year", axis=alt.Axis(labelAngle=0))
    y_title = alt.Y("value:Q", title=value_title, scale=alt.Scale(zero=False))
    reference = (
        alt.Chart(frame, name="trend_reference")
        .transform_filter("isValid(datum.reference)")
        .mark_line(
            color=NHS_BLACK,
            strokeDash=[6, 4],
            point=alt.OverlayMarkDef(color=NHS_BLACK, size=30),
        )
        .encode(
            x=x,
            y=alt.Y("reference:Q", title=value_title),
            description="reference_name:N",
        )
    )
    bars = (
        alt.Chart(frame, name="trend_limits")
        .transform_filter("isValid(datum.lower) && isValid(datum.upper)")
        .mark_rule(color=NHS_DARK_GREY, strokeWidth=2)
        .encode(x=x, y=alt.Y("lower:Q", title=value_title), y2="upper:Q")
    )
    line = (
        alt.Chart(frame)
        .transform_filter("isValid(datum.value)")
        .mark_line(color=NHS_BLUE, strokeWidth=2)
        .encode(x=x, y=y_title)
    )
    dots = (
        alt.Chart(frame, name="trend_values")
        .transform_filter("isValid(datum.value)")
        .mark_point(filled=True, size=110, stroke=NHS_BLACK, strokeWidth=1, opacity=1)
        .encode(x=x, y=y_title, description="description:N", **_comparison())
    )
    last = frame[frame["reference"].notna()].tail(1)
    reference_label = (
        alt.Chart(last)
        .mark_text(align="left", dx=8, color=NHS_BLACK, fontSize=12)
        .encode(x=x, y=alt.Y("reference:Q"), text="reference_name:N")
    )
    chart = (
        alt.layer(reference, reference_label, bars, line, dots)
        .properties(
            width=560, height=300, title=title, description=title, padding=PADDING
        )
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, titleFontSize=12)
        .configure_legend(labelFontSize=12, titleFontSize=12)
    )
    return _svg(chart, title)
