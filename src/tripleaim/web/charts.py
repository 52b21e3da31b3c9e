"""Charts drawn on the server with Altair (Vega-Lite) and rendered to SVG by vl-convert.

Server-side SVG needs no script in the page (a strict Content-Security-Policy holds),
prints, and is reused for PDF reports; every chart has a table beside it.
"""

from __future__ import annotations

import functools
import json

import altair as alt
import pandas as pd
import vl_convert as vlc

NHS_BLUE, NHS_PURPLE = "#005eb8", "#330072"


@functools.lru_cache(maxsize=32)
def _render(spec_json: str) -> str:
    return str(vlc.vegalite_to_svg(json.loads(spec_json)))


@functools.lru_cache(maxsize=32)
def population_pyramid(rows: tuple[tuple[str, str, int], ...]) -> str:
    """SVG pyramid from (sex, age_band, population) rows: men left, women right."""
    frame = pd.DataFrame(rows, columns=["sex", "age_band", "population"])
    if frame.empty:
        return ""
    frame["side"] = frame["population"].where(frame["sex"] == "F", -frame["population"])
    frame["sex"] = frame["sex"].map({"F": "Female", "M": "Male"})
    bands = list(dict.fromkeys(frame["age_band"]))
    chart = (
        alt.Chart(
            frame, title="Registered population by age and sex", width=560, height=380
        )
        .mark_bar()
        .encode(
            y=alt.Y("age_band:O", sort=list(reversed(bands)), title="Age band"),
            x=alt.X(
                "side:Q",
                title="People (men left, women right)",
                axis=alt.Axis(
                    format="~s", labelExpr="replace(datum.label, '\u2212', '')"
                ),
            ),
            color=alt.Color(
                "sex:N",
                scale=alt.Scale(
                    domain=["Female", "Male"], range=[NHS_BLUE, NHS_PURPLE]
                ),
                title="Sex",
            ),
        )
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, titleFontSize=13)
    )
    return _render(json.dumps(chart.to_dict(), sort_keys=True))
