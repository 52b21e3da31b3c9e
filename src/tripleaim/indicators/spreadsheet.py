"""The house spreadsheet: NHS-blue headers, frozen and filterable, formulas neutralised.

Writers shared by the indicator exports (and any capability's Excel or CSV): one
header row in NHS blue, frozen, filterable, numbers with thousands separators, a
Contents sheet with the export's facts first. Text a spreadsheet would run as a
formula (``= + - @``) is neutralised (OWASP CSV injection).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
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


@dataclass(frozen=True)
class Column:
    """One column of an exported table: the row key, its header and how it is shown."""

    key: str
    header: str
    kind: Kind = "text"


def safe_text(value: object) -> str:
    """Text for a spreadsheet cell; a leading formula character gets a ``'`` first."""
    text = "" if missing(value) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def missing(value: object) -> bool:
    """True for ``None``, ``pd.NA`` and non-finite floats: a blank cell."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and not math.isfinite(value)


def number(value: object) -> float | None:
    """``value`` as a float, or ``None`` when it is missing or not finite."""
    if missing(value):
        return None
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None


def to_csv(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """Plain UTF-8 CSV with a header; blanks for missing values, formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow(
            [
                "" if missing(row.get(c.key)) else csv_cell(row.get(c.key), c.kind)
                for c in columns
            ]
        )
    return out.getvalue().encode("utf-8")


def csv_cell(value: object, kind: Kind) -> str:
    """One CSV cell: numbers in full precision, text neutralised."""
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


def sheet(
    wb: Workbook,
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Mapping[str, Any]],
    empty: str = "",
) -> Worksheet:
    """A sheet of ``rows`` under a blue, frozen, filterable header row."""
    ws = wb.create_sheet(sheet_title(wb, title))
    ws.append([c.header for c in columns])
    for cell in ws[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append([xlsx_value(row.get(c.key), c.kind) for c in columns])
    if not rows and empty:
        ws.cell(row=2, column=min(2, len(columns)), value=empty)
    for index, column in enumerate(columns, start=1):
        format_column(ws, index, column)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(ws.max_row, 2)}"
    return ws


def xlsx_value(value: object, kind: Kind) -> object:
    """One workbook cell value of ``kind`` (``None`` when missing)."""
    if missing(value):
        return None
    if kind in ("value", "count", "int"):
        number = float(value)  # type: ignore[arg-type]
        return int(number) if kind == "int" else number
    return str(value)


def format_column(ws: Worksheet, index: int, column: Column) -> None:
    """Width, number format and comparison colours of one column."""
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


def sheet_title(wb: Workbook, title: str) -> str:
    """Excel's rules: at most 31 characters, no [ ] : * ? / or backslash, unique."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()[:31]
    name, n = clean, 2
    while name in wb.sheetnames:
        suffix = f" ({n})"
        name, n = clean[: 31 - len(suffix)] + suffix, n + 1
    return name


def contents(wb: Workbook, meta: Meta, sheets: Sequence[tuple[str, str]]) -> None:
    """The first sheet: title, the export's facts and links to every sheet."""
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


def save(wb: Workbook) -> bytes:
    """The workbook as bytes."""
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
