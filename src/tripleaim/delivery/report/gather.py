"""Reading one programme's report inputs from the delivery store.

Only what the report needs is read, as frames: KPIs with their monthly actuals and
trajectories up to the period, projects with their RAG, savings lines with their
months, financial plan lines, investments, and open risks and issues. For a
workstream report the projects, KPIs, savings, investments and risks are that
workstream's; the financial plan (a system figure) is the whole partnership's.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from tripleaim.delivery.cycle import programme_of
from tripleaim.delivery.finance import Investment, PlanLine, SavingsPlan
from tripleaim.delivery.ledgers import (
    FinancialPlanLine,
    InvestmentLine,
    Risk,
    SavingsLine,
)
from tripleaim.delivery.models import Project, Workstream
from tripleaim.delivery.report.inputs import (
    KPI_COLUMNS,
    KPI_VALUE_COLUMNS,
    PROJECT_COLUMNS,
    RISK_COLUMNS,
    SAVINGS_MONTH_COLUMNS,
    HealthGap,
    ReportInputs,
)
from tripleaim.errors import NotFoundError


def _plan(line: SavingsLine) -> SavingsPlan:
    return SavingsPlan(
        line.organisation,
        line.scheme,
        line.category,
        line.financial_year,
        line.stage,
        line.plan_total,
        line.forecast,
        line.recurrent,
    )


def gather(
    session: Session,
    period: str,
    *,
    workstream: str | None = None,
    programme: str | None = None,
    health: HealthGap | None = None,
    health_note: str = "",
) -> ReportInputs:
    """The report inputs of ``programme`` (the first by default) for ``period``.

    Raises:
        NotFoundError: No such programme or workstream.
    """
    prog = programme_of(session, programme)
    streams: list[Workstream] = list(prog.workstreams)
    if workstream is not None:
        streams = [w for w in streams if w.slug == workstream]
        if not streams:
            known = ", ".join(w.slug for w in prog.workstreams)
            raise NotFoundError(
                f"No workstream '{workstream}' in {prog.slug}; workstreams are {known}."
            )
    projects: list[tuple[Workstream, Project]] = [
        (w, p) for w in streams for p in w.projects
    ]
    by_id = {p.id: (w, p) for w, p in projects}
    kpis, values = [], []
    for w, p in projects:
        for k in p.kpis:
            key = f"{p.slug}/{k.slug}"
            kpis.append(
                (
                    key,
                    k.title,
                    k.unit,
                    k.polarity,
                    k.target,
                    k.quality,
                    p.title,
                    w.title,
                )
            )
            values += [
                (key, v.month, v.actual, v.trajectory)
                for v in k.values
                if v.month <= period
            ]
    every = [p.id for w in prog.workstreams for p in w.projects]
    all_lines = list(
        session.scalars(select(SavingsLine).where(SavingsLine.project_id.in_(every)))
    )
    lines = [line for line in all_lines if line.project_id in by_id]
    savings = [_plan(line) for line in lines]
    months = [
        (
            line.id,
            by_id[line.project_id][1].title,
            by_id[line.project_id][0].title,
            line.organisation,
            line.scheme,
            line.financial_year,
            m.month,
            m.plan,
            m.actual,
        )
        for line in lines
        for m in line.months
    ]
    invest = session.scalars(
        select(InvestmentLine).where(InvestmentLine.project_id.in_(list(by_id)))
    )
    risks = session.scalars(
        select(Risk).where(Risk.project_id.in_(list(by_id)), Risk.status == "open")
    )
    plans = session.scalars(
        select(FinancialPlanLine).where(FinancialPlanLine.programme_id == prog.id)
    )
    return ReportInputs(
        programme=prog.title,
        period=period,
        scope=streams[0].title if workstream else "Whole partnership",
        workstream=workstream,
        workstreams=[w.title for w in streams],
        kpis=pd.DataFrame(kpis, columns=list(KPI_COLUMNS)),
        kpi_values=pd.DataFrame(values, columns=list(KPI_VALUE_COLUMNS)),
        projects=pd.DataFrame(
            [
                (p.slug, p.title, w.title, p.rag, p.rag_reason, p.lead, p.organisation)
                for w, p in projects
            ],
            columns=list(PROJECT_COLUMNS),
        ),
        savings=savings,
        system_savings=[_plan(line) for line in all_lines] if workstream else None,
        savings_months=pd.DataFrame(months, columns=list(SAVINGS_MONTH_COLUMNS)),
        plans=[
            PlanLine(
                line.organisation,
                line.organisation_kind,
                line.financial_year,
                line.resources_available,
                line.spending_requirement,
            )
            for line in plans
        ],
        investments=[
            Investment(
                i.organisation,
                i.description,
                i.financial_year,
                i.planned,
                i.expected_return,
                i.actual,
                i.recurrent,
            )
            for i in invest
        ],
        risks=pd.DataFrame(
            [
                (
                    by_id[r.project_id][1].title,
                    by_id[r.project_id][0].title,
                    r.kind,
                    r.title,
                    r.owner,
                    r.likelihood,
                    r.impact,
                    r.score,
                    r.mitigation,
                )
                for r in risks
            ],
            columns=list(RISK_COLUMNS),
        ),
        health=health,
        health_note=health_note,
    )
