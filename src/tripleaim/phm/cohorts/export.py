"""A cohort list as a workbook or CSV for the practice, in the house style.

One header row in NHS blue, frozen and filterable; text a spreadsheet would run as
a formula (``= + - @``) is neutralised (OWASP CSV injection). Pseudonymised: the
list carries no identifiable detail.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]  # no stubs pinned
from openpyxl.styles import Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

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


def to_xlsx(title: str, rows: Sequence[Mapping[str, Any]]) -> bytes:
    """The list as a one-sheet workbook: blue frozen header, filter, percent risk."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Cohort"
    sheet.append([header for _, header in COLUMNS])
    for cell in sheet[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    for row in rows:
        sheet.append([safe(row.get(key)) for key, _ in COLUMNS])
    risk_column = [key for key, _ in COLUMNS].index("risk") + 1
    for (cell,) in sheet.iter_rows(min_row=2, min_col=risk_column, max_col=risk_column):
        cell.number_format = "0.0%"
    widths = (6, 22, 10, 10, 10, 22, 14, 80)
    for index, width in enumerate(widths, start=1):
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
    writer.writerow([header for _, header in COLUMNS])
    for row in rows:
        writer.writerow(
            ["" if row.get(k) is None else safe(row.get(k)) for k, _ in COLUMNS]
        )
    return out.getvalue().encode("utf-8")
