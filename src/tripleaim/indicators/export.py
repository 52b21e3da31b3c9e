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

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import pandas as pd
from openpyxl import Workbook  # type: ignore[import-untyped]  # no stubs pinned
from openpyxl.styles import (  # type: ignore[import-untyped]
    Alignment,
    Font,
    PatternFill,
)
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.hyperlink import (  # type: ignore[import-untyped]
    Hyperlink,
)
from openpyxl.worksheet.worksheet import (  # type: ignore[import-untyped]
    Worksheet,
)

from tripleaim.indicators import reading
from tripleaim.indicators.catalogue import definitions
from tripleaim.settings import Settings

What = Literal["gap", "profiles"]
Format = Literal["xlsx", "csv"]
Kind = Literal["text", "value", "count", "int", "comparison"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
NHS_BLUE = "005EB8"
HEADER_FILL = PatternFill("solid", fgColor=NHS_BLUE)
HEADER_FONT = Font(bold=True, color="FFFFFF")
COMPARISON_FILLS = {
    "Worse": PatternFill("solid", fgColor="F4B6B6"),
    "Better": PatternFill("solid", fgColor="B8E0C2"),
    "Similar": PatternFill("solid", fgColor="FFE8A3"),
}
NUMBER_FORMATS = {"value": "#,##0.0", "count": "#,##0", "int": "0"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SOURCE_NOTE = (
    "Computed by tripleaim from the integrated care system's warehouse with the methods "
    "of OHID Fingertips (PHEindicatormethods). England comparators contain public sector "
    "information licensed under the Open Government Licence v3.0."
)
LABELS = {
    "not_compared": "Not compared",
    "no_significant_change": "No significant change",
    "cannot_be_calculated": "Cannot be calculated",
    "england": "England",
    "system": "System",
}


@dataclass(frozen=True)
class Column:
    """One column of an exported table: the row key, its header and how it is shown."""

    key: str
    header: str
    kind: Kind = "text"


@dataclass(frozen=True)
class ExportFile:
    """A finished export: what to call it, its media type and its bytes."""

    filename: str
    media_type: str
    content: bytes


def label(code: object) -> str | None:
    """A readable label for a stored code: ``not_compared`` -> ``Not compared``."""
    if _missing(code):
        return None
    text = str(code)
    return LABELS.get(text, text.replace("_", " ").capitalize())


def safe_text(value: object) -> str:
    """Text for a spreadsheet cell; a leading formula character gets a ``'`` first."""
    text = "" if _missing(value) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and not math.isfinite(value)


def number(value: object) -> float | None:
    """``value`` as a float, or ``None`` when it is missing or not finite."""
    if _missing(value):
        return None
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None


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
        row = {str(k): (None if _missing(v) else v) for k, v in record.items()}
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
    frame["unit"] = frame["indicator_id"].map(lambda i: reading.unit_of(specs[i]))
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
            "unit": reading.unit_of(s),
            "polarity": label(s.polarity),
            "benchmark": label(s.benchmark),
            "source": s.source,
            "fingertips_id": s.fingertips_id,
            "version": s.version,
        }
        for s in sorted(definitions().values(), key=lambda s: (s.domain, s.title))
    ]


def to_csv(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """Plain UTF-8 CSV with a header; blanks for missing values, formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow(
            [
                "" if _missing(row.get(c.key)) else _csv_cell(row.get(c.key), c.kind)
                for c in columns
            ]
        )
    return out.getvalue().encode("utf-8")


def _csv_cell(value: object, kind: Kind) -> str:
    if kind in ("value", "count", "int") and isinstance(value, int | float):
        return str(int(value)) if kind == "int" else repr(float(value))
    return safe_text(value)


@dataclass(frozen=True)
class Meta:
    """What the Contents sheet says about an export."""

    title: str
    footprint: str
    period: str
    generated: datetime
    threshold: int

    def disclosure(self) -> str:
        """The disclosure-control note (docs/decisions/0013)."""
        if self.threshold <= 0:
            return "Disclosure control is off (threshold 0): for internal use only."
        return (
            f"Counts of people or events from 1 to {self.threshold} are suppressed with "
            "the value, limits, expected and excess counts that would reveal them: those "
            "cells are blank and the Reason column says why. Comparisons are still shown."
        )


def _sheet(
    wb: Workbook,
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Mapping[str, Any]],
    empty: str = "",
) -> Worksheet:
    ws = wb.create_sheet(_sheet_title(wb, title))
    ws.append([c.header for c in columns])
    for cell in ws[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append([_xlsx_value(row.get(c.key), c.kind) for c in columns])
    if not rows and empty:
        ws.cell(row=2, column=min(2, len(columns)), value=empty)
    for index, column in enumerate(columns, start=1):
        _format_column(ws, index, column)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(ws.max_row, 2)}"
    return ws


def _xlsx_value(value: object, kind: Kind) -> object:
    if _missing(value):
        return None
    if kind in ("value", "count", "int"):
        number = float(value)  # type: ignore[arg-type]
        return int(number) if kind == "int" else number
    return str(value)


def _format_column(ws: Worksheet, index: int, column: Column) -> None:
    letter = get_column_letter(index)
    width = len(column.header) if column.kind == "text" else 12
    for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
        if isinstance(cell.value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
            width = max(width, min(len(cell.value), 60))
        if column.kind in NUMBER_FORMATS:
            cell.number_format = NUMBER_FORMATS[column.kind]
        fill = COMPARISON_FILLS.get(str(cell.value))
        if column.kind == "comparison" and fill is not None:
            cell.fill = fill
    ws.column_dimensions[letter].width = max(10, min(width + 2, 62))


def _sheet_title(wb: Workbook, title: str) -> str:
    """Excel's rules: at most 31 characters, no [ ] : * ? / or backslash, unique."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()[:31]
    name, n = clean, 2
    while name in wb.sheetnames:
        suffix = f" ({n})"
        name, n = clean[: 31 - len(suffix)] + suffix, n + 1
    return name


def _contents(wb: Workbook, meta: Meta, sheets: Sequence[tuple[str, str]]) -> None:
    ws = wb.active
    assert ws is not None  # a new workbook has one sheet  # noqa: S101
    ws.title = "Contents"
    ws["A1"] = meta.title
    ws["A1"].font = Font(bold=True, size=14)
    facts = (
        ("Footprint", meta.footprint),
        ("Period", meta.period),
        ("Generated", meta.generated.strftime("%d %B %Y %H:%M %Z").strip()),
        ("Disclosure control", meta.disclosure()),
        ("Source and licence", SOURCE_NOTE),
    )
    for row, (name, text) in enumerate(facts, start=3):
        ws.cell(row=row, column=1, value=name).font = Font(bold=True)
        ws.cell(row=row, column=2, value=text).alignment = Alignment(wrap_text=True)
    start = len(facts) + 4
    for col, header in enumerate(("Sheet", "What it holds"), start=1):
        cell = ws.cell(row=start, column=col, value=header)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    for offset, (name, text) in enumerate(sheets, start=1):
        link = ws.cell(row=start + offset, column=1, value=name)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{name}'!A1")
        link.font = Font(color=NHS_BLUE, underline="single")
        ws.cell(row=start + offset, column=2, value=text)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 100


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def health_gap_workbook(gaps: Sequence[reading.AreaGap], meta: Meta) -> bytes:
    """Contents, one sheet per area (the system, then each place), life expectancy."""
    wb = Workbook()
    listed = []
    for gap in gaps:
        ws = _sheet(
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
    ws = _sheet(
        wb, "Life expectancy gap", LIFE_EXPECTANCY_COLUMNS, life_expectancy_rows(gaps)
    )
    listed.append(
        (ws.title, "Life expectancy at birth: gap to England and across deprivation")
    )
    _contents(wb, meta, listed)
    return _save(wb)


def profiles_workbook(
    rows: Sequence[Mapping[str, Any]], level: str, meta: Meta
) -> bytes:
    """Contents, every indicator for every area of one level, and the definitions."""
    wb = Workbook()
    title = f"{reading.LEVEL_TITLES[level]} profiles"
    ws = _sheet(wb, title, PROFILE_COLUMNS, rows)
    defs = _sheet(wb, "Definitions", DEFINITION_COLUMNS, definition_rows())
    _contents(
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
    return _save(wb)


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
