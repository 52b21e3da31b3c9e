"""How indicators are labelled for people: titles, polarity and short units."""

from __future__ import annotations

import pandas as pd

from tripleaim.indicators.catalogue import definitions
from tripleaim.indicators.spec import IndicatorSpec

UNITS = {
    "proportion": "%",
    "crude_rate": "per {multiplier}",
    "dsr": "per {multiplier} (age-standardised)",
    "life_expectancy": "years",
    "ratio": "per {denominator}",
}


def unit_of(spec: IndicatorSpec) -> str:
    """A short unit label: ``%``, ``per 100,000``, ``years`` ..."""
    if spec.method.kind == "proportion" and spec.multiplier != 100:
        return f"per {spec.multiplier:,.0f}"
    if spec.method.kind == "ratio":
        return "per person" if spec.multiplier == 1 else f"per {spec.multiplier:,.0f}"
    return UNITS[spec.method.kind].format(
        multiplier=f"{spec.multiplier:,.0f}", denominator="person"
    )


def with_titles(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with each indicator's title, polarity and unit added."""
    specs = definitions()
    out = rows.copy()
    out["title"] = out["indicator_id"].map(
        lambda i: specs[i].title if i in specs else i
    )
    out["polarity"] = out["indicator_id"].map(
        lambda i: specs[i].polarity if i in specs else "neither"
    )
    out["unit"] = out["indicator_id"].map(
        lambda i: unit_of(specs[i]) if i in specs else ""
    )
    return out
