"""The web return form: what it shows for a project and period, and reading it back.

The form asks for the period's figures only (RAG and reason, commentary, each KPI's
actual, each savings line's stage, forecast and actual for the month); every other
month is carried over unchanged. Field names are the error locations, so the page's
error summary links to each field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from tripleaim.delivery.cycle import period_of, project_of
from tripleaim.delivery.periods import financial_year
from tripleaim.delivery.returns import (
    KpiEntry,
    Problem,
    ReturnData,
    ReturnInvalidError,
    SavingsEntry,
)
from tripleaim.delivery.service import savings_lines


def form_view(session: Session, slug: str, month: str) -> dict[str, Any]:
    """The project's KPIs and savings lines with their values for ``month``."""
    project = project_of(session, slug)
    period = period_of(session, project.workstream.programme, month)
    kpis = []
    for kpi in project.kpis:
        value = next((v for v in kpi.values if v.month == month), None)
        kpis.append(
            {
                "kpi": kpi,
                "trajectory": value.trajectory if value else None,
                "actual": value.actual if value else None,
            }
        )
    year = financial_year(month)
    lines = []
    for line in savings_lines(session, project):
        if line.financial_year == year:
            row = next((m for m in line.months if m.month == month), None)
            lines.append(
                {
                    "line": line,
                    "plan": row.plan if row else 0.0,
                    "actual": row.actual if row else None,
                }
            )
    record = next((r for r in period.returns if r.project_id == project.id), None)
    return {
        "project": project,
        "period": period,
        "kpis": kpis,
        "lines": lines,
        "record": record,
    }


def _number(
    fields: Mapping[str, str], name: str, problems: list[Problem]
) -> float | None:
    text = fields.get(name, "").strip().replace(",", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        problems.append(Problem(name, f"'{fields[name]}' is not a number."))
        return None


def return_from_form(
    session: Session, slug: str, fields: Mapping[str, str]
) -> ReturnData:
    """A ReturnData from the submitted form, or ReturnInvalidError naming each bad field."""
    month = fields.get("period", "")
    view = form_view(session, slug, month)
    problems: list[Problem] = []
    version = fields.get("version", "").strip()
    kpis = []
    for item in view["kpis"]:
        kpi = item["kpi"]
        name = f"kpi-{kpi.id}"
        if kpi.indicator_id or name not in fields:
            continue
        kpis.append(
            KpiEntry(
                cells={"kpi_id": name, f"actual:{month}": name},
                kpi_id=kpi.id,
                months={month: (item["trajectory"], _number(fields, name, problems))},
            )
        )
    savings = []
    for item in view["lines"]:
        line = item["line"]
        prefix = f"saving-{line.id}"
        if f"{prefix}-actual" not in fields:
            continue
        months = {m.month: (m.plan, m.actual) for m in line.months}
        months[month] = (item["plan"], _number(fields, f"{prefix}-actual", problems))
        savings.append(
            SavingsEntry(
                cells={
                    "stage": f"{prefix}-stage",
                    "plan_total": f"{prefix}-actual",
                    "forecast": f"{prefix}-forecast",
                    f"actual:{month}": f"{prefix}-actual",
                },
                line_id=line.id,
                stage=fields.get(f"{prefix}-stage", line.stage),
                plan_total=line.plan_total,
                forecast=_number(fields, f"{prefix}-forecast", problems),
                months=months,
            )
        )
    if version and not version.isdigit():
        problems.append(
            Problem("version", "the form's version is damaged: reload the page.")
        )
    if problems:
        raise ReturnInvalidError(
            problems, f"The return for {slug} ({month}) was rejected"
        )
    return ReturnData(
        cells={"rag": "rag", "rag_reason": "rag_reason", "commentary": "commentary"},
        project=slug,
        period=month,
        expected_version=int(version) if version else None,
        rag=fields.get("rag", view["project"].rag),
        rag_reason=fields.get("rag_reason", view["project"].rag_reason).strip(),
        commentary=fields.get("commentary", "").strip(),
        kpis=tuple(kpis),
        savings=tuple(savings),
    )
