"""The reliability (calibration) chart of a trained model, as SVG.

Drawn with Altair and rendered by vl-convert, as the web charts are (decision
0010); built here because capabilities do not import ``tripleaim.web``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import altair as alt
import pandas as pd
import vl_convert as vlc

from tripleaim.phm.risk.metrics import CalibrationBin

NHS_BLUE, NHS_GREY = "#005eb8", "#768692"


def calibration_svg(table: Sequence[CalibrationBin], title: str) -> str:
    """Observed against mean predicted risk per decile, with the line of perfect fit."""
    frame = pd.DataFrame(
        {
            "decile": [b.decile for b in table],
            "expected": [b.expected for b in table],
            "observed": [b.observed for b in table],
            "persons": [b.persons for b in table],
        }
    )
    top = float(max(frame["expected"].max(), frame["observed"].max(), 0.01)) * 1.05
    diagonal = pd.DataFrame({"expected": [0.0, top], "observed": [0.0, top]})
    scale = alt.Scale(domain=[0, top])
    x = alt.X("expected:Q", title="Mean predicted risk", scale=scale)
    y = alt.Y("observed:Q", title="Observed proportion admitted", scale=scale)
    perfect = (
        alt.Chart(diagonal)
        .mark_line(color=NHS_GREY, strokeDash=[4, 4])
        .encode(x=x, y=y)
    )
    points = (
        alt.Chart(frame)
        .mark_line(point=True, color=NHS_BLUE)
        .encode(x=x, y=y, tooltip=["decile", "persons", "expected", "observed"])
    )
    chart = (
        alt.layer(perfect, points, title=title)
        .properties(width=420, height=420)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, titleFontSize=13, format="%")
    )
    return str(vlc.vegalite_to_svg(json.loads(json.dumps(chart.to_dict()))))
