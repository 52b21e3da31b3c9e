"""A cohort list as a workbook or CSV for the practice, in the house style.

One header row in NHS blue, frozen and filterable; text a spreadsheet would run as
a formula (``= + - @``) is neutralised (OWASP CSV injection). Pseudonymised unless the
caller re-identified the rows for direct care (then NHS number and name follow the
person column; the web layer checks the relationship and audits the export).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]  # no stubs pinned
from openpyxl.styles import Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

IDENTITY_COLUMNS = (("nhs_number", "NHS number"), ("name", "Name"))
COLUMNS = (
    ("rank", "Rank"),
    ("person_id", "Person (pseudonymised)"),
    ("practice_code", "Practice"),
    ("pcn_code", "PCN"),
    ("age_band", "Age band"),
    ("segment", "Segment"),
    ("risk", "Risk of emergency admission"),
    ("reasons", "Reasons"),
)
HEADER_FILL = PatternFill("solid", fgColor="005EB8")
HEADER_FONT = Font(bold=True, color="FFFFFF")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Any) -> Any:
    """A cell value; text starting like a formula gets a ``'`` first."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def columns(rows: Sequence[Mapping[str, Any]]) -> tuple[tuple[str, str], ...]:
    """The list's columns; NHS number and name after the person when re-identified."""
    if rows and "nhs_number" in rows[0]:
        return (*COLUMNS[:2], *IDENTITY_COLUMNS, *COLUMNS[2:])
    return COLUMNS


def to_xlsx(title: str, rows: Sequence[Mapping[str, Any]]) -> bytes:
    """The list as a one-sheet workbook: blue frozen header, filter, percent risk."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Cohort"
    cols = columns(rows)
    sheet.append([header for _, header in cols])
    for cell in sheet[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    for row in rows:
        sheet.append([safe(row.get(key)) for key, _ in cols])
    risk_column = [key for key, _ in cols].index("risk") + 1
    for (cell,) in sheet.iter_rows(min_row=2, min_col=risk_column, max_col=risk_column):
        cell.number_format = "0.0%"
    widths = {"rank": 6, "person_id": 22, "nhs_number": 14, "name": 26}
    widths |= {"segment": 22, "risk": 14, "reasons": 80}
    for index, (key, _) in enumerate(cols, start=1):
        width = widths.get(key, 10)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    book.properties.title = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(rows: Sequence[Mapping[str, Any]]) -> bytes:
    """The list as UTF-8 CSV with a header row."""
    out = io.StringIO()
    writer = csv.writer(out)
    cols = columns(rows)
    writer.writerow([header for _, header in cols])
    for row in rows:
        writer.writerow(
            ["" if row.get(k) is None else safe(row.get(k)) for k, _ in cols]
        )
    return out.getvalue().encode("utf-8")
