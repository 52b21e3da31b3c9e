"""Indicator exports for NHS staff who work in Excel: the gap and profiles workbooks, and CSV.

Everything is read through :mod:`tripleaim.indicators.reading`, so exports carry the
same disclosure control as pages and the API: a suppressed value is a blank cell
with its reason in the Reason column, never ``NaN``. Workbooks follow the habits of
published NHS spreadsheets: a Contents sheet first, one header row in NHS blue,
frozen, filterable, numbers to one decimal place with thousands separators. Text
that a spreadsheet would run as a formula (``= + - @``) is neutralised (OWASP CSV
injection).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import pandas as pd
from openpyxl import Workbook  # type: ignore[import-untyped]  # no stubs pinned

from tripleaim.indicators import labels, reading
from tripleaim.indicators.catalogue import definitions
from tripleaim.indicators.spreadsheet import (
    CSV,
    XLSX,
    Column,
    Meta,
    contents,
    missing,
    number,
    safe_text,
    save,
    sheet,
    to_csv,
)
from tripleaim.settings import Settings

__all__ = [
    "CSV",
    "XLSX",
    "Column",
    "ExportFile",
    "Format",
    "Meta",
    "What",
    "definition_rows",
    "export_file",
    "gap_rows",
    "health_gap_workbook",
    "label",
    "life_expectancy_rows",
    "number",
    "profile_rows",
    "profiles_workbook",
    "safe_text",
    "to_csv",
]

What = Literal["gap", "profiles"]
Format = Literal["xlsx", "csv"]

LABELS = {
    "not_compared": "Not compared",
    "no_significant_change": "No significant change",
    "cannot_be_calculated": "Cannot be calculated",
    "england": "England",
    "system": "System",
}


@dataclass(frozen=True)
class ExportFile:
    """A finished export: what to call it, its media type and its bytes."""

    filename: str
    media_type: str
    content: bytes


def label(code: object) -> str | None:
    """A readable label for a stored code: ``not_compared`` -> ``Not compared``."""
    if missing(code):
        return None
    text = str(code)
    return LABELS.get(text, text.replace("_", " ").capitalize())


AREA_COLUMNS = (
    Column("area_level", "Area level"),
    Column("area_code", "Area code"),
    Column("area_name", "Area"),
)
GAP_COLUMNS = (
    Column("gap_rank", "Gap rank", "int"),
    Column("title", "Indicator"),
    Column("domain", "Domain"),
    Column("unit", "Unit"),
    Column("value", "Value", "value"),
    Column("lower_95", "Lower 95% limit", "value"),
    Column("upper_95", "Upper 95% limit", "value"),
    Column("benchmark", "Benchmark"),
    Column("benchmark_value", "Benchmark value", "value"),
    Column("compared_95", "Compared with benchmark", "comparison"),
    Column("excess", "Excess (count)", "value"),
    Column("adverse", "Gap (count, bad direction)", "value"),
    Column("rank", "Rank among areas (1 = best)", "int"),
    Column("rank_of", "Areas ranked", "int"),
    Column("trend", "Trend"),
    Column("value_reason", "Reason"),
    Column("indicator_id", "Indicator id"),
)
LIFE_EXPECTANCY_COLUMNS = (
    *AREA_COLUMNS[1:],
    Column("title", "Indicator"),
    Column("value", "Life expectancy (years)", "value"),
    Column("lower_95", "Lower 95% limit", "value"),
    Column("upper_95", "Upper 95% limit", "value"),
    Column("england_value", "England (years)", "value"),
    Column("gap_to_england", "Gap to England (years)", "value"),
    Column("compared_95", "Compared with England", "comparison"),
    Column("sii", "Inequality gap across deprivation (SII, years)", "value"),
    Column("sii_lower_95", "SII lower 95% limit", "value"),
    Column("sii_upper_95", "SII upper 95% limit", "value"),
    Column("sii_reason", "SII reason"),
    Column("value_reason", "Reason"),
)
PROFILE_COLUMNS = (
    Column("title", "Indicator"),
    Column("domain", "Domain"),
    Column("unit", "Unit"),
    *AREA_COLUMNS[1:],
    Column("period", "Period"),
    Column("numerator", "Numerator", "count"),
    Column("denominator", "Denominator", "count"),
    *GAP_COLUMNS[4:10],
    Column("compared_99_8", "Compared at 99.8%", "comparison"),
    Column("excess", "Excess (count)", "value"),
    *GAP_COLUMNS[12:15],
    Column("trend_assessment", "Trend assessment"),
    Column("value_reason", "Reason"),
    Column("indicator_id", "Indicator id"),
)
DEFINITION_COLUMNS = (
    Column("id", "Indicator id"),
    Column("title", "Indicator"),
    Column("domain", "Domain"),
    Column("description", "Description"),
    Column("method", "Method"),
    Column("unit", "Unit"),
    Column("polarity", "Polarity"),
    Column("benchmark", "Benchmark"),
    Column("source", "Source"),
    Column("fingertips_id", "Fingertips id", "int"),
    Column("version", "Version", "int"),
)


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Frame records with readable labels and every missing value as ``None``."""
    out = []
    for record in frame.to_dict("records"):
        row = {str(k): (None if missing(v) else v) for k, v in record.items()}
        for key in ("domain", "benchmark", "compared_95", "compared_99_8", "trend"):
            if key in row:
                row[key] = label(row[key])
        for key in ("trend_assessment", "polarity", "value_reason", "sii_reason"):
            if key in row:
                row[key] = label(row[key])
        row["area_level"] = reading.LEVEL_TITLES.get(str(row.get("area_level")))
        out.append(row)
    return out


def gap_rows(gap: reading.AreaGap) -> list[dict[str, Any]]:
    """One area's indicators significantly worse than benchmark, ranked by the gap."""
    rows = _rows(gap.worse)
    for rank, row in enumerate(rows, start=1):
        row["gap_rank"] = rank
    return rows


def life_expectancy_rows(gaps: Iterable[reading.AreaGap]) -> list[dict[str, Any]]:
    """Life expectancy of each area with its gap to England and across deprivation."""
    rows = []
    for gap in gaps:
        for row in _rows(gap.life_expectancy):
            value, england = number(row["value"]), number(row["england_value"])
            gaps_known = value is not None and england is not None
            row["gap_to_england"] = value - england if gaps_known else None  # type: ignore[operator]
            rows.append(row)
    return rows


def profile_rows(
    profiles: reading.Profiles, level: str, period: str
) -> list[dict[str, Any]]:
    """Every indicator for every area of ``level`` in ``period``, by indicator then area."""
    reading.areas_of(profiles, level)
    v = profiles.values
    frame = v[(v["area_level"] == level) & (v["period"] == period)].copy()
    specs = definitions()
    frame["title"] = frame["indicator_id"].map(lambda i: specs[i].title)
    frame["unit"] = frame["indicator_id"].map(lambda i: labels.unit_of(specs[i]))
    frame = frame.sort_values(["domain", "title", "area_name"], ignore_index=True)
    return _rows(frame)


def definition_rows() -> list[dict[str, Any]]:
    """Every indicator definition, as the Definitions sheet lists them."""
    return [
        {
            "id": s.id,
            "title": s.title,
            "domain": label(s.domain),
            "description": s.description.strip(),
            "method": label(s.method.kind),
            "unit": labels.unit_of(s),
            "polarity": label(s.polarity),
            "benchmark": label(s.benchmark),
            "source": s.source,
            "fingertips_id": s.fingertips_id,
            "version": s.version,
        }
        for s in sorted(definitions().values(), key=lambda s: (s.domain, s.title))
    ]


def health_gap_workbook(gaps: Sequence[reading.AreaGap], meta: Meta) -> bytes:
    """Contents, one sheet per area (the system, then each place), life expectancy."""
    wb = Workbook()
    listed = []
    for gap in gaps:
        ws = sheet(
            wb,
            gap.area["area_name"] if gap.area["area_level"] != "icb" else "System",
            GAP_COLUMNS,
            gap_rows(gap),
            empty="No indicator is significantly worse than its benchmark.",
        )
        worse = gap.counts.get("worse", 0)
        listed.append(
            (
                ws.title,
                f"{gap.area['area_name']}: {worse} indicators worse than benchmark",
            )
        )
    ws = sheet(
        wb, "Life expectancy gap", LIFE_EXPECTANCY_COLUMNS, life_expectancy_rows(gaps)
    )
    listed.append(
        (ws.title, "Life expectancy at birth: gap to England and across deprivation")
    )
    contents(wb, meta, listed)
    return save(wb)


def profiles_workbook(
    rows: Sequence[Mapping[str, Any]], level: str, meta: Meta
) -> bytes:
    """Contents, every indicator for every area of one level, and the definitions."""
    wb = Workbook()
    title = f"{reading.LEVEL_TITLES[level]} profiles"
    ws = sheet(wb, title, PROFILE_COLUMNS, rows)
    defs = sheet(wb, "Definitions", DEFINITION_COLUMNS, definition_rows())
    contents(
        wb,
        meta,
        [
            (
                ws.title,
                f"Every indicator for every {reading.LEVEL_TITLES[level].lower()}",
            ),
            (defs.title, "What each indicator counts, its method and its source"),
        ],
    )
    return save(wb)


def export_file(
    settings: Settings,
    what: What,
    fmt: Format,
    *,
    level: str = "place",
    period: str | None = None,
    generated: datetime | None = None,
) -> ExportFile:
    """The health gap or the profiles of one level, as a workbook or CSV.

    Raises:
        NotFoundError: No profiles, or no such period or area level.
    """
    profiles = reading.load(settings)
    period = reading.check_period(profiles, period)
    stamp = period.replace("/", "-")
    meta = Meta(
        title=f"Health and wellbeing gap, {period}"
        if what == "gap"
        else f"Indicator profiles by {reading.LEVEL_TITLES.get(level, level).lower()}, {period}",
        footprint=str(reading.areas_of(profiles, "icb")["area_name"].iloc[0]),
        period=period,
        generated=generated or datetime.now(UTC),
        threshold=settings.disclosure_threshold,
    )
    if what == "gap":
        gaps = reading.health_gap(profiles, period)
        name = f"health-gap-{stamp}.{fmt}"
        if fmt == "csv":
            rows = [r | _area_of(g) for g in gaps for r in gap_rows(g)]
            return ExportFile(name, CSV, to_csv((*AREA_COLUMNS, *GAP_COLUMNS), rows))
        return ExportFile(name, XLSX, health_gap_workbook(gaps, meta))
    rows = profile_rows(profiles, level, period)
    name = f"profiles-{level}-{stamp}.{fmt}"
    if fmt == "csv":
        return ExportFile(name, CSV, to_csv(PROFILE_COLUMNS, rows))
    return ExportFile(name, XLSX, profiles_workbook(rows, level, meta))


def _area_of(gap: reading.AreaGap) -> dict[str, str]:
    return {
        "area_level": gap.area["level_title"],
        "area_code": gap.area["area_code"],
        "area_name": gap.area["area_name"],
    }
