"""Population health charts as inline SVG: people and spend by segment, risk spread.

Drawn with Altair and rendered on the server (decision 0010), named with a
``<title>`` by :func:`tripleaim.web.indicator_charts._svg`; the page puts the same
figures in a table beside each chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from tripleaim.web.charts import NHS_BLUE, NHS_PURPLE
from tripleaim.web.indicator_charts import _svg


def segment_chart(segments: Sequence[dict[str, Any]], area: str) -> str:
    """Share of people and share of spend in each segment, side by side."""
    people = sum(s["persons"] for s in segments)
    spend = sum(s["spend"] for s in segments)
    if not people:
        return ""
    rows = []
    for s in segments:
        rows.append(
            {"segment": s["title"], "measure": "People", "share": s["persons"] / people}
        )
        share = s["spend"] / spend if spend else 0.0
        rows.append({"segment": s["title"], "measure": "Spend", "share": share})
    frame = pd.DataFrame(rows)
    order = [s["title"] for s in segments]
    chart = (
        alt.Chart(
            frame,
            width=520,
            height=alt.Step(14),
            padding={"left": 40, "top": 5, "right": 10, "bottom": 5},
        )
        .mark_bar()
        .encode(
            y=alt.Y("segment:N", sort=order, title=None, axis=alt.Axis(labelLimit=240)),
            yOffset=alt.YOffset("measure:N"),
            x=alt.X("share:Q", title="Share of the area", axis=alt.Axis(format="%")),
            color=alt.Color(
                "measure:N",
                scale=alt.Scale(
                    domain=["People", "Spend"], range=[NHS_BLUE, NHS_PURPLE]
                ),
                title=None,
            ),
        )
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, titleFontSize=13)
    )
    return _svg(chart, f"Share of people and of spend by segment, {area}")


def risk_histogram(bins: Sequence[dict[str, Any]], area: str) -> str:
    """People by predicted risk of an emergency admission, in two-point bins."""
    if not bins:
        return ""
    frame = pd.DataFrame(bins)
    chart = (
        alt.Chart(frame, width=520, height=220)
        .mark_bar(color=NHS_BLUE)
        .encode(
            x=alt.X(
                "from:Q",
                bin="binned",
                title="Predicted risk in the next 12 months",
                axis=alt.Axis(format="%"),
            ),
            x2="to:Q",
            y=alt.Y("persons:Q", title="People"),
        )
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, titleFontSize=13)
    )
    return _svg(chart, f"Spread of predicted risk of an emergency admission, {area}")
