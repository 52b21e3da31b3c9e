"""Read an uploaded workbook: every cell checked, every problem named by sheet and cell.

Nothing is coerced: text in a number cell, a half number in a 1-5 score, a value not in
a list, a blank plan month are each a :class:`Problem` at ``Sheet!Cell``. The result is
one :class:`ReturnData` per project, for ``submission.py`` to validate against the store.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from tripleaim.delivery import workbook_format as fmt
from tripleaim.delivery.periods import PeriodFormatError, financial_year, year_months
from tripleaim.delivery.returns import (
    KpiEntry,
    MilestoneEntry,
    Problem,
    ReturnData,
    ReturnInvalidError,
    RiskEntry,
    SavingsEntry,
)

MONTH_COLUMNS = 12


@dataclass
class ParsedWorkbook:
    """What the workbook says, and every problem found reading it."""

    meta: dict[str, Any]
    versions: dict[str, int]
    returns: list[ReturnData] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _Cells:
    """Typed reads of one sheet that record problems instead of guessing."""

    def __init__(self, ws: Worksheet, problems: list[Problem]) -> None:
        self.ws = ws
        self.problems = problems

    def ref(self, row: int, column: int) -> str:
        return f"{self.ws.title}!{self.ws.cell(row=row, column=column).coordinate}"

    def raw(self, row: int, column: int) -> Any:
        value = self.ws.cell(row=row, column=column).value
        return None if isinstance(value, str) and not value.strip() else value

    def bad(self, row: int, column: int, message: str) -> None:
        self.problems.append(Problem(self.ref(row, column), message))

    def number(self, row: int, column: int, *, required: bool = False) -> float | None:
        value = self.raw(row, column)
        if value is None:
            if required:
                self.bad(row, column, "is blank: enter a number (0 if none).")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.bad(row, column, f"'{value}' is text, not a number.")
            return None
        return float(value)

    def score(self, row: int, column: int) -> int:
        value = self.number(row, column, required=True)
        if value is not None and (value != int(value) or not 1 <= value <= 5):
            self.bad(row, column, f"{value:g} is not a whole number from 1 to 5.")
        return int(value) if value is not None and value == int(value) else 0

    def day(self, row: int, column: int) -> date | None:
        value = self.raw(row, column)
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        self.bad(row, column, f"'{value}' is not a date.")
        return None

    def text(self, row: int, column: int) -> str:
        value = self.raw(row, column)
        return "" if value is None else str(value).strip()

    def choice(self, row: int, column: int, choices: dict[str, str]) -> str:
        value = self.text(row, column)
        if value in choices:
            return choices[value]
        self.bad(row, column, f"'{value}' is not one of: {', '.join(choices)}.")
        return ""

    def ident(self, row: int, column: int) -> int:
        value = self.raw(row, column)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self.bad(
            row, column, f"'{value}' is not an id of this workbook; do not edit ids."
        )
        return 0


def _meta(book: Any, problems: list[Problem]) -> tuple[dict[str, Any], dict[str, int]]:
    if fmt.META_SHEET not in book.sheetnames:
        problems.append(
            Problem(
                "workbook",
                "this is not a tripleaim project workbook (no metadata): download one from tripleaim.",
            )
        )
        return {}, {}
    meta: dict[str, Any] = {}
    versions: dict[str, int] = {}
    for key, value in book[fmt.META_SHEET].iter_rows(values_only=True, max_col=2):
        if isinstance(key, str) and key.startswith("project:"):
            versions[key.removeprefix("project:")] = int(value)
        elif key:
            meta[str(key)] = value
    if meta.get("template_version") != fmt.TEMPLATE_VERSION:
        problems.append(
            Problem(
                f"{fmt.GUIDE}!{fmt.GUIDE_CELLS['template_version']}",
                f"the workbook was made with template version {meta.get('template_version')}; "
                f"tripleaim now reads version {fmt.TEMPLATE_VERSION}: download a new workbook "
                "and copy your figures into it.",
            )
        )
    return meta, versions


def _header(ws: Worksheet, expected: tuple[str, ...], problems: list[Problem]) -> bool:
    found = tuple(c.value for c in ws[1][: len(expected)])
    if found != expected:
        problems.append(
            Problem(
                f"{ws.title}!A1",
                "the header row has been changed: download a new workbook.",
            )
        )
        return False
    return True


def _rows(
    ws: Worksheet, versions: dict[str, int], cells: _Cells
) -> list[tuple[int, str]]:
    out = []
    for row in range(2, ws.max_row + 1):
        slug = cells.text(row, 1)
        if not slug and all(
            cells.raw(row, c) is None for c in range(1, ws.max_column + 1)
        ):
            continue
        if slug not in versions:
            cells.bad(
                row, 1, f"project '{slug}' is not one of this workbook's projects."
            )
            continue
        out.append((row, slug))
    return out


class _Reader:
    def __init__(self, book: Any, parsed: ParsedWorkbook, period: str) -> None:
        self.book = book
        self.parsed = parsed
        self.period = period
        self.entries: dict[str, dict[str, Any]] = {
            slug: {"milestones": [], "kpis": [], "savings": [], "risks": []}
            for slug in parsed.versions
        }
        self.heads: dict[str, tuple[dict[str, Any], dict[str, str]]] = {}

    def sheet(
        self, name: str, columns: tuple[str, ...]
    ) -> tuple[Worksheet, _Cells] | None:
        if name not in self.book.sheetnames:
            self.parsed.problems.append(
                Problem(name, f"the sheet '{name}' is missing.")
            )
            return None
        ws = self.book[name]
        return (
            (ws, _Cells(ws, self.parsed.problems))
            if _header(ws, columns, self.parsed.problems)
            else None
        )

    def projects(self) -> None:
        found = self.sheet(fmt.PROJECT, fmt.PROJECT_COLUMNS)
        if not found:
            return
        ws, c = found
        for row, slug in _rows(ws, self.parsed.versions, c):
            values = {
                "rag": c.choice(row, 5, fmt.RAG_CHOICES),
                "rag_reason": c.text(row, 6),
                "commentary": c.text(row, 7),
            }
            self.heads[slug] = (
                values,
                {
                    "rag": c.ref(row, 5),
                    "rag_reason": c.ref(row, 6),
                    "commentary": c.ref(row, 7),
                },
            )

    def milestones(self) -> None:
        found = self.sheet(fmt.MILESTONES, fmt.MILESTONE_COLUMNS)
        if not found:
            return
        ws, c = found
        for row, slug in _rows(ws, self.parsed.versions, c):
            self.entries[slug]["milestones"].append(
                MilestoneEntry(
                    cells={
                        "milestone_id": c.ref(row, 2),
                        "forecast_date": c.ref(row, 5),
                        "actual_date": c.ref(row, 6),
                        "status": c.ref(row, 7),
                    },
                    milestone_id=c.ident(row, 2),
                    forecast_date=c.day(row, 5),
                    actual_date=c.day(row, 6),
                    status=c.choice(row, 7, fmt.MILESTONE_CHOICES),
                )
            )

    def kpis(self) -> None:
        found = self.sheet(fmt.KPIS, fmt.KPI_COLUMNS)
        if not found:
            return
        ws, c = found
        months = year_months(financial_year(self.period))
        pending: dict[tuple[str, int], dict[str, Any]] = {}
        for row, slug in _rows(ws, self.parsed.versions, c):
            kpi_id = c.ident(row, 2)
            series = c.choice(
                row, 8, {fmt.TRAJECTORY: "trajectory", fmt.ACTUAL: "actual"}
            )
            item = pending.setdefault(
                (slug, kpi_id),
                {
                    "months": {m: [None, None] for m in months},
                    "cells": {"kpi_id": c.ref(row, 2)},
                },
            )
            for index, month in enumerate(months):
                value = c.number(row, 9 + index)
                if series:
                    item["months"][month][0 if series == "trajectory" else 1] = value
                    item["cells"][f"{series}:{month}"] = c.ref(row, 9 + index)
        for (slug, kpi_id), item in pending.items():
            self.entries[slug]["kpis"].append(
                KpiEntry(
                    cells=item["cells"],
                    kpi_id=kpi_id,
                    months={m: (t, a) for m, (t, a) in item["months"].items()},
                )
            )

    def savings(self) -> None:
        found = self.sheet(fmt.SAVINGS, fmt.SAVINGS_COLUMNS)
        if not found:
            return
        ws, c = found
        pending: dict[tuple[str, int], dict[str, Any]] = {}
        for row, slug in _rows(ws, self.parsed.versions, c):
            line_id = c.ident(row, 2)
            series = c.choice(row, 11, {fmt.PLAN: "plan", fmt.ACTUAL: "actual"})
            try:
                months = year_months(c.text(row, 6))
            except PeriodFormatError:
                c.bad(row, 6, "the year has been changed: do not edit it.")
                continue
            item = pending.setdefault(
                (slug, line_id),
                {"plan": {}, "actual": {}, "cells": {"line_id": c.ref(row, 2)}},
            )
            if series == "plan":
                item["stage"] = c.choice(row, 8, fmt.STAGE_CHOICES)
                item["plan_total"] = c.number(row, 9, required=True) or 0.0
                item["forecast"] = c.number(row, 10)
                item["cells"].update(
                    stage=c.ref(row, 8),
                    plan_total=c.ref(row, 9),
                    forecast=c.ref(row, 10),
                )
            for index, month in enumerate(months):
                if series:
                    item[series][month] = c.number(
                        row, 12 + index, required=series == "plan"
                    )
                    item["cells"][f"{series}:{month}"] = c.ref(row, 12 + index)
        for (slug, line_id), item in pending.items():
            self.entries[slug]["savings"].append(
                SavingsEntry(
                    cells=item["cells"],
                    line_id=line_id,
                    stage=item.get("stage", ""),
                    plan_total=item.get("plan_total", 0.0),
                    forecast=item.get("forecast"),
                    months={
                        m: (p or 0.0, item["actual"].get(m))
                        for m, p in item["plan"].items()
                    },
                )
            )

    def risks(self) -> None:
        found = self.sheet(fmt.RISKS, fmt.RISK_COLUMNS)
        if not found:
            return
        ws, c = found
        for row, slug in _rows(ws, self.parsed.versions, c):
            self.entries[slug]["risks"].append(
                RiskEntry(
                    cells={
                        "risk_id": c.ref(row, 2),
                        "likelihood": c.ref(row, 6),
                        "impact": c.ref(row, 7),
                        "status": c.ref(row, 9),
                        "mitigation": c.ref(row, 10),
                    },
                    risk_id=c.ident(row, 2),
                    likelihood=c.score(row, 6),
                    impact=c.score(row, 7),
                    status=c.choice(row, 9, fmt.RISK_STATUS_CHOICES),
                    mitigation=c.text(row, 10),
                )
            )

    def returns(self) -> list[ReturnData]:
        out = []
        for slug, version in self.parsed.versions.items():
            if slug not in self.heads:
                self.parsed.problems.append(
                    Problem(fmt.PROJECT, f"the row of project '{slug}' is missing.")
                )
                continue
            values, cells = self.heads[slug]
            e = self.entries[slug]
            out.append(
                ReturnData(
                    cells=cells,
                    project=slug,
                    period=self.period,
                    expected_version=version,
                    milestones=tuple(e["milestones"]),
                    kpis=tuple(e["kpis"]),
                    savings=tuple(e["savings"]),
                    risks=tuple(e["risks"]),
                    **values,
                )
            )
        return out


def read_workbook(content: bytes) -> ParsedWorkbook:
    """Parse an uploaded workbook; problems are collected, never raised, except for a non-workbook."""
    try:
        book = load_workbook(io.BytesIO(content))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ReturnInvalidError(
            [
                Problem(
                    "file",
                    f"not an Excel workbook (.xlsx) that tripleaim can read ({type(exc).__name__}).",
                )
            ],
            "The upload was rejected",
        ) from exc
    problems: list[Problem] = []
    meta, versions = _meta(book, problems)
    parsed = ParsedWorkbook(meta, versions, problems=problems)
    if problems:
        return parsed
    reader = _Reader(book, parsed, str(meta.get("period", "")))
    reader.projects()
    reader.milestones()
    reader.kpis()
    reader.savings()
    reader.risks()
    parsed.returns = reader.returns()
    return parsed
