"""The pack as HTML and PDF (WeasyPrint), from one Jinja template shipped with the package."""

from __future__ import annotations

import math
from importlib.resources import files
from pathlib import Path

import jinja2
import pandas as pd

from tripleaim.benchmark.catalogue import measures
from tripleaim.benchmark.pack import Pack

DASH = "\u2013"
"""Shown for a missing number."""

__all__ = ["gbp", "html", "pdf"]


def _finite(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def gbp(value: object) -> str:
    """Pounds for people: £8.47m, £869k, £420; a dash when missing."""
    number = _finite(value)
    if number is None:
        return DASH
    size = abs(number)
    if size >= 1e6:
        return f"£{number / 1e6:,.2f}m"
    if size >= 1e4:
        return f"£{number / 1e3:,.0f}k"
    return f"£{number:,.0f}"


def _num(value: object) -> str:
    number = _finite(value)
    return DASH if number is None else f"{number:,.0f}"


def _val(value: object) -> str:
    number = _finite(value)
    if number is None:
        return DASH
    return f"{number:,.1f}" if abs(number) < 1000 else f"{number:,.0f}"


def _pct(value: object) -> str:
    number = _finite(value)
    return "none" if number is None else f"{100 * number:.0f}%"


def _template() -> jinja2.Template:
    text = (
        files("tripleaim.benchmark")
        .joinpath("templates", "pack.html.jinja")
        .read_text(encoding="utf-8")
    )
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return environment.from_string(text)


def html(pack: Pack) -> str:
    """The pack as one self-contained HTML page (SVG charts inline)."""
    quarters = pd.DataFrame()
    recent = pd.DataFrame()
    if not pack.day_cases.empty:
        quarters = pack.day_cases.groupby("quarter", as_index=False)[
            ["spells_to_convert", "bed_days_released"]
        ].sum(min_count=1)
        recent = pack.day_cases[pack.day_cases["quarter"].str.startswith(pack.period)]
    specs = measures()
    return _template().render(
        pack=pack,
        h=pack.headline,
        top=list(pack.ranked.head(10).itertuples()),
        quarters=quarters,
        recent=recent,
        unit={k: v.unit for k, v in specs.items()},
        has_beds={k for k, v in specs.items() if v.bed_days != "none"},
        gbp=gbp,
        num=_num,
        val=_val,
        pct=_pct,
    )


def pdf(pack: Pack, out: Path) -> int:
    """Write the pack as a PDF (WeasyPrint 70) to ``out``; returns the pages written."""
    import weasyprint  # type: ignore[import-untyped]  # noqa: PLC0415  (slow import)

    document = weasyprint.HTML(string=html(pack)).render()
    document.write_pdf(str(out))
    return len(document.pages)
