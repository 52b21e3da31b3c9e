"""What the web pages and the CLI call: views of the programme, projects and periods, and submit.

Views are plain dictionaries and lists (templates and tables read them); money is £k.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tripleaim.delivery.cycle import period_of, programme_of, project_of
from tripleaim.delivery.history import Actor, check_may_submit
from tripleaim.delivery.ledgers import (
    Benefit,
    FinancialPlanLine,
    InvestmentLine,
    Risk,
    SavingsLine,
)
from tripleaim.delivery.models import RAG, RAG_TITLES, Kpi, Project
from tripleaim.delivery.periods import financial_year
from tripleaim.delivery.records import Change, Period, ProjectReturnRecord
from tripleaim.delivery.returns import ReturnData
from tripleaim.delivery.submission import SubmissionResult, submit_return

HISTORY_ROWS = 50


def savings_lines(session: Session, project: Project) -> list[SavingsLine]:
    """The project's savings lines, by year, organisation and scheme."""
    return list(
        session.scalars(
            select(SavingsLine)
            .where(SavingsLine.project_id == project.id)
            .options(selectinload(SavingsLine.months))
            .order_by(
                SavingsLine.financial_year, SavingsLine.organisation, SavingsLine.scheme
            )
        )
    )


def risks(session: Session, project: Project) -> list[Risk]:
    """The project's risks and issues, highest score first."""
    rows = session.scalars(
        select(Risk).where(Risk.project_id == project.id).order_by(Risk.id)
    )
    return sorted(rows, key=lambda r: (-r.score, r.id))


def submit(
    session: Session, actor: Actor, data: ReturnData, source: str
) -> SubmissionResult:
    """Validate and apply a return (form or workbook) in the caller's transaction.

    Raises:
        NotProjectLeadError: The actor is neither the project's lead nor a manager.
    """
    project = project_of(session, data.project)
    check_may_submit(actor, project)
    return submit_return(
        session,
        actor,
        data,
        source,
        savings_lines(session, project),
        risks(session, project),
    )


def kpi_status(kpi: Kpi, upto: str | None = None) -> dict[str, Any]:
    """The latest actual (to ``upto``) against its trajectory: on track or off."""
    values = [
        v
        for v in kpi.values
        if v.actual is not None and (upto is None or v.month <= upto)
    ]
    latest = values[-1] if values else None
    on_track = None
    if (
        latest is not None
        and latest.trajectory is not None
        and kpi.polarity != "neutral"
    ):
        sign = 1 if kpi.polarity == "higher_is_better" else -1
        on_track = sign * (latest.actual - latest.trajectory) >= 0  # type: ignore[operator]
    return {
        "kpi": kpi,
        "latest": latest,
        "on_track": on_track,
        "series": [(v.month, v.trajectory, v.actual) for v in kpi.values],
    }


def savings_summary(lines: list[SavingsLine], year: str) -> dict[str, float]:
    """Plan, forecast and actual to date (£k) of the lines of one financial year."""
    chosen = [line for line in lines if line.financial_year == year]
    return {
        "plan": round(sum(line.plan_total for line in chosen), 1),
        "forecast": round(sum(line.forecast or 0.0 for line in chosen), 1),
        "actual": round(
            sum(m.actual or 0.0 for line in chosen for m in line.months), 1
        ),
    }


def latest_period(session: Session, programme_id: int) -> Period | None:
    """The most recent period of the programme."""
    return session.scalars(
        select(Period)
        .where(Period.programme_id == programme_id)
        .order_by(Period.month.desc())
    ).first()


def programme_overview(
    session: Session, programme: str | None = None
) -> dict[str, Any]:
    """Workstreams with their projects and RAG, the RAG count and this year's savings."""
    prog = programme_of(session, programme)
    period = latest_period(session, prog.id)
    year = financial_year(period.month if period else prog.start_month)
    all_lines = list(
        session.scalars(
            select(SavingsLine)
            .join(Project, Project.id == SavingsLine.project_id)
            .where(SavingsLine.financial_year == year)
        )
    )
    by_project: dict[int, list[SavingsLine]] = {}
    for line in all_lines:
        by_project.setdefault(line.project_id, []).append(line)
    workstreams = []
    rags: Counter[str] = Counter()
    for w in prog.workstreams:
        projects = []
        for p in w.projects:
            rags[p.rag] += 1
            projects.append(
                {
                    "project": p,
                    "savings": savings_summary(by_project.get(p.id, []), year),
                }
            )
        workstreams.append({"workstream": w, "projects": projects})
    return {
        "programme": prog,
        "period": period,
        "year": year,
        "workstreams": workstreams,
        "rag_counts": [(r, RAG_TITLES[r], rags[r]) for r in RAG],
        "savings": savings_summary(all_lines, year),
    }


def project_view(session: Session, slug: str) -> dict[str, Any]:
    """Everything on a project's page."""
    project = project_of(session, slug)
    kpis = session.scalars(  # KPIs with their values in two queries, not one per KPI
        select(Kpi)
        .where(Kpi.project_id == project.id)
        .order_by(Kpi.id)
        .options(selectinload(Kpi.values))
    ).all()
    lines = savings_lines(session, project)
    period = latest_period(session, project.workstream.programme_id)
    returns = session.scalars(
        select(ProjectReturnRecord)
        .join(Period, Period.id == ProjectReturnRecord.period_id)
        .where(ProjectReturnRecord.project_id == project.id)
        .options(selectinload(ProjectReturnRecord.period))
        .order_by(Period.month.desc())
        .limit(12)
    )
    history = session.scalars(
        select(Change)
        .where(Change.project_id == project.id)
        .order_by(Change.id.desc())
        .limit(HISTORY_ROWS)
    )
    years = sorted({line.financial_year for line in lines})
    return {
        "project": project,
        "workstream": project.workstream,
        "period": period,
        "milestones": project.milestones,
        "kpis": [kpi_status(k) for k in kpis],
        "savings_lines": lines,
        "savings_by_year": [(y, savings_summary(lines, y)) for y in years],
        "investments": list(
            session.scalars(
                select(InvestmentLine).where(InvestmentLine.project_id == project.id)
            )
        ),
        "risks": risks(session, project),
        "benefits": list(
            session.scalars(select(Benefit).where(Benefit.project_id == project.id))
        ),
        "returns": [(r.period.month, r) for r in returns],
        "history": list(history),
    }


def periods(session: Session, programme: str | None = None) -> list[dict[str, Any]]:
    """Every period, newest first, with counts of returns by status."""
    prog = programme_of(session, programme)
    out = []
    for period in session.scalars(
        select(Period)
        .where(Period.programme_id == prog.id)
        .order_by(Period.month.desc())
    ):
        counts = Counter(r.status for r in period.returns)
        out.append({"period": period, "counts": dict(counts)})
    return out


def period_view(
    session: Session, month: str, programme: str | None = None
) -> dict[str, Any]:
    """A period's returns: every active project with its return status."""
    prog = programme_of(session, programme)
    period = period_of(session, prog, month)
    by_project = {r.project_id: r for r in period.returns}
    rows: list[dict[str, Any]] = [
        {"workstream": w, "project": p, "return": by_project.get(p.id)}
        for w in prog.workstreams
        for p in w.projects
        if p.start_month <= month <= p.end_month
    ]
    counts = Counter(
        row["return"].status if row["return"] else "awaited" for row in rows
    )
    return {"programme": prog, "period": period, "rows": rows, "counts": dict(counts)}


def financial_plans(
    session: Session, programme: str | None = None
) -> list[FinancialPlanLine]:
    """Organisations' plans by year (for the finance views)."""
    prog = programme_of(session, programme)
    return list(
        session.scalars(
            select(FinancialPlanLine)
            .where(FinancialPlanLine.programme_id == prog.id)
            .order_by(FinancialPlanLine.financial_year, FinancialPlanLine.organisation)
        )
    )
