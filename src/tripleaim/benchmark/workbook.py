"""The pack's underlying tables as a formatted Excel workbook (openpyxl).

Sheets: Summary (the headline and how much survives the benchmark's interval),
Opportunities (every measure, every column of the stored row), Peers (with
distances), Day cases by quarter, Flagged. Headers are frozen and filtered; pounds,
counts and values carry number formats.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook  # type: ignore[import-untyped]  # no stubs pinned
from openpyxl.styles import (  # type: ignore[import-untyped]
    Alignment,
    Font,
    PatternFill,
)
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import (  # type: ignore[import-untyped]
    Worksheet,
)

from tripleaim.benchmark.pack import Pack

__all__ = ["write_workbook"]

HEADER_FILL = PatternFill("solid", fgColor="005EB8")
HEADER_FONT = Font(bold=True, color="FFFFFF")
GBP = '"£"#,##0'
COUNT = "#,##0"
VALUE = "#,##0.00"

OPPORTUNITY_COLUMNS = (
    "measure_id",
    "measure_title",
    "period",
    "numerator",
    "denominator",
    "value",
    "lower_95",
    "upper_95",
    "peers",
    "peer_mean",
    "best5_mean",
    "best5_lower_95",
    "best5_upper_95",
    "top_quartile",
    "target",
    "gap_peer_mean",
    "gap_best5",
    "gap_best5_lower",
    "gap_best5_upper",
    "gap_top_quartile",
    "gap_target",
    "bed_days_best5",
    "bed_days_target",
    "gbp_peer_mean",
    "gbp_best5",
    "gbp_top_quartile",
    "significant_naive",
    "significant",
    "opportunity_events",
    "opportunity_bed_days",
    "opportunity_gbp",
    "flag",
    "flag_detail",
)


def _format_for(name: str) -> str | None:
    if name.startswith("gbp") or name.endswith("_gbp"):
        return GBP
    if name.startswith(
        ("gap", "bed_days", "opportunity", "spells", "day_cases")
    ) or name in ("numerator", "denominator"):
        return COUNT
    if name in (
        "value",
        "lower_95",
        "upper_95",
        "peer_mean",
        "best5_mean",
        "best5_lower_95",
        "best5_upper_95",
        "top_quartile",
        "target",
        "rate",
        "distance",
    ):
        return VALUE
    return None


def _cell(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):
        return value.item()  # numpy scalars
    return value


def _sheet(book: Workbook, title: str, frame: pd.DataFrame) -> Worksheet:
    sheet = book.create_sheet(title)
    sheet.append(list(frame.columns))
    for cell in sheet[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in frame.itertuples(index=False):
        sheet.append([_cell(v) for v in row])
    for index, name in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        fmt = _format_for(str(name))
        if fmt:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = fmt
        width = max([len(str(name))] + [len(str(v)) for v in frame[name].head(200)])
        sheet.column_dimensions[letter].width = min(60, max(10, width + 2))
    sheet.freeze_panes = "A2"
    if len(frame):
        sheet.auto_filter.ref = sheet.dimensions
    return sheet


def write_workbook(pack: Pack, out: Path) -> Path:
    """Write the pack's tables to ``out`` (xlsx)."""
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    h = pack.headline
    lines = [
        ("Area", f"{pack.area_name} ({pack.area_code})"),
        ("Level", pack.level_title),
        ("Financial year", pack.period),
        ("Peer group", pack.peer_group),
        ("Counted opportunity (£)", h["gbp"]),
        ("Counted opportunity (bed days)", h["bed_days"]),
        ("Measures with counted opportunity", h["measures"]),
        ("Naive Best-5 claim (£)", h["naive_gbp"]),
        (
            "Share of the naive claim that survives",
            None if math.isnan(h["survives"]) else h["survives"],
        ),
        ("Flagged rows", h["flagged"]),
    ]
    for label, value in lines:
        summary.append([label, value])
    for row in (5, 8):
        summary.cell(row=row, column=2).number_format = GBP
    summary.cell(row=9, column=2).number_format = "0%"
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["B"].width = 40
    for (cell,) in summary.iter_rows(min_col=1, max_col=1):
        cell.font = Font(bold=True)
    _sheet(book, "Opportunities", pack.ranked[list(OPPORTUNITY_COLUMNS)])
    _sheet(book, "Peers", pack.peers[["rank", "peer_code", "peer_name", "distance"]])
    _sheet(book, "Day cases by quarter", pack.day_cases)
    _sheet(
        book,
        "Flagged",
        pack.flagged[["measure_id", "measure_title", "flag", "flag_detail"]],
    )
    book.save(out)
    return out
