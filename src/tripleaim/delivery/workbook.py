"""Write the project (or programme) workbook with openpyxl.

Every sheet is protected; only input cells are unlocked. Lists (RAG, stage, status,
1-5 scores) are data validations, and a hidden (``veryHidden``) metadata sheet carries
the template version, period, scope and each project's version, which the upload checks.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, PatternFill, Protection  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]
from sqlalchemy.orm import Session

from tripleaim.delivery import workbook_format as fmt
from tripleaim.delivery.cycle import period_of, programme_of, project_of
from tripleaim.delivery.ledgers import Risk, SavingsLine
from tripleaim.delivery.models import RAG_TITLES, Project
from tripleaim.delivery.periods import financial_year, month_title, year_months
from tripleaim.delivery.service import risks, savings_lines

INPUT_FILL = PatternFill("solid", fgColor="FFF9C4")
HEADER_FONT = Font(bold=True)
UNLOCKED = Protection(locked=False)


@dataclass(frozen=True)
class ProjectBundle:
    """A project with the savings lines (of the period's year) and risks it shows."""

    project: Project
    lines: list[SavingsLine]
    risks: list[Risk]


def _sheet(book: Workbook, title: str, columns: Sequence[str]) -> Worksheet:
    ws = book.create_sheet(title)
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = HEADER_FONT
    ws.freeze_panes = "A2"
    for index, name in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(
            12, min(len(name) + 4, 40)
        )
    ws.protection.sheet = True
    return ws


def _inputs(ws: Worksheet, row: int, columns: Iterable[int]) -> None:
    for column in columns:
        cell = ws.cell(row=row, column=column)
        cell.protection = UNLOCKED
        cell.fill = INPUT_FILL


def _choices(
    ws: Worksheet, choices: Iterable[str], column: int, first: int, last: int
) -> None:
    if last < first:
        return
    letter = get_column_letter(column)
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="Choose from the list",
        error="Choose one of the values in the list.",
    )
    ws.add_data_validation(validation)
    validation.add(f"{letter}{first}:{letter}{last}")


def _guide(book: Workbook, programme: str, period: str, scope: str) -> None:
    ws = book.active
    ws.title = fmt.GUIDE
    ws["A1"] = "tripleaim project workbook"
    ws["A1"].font = Font(bold=True, size=14)
    rows = {
        "programme": ("Programme", programme),
        "period": ("Period", f"{period} ({month_title(period)})"),
        "scope": ("Projects", scope),
        "template_version": ("Template version", fmt.TEMPLATE_VERSION),
    }
    for key, (label, value) in rows.items():
        cell = fmt.GUIDE_CELLS[key]
        ws[f"A{cell[1:]}"] = label
        ws[cell] = value
    ws["A8"] = (
        "Fill in the yellow cells only, then upload the workbook to tripleaim. Money is in "
        "£ thousands. Every cell is checked; errors are reported by sheet and cell and "
        "nothing is saved until the whole workbook is valid."
    )
    ws["A8"].alignment = Alignment(wrap_text=True)
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 60
    ws.protection.sheet = True


def _projects(
    book: Workbook, bundles: list[ProjectBundle], commentary: dict[int, str]
) -> None:
    ws = _sheet(book, fmt.PROJECT, fmt.PROJECT_COLUMNS)
    for b in bundles:
        p = b.project
        ws.append(
            [
                p.slug,
                p.title,
                p.workstream.title,
                p.lead,
                RAG_TITLES[p.rag],
                p.rag_reason,
                commentary.get(p.id, ""),
            ]
        )
        _inputs(ws, ws.max_row, (5, 6, 7))
    _choices(ws, fmt.RAG_CHOICES, 5, 2, ws.max_row)


def _milestones(book: Workbook, bundles: list[ProjectBundle]) -> None:
    ws = _sheet(book, fmt.MILESTONES, fmt.MILESTONE_COLUMNS)
    for b in bundles:
        for m in b.project.milestones:
            ws.append(
                [
                    b.project.slug,
                    m.id,
                    m.title,
                    m.baseline_date,
                    m.forecast_date,
                    m.actual_date,
                    fmt.titled(m.status),
                ]
            )
            _inputs(ws, ws.max_row, (5, 6, 7))
            for column in (4, 5, 6):
                ws.cell(row=ws.max_row, column=column).number_format = "yyyy-mm-dd"
    _choices(ws, fmt.MILESTONE_CHOICES, 7, 2, ws.max_row)


def _kpis(book: Workbook, bundles: list[ProjectBundle], months: list[str]) -> None:
    ws = _sheet(book, fmt.KPIS, fmt.KPI_COLUMNS)
    for b in bundles:
        for k in b.project.kpis:
            values = {v.month: v for v in k.values}
            head = [
                b.project.slug,
                k.id,
                k.title,
                k.unit,
                fmt.titled(k.polarity),
                k.baseline,
                k.target,
            ]
            for series, attr in (
                (fmt.TRAJECTORY, "trajectory"),
                (fmt.ACTUAL, "actual"),
            ):
                cells: list[Any] = [
                    getattr(values[m], attr) if m in values else None for m in months
                ]
                ws.append([*head, series, *cells])
                if not (k.indicator_id and series == fmt.ACTUAL):
                    _inputs(ws, ws.max_row, range(9, 21))


def _savings(book: Workbook, bundles: list[ProjectBundle]) -> None:
    ws = _sheet(book, fmt.SAVINGS, fmt.SAVINGS_COLUMNS)
    for b in bundles:
        for line in b.lines:
            months = {m.month: m for m in line.months}
            head = [
                b.project.slug, line.id, line.organisation, line.scheme, line.category.upper()
                if line.category != "system" else "System", line.financial_year,
                "Yes" if line.recurrent else "No", fmt.titled(line.stage), line.plan_total, line.forecast,
            ]  # fmt: skip
            year = year_months(line.financial_year)
            for series, attr in ((fmt.PLAN, "plan"), (fmt.ACTUAL, "actual")):
                cells = [
                    getattr(months[m], attr) if m in months else None for m in year
                ]
                ws.append([*head, series, *cells])
                heads = (8, 9, 10) if series == fmt.PLAN else ()
                _inputs(ws, ws.max_row, (*heads, *range(12, 24)))
    _choices(ws, fmt.STAGE_CHOICES, 8, 2, ws.max_row)


def _risks(book: Workbook, bundles: list[ProjectBundle]) -> None:
    ws = _sheet(book, fmt.RISKS, fmt.RISK_COLUMNS)
    for b in bundles:
        for r in b.risks:
            row = ws.max_row + 1
            ws.append(
                [
                    b.project.slug,
                    r.id,
                    r.kind,
                    r.title,
                    r.owner,
                    r.likelihood,
                    r.impact,
                    f"=F{row}*G{row}",
                    fmt.titled(r.status),
                    r.mitigation,
                ]
            )
            _inputs(ws, row, (6, 7, 9, 10))
    _choices(ws, fmt.SCORES, 6, 2, ws.max_row)
    _choices(ws, fmt.SCORES, 7, 2, ws.max_row)
    _choices(ws, fmt.RISK_STATUS_CHOICES, 9, 2, ws.max_row)


def _meta(
    book: Workbook,
    programme: str,
    period: str,
    scope: str,
    bundles: list[ProjectBundle],
) -> None:
    ws = book.create_sheet(fmt.META_SHEET)
    ws.append(["template_version", fmt.TEMPLATE_VERSION])
    ws.append(["programme", programme])
    ws.append(["period", period])
    ws.append(["scope", scope])
    for b in bundles:
        ws.append([f"project:{b.project.slug}", b.project.version])
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


def render(
    session: Session,
    month: str,
    project: str | None = None,
    programme: str | None = None,
    commentary: dict[int, str] | None = None,
) -> bytes:
    """The workbook for one project (``project``) or every project active in ``month``."""
    prog = programme_of(session, programme)
    period = period_of(session, prog, month)
    year = financial_year(period.month)
    if project:
        chosen = [project_of(session, project)]
    else:
        chosen = [
            p
            for w in prog.workstreams
            for p in w.projects
            if p.start_month <= month <= p.end_month
        ]
    bundles = [
        ProjectBundle(
            p,
            [line for line in savings_lines(session, p) if line.financial_year == year],
            risks(session, p),
        )
        for p in chosen
    ]
    if commentary is None:
        commentary = {r.project_id: r.commentary for r in period.returns}
    scope = project or "programme"
    book = Workbook()
    _guide(book, prog.slug, month, scope)
    _projects(book, bundles, commentary)
    _milestones(book, bundles)
    _kpis(book, bundles, year_months(year))
    _savings(book, bundles)
    _risks(book, bundles)
    _meta(book, prog.slug, month, scope, bundles)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
