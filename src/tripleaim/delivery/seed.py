"""Load the demo programme (``definitions/demo_programme.yaml``) into the store, idempotently.

Two years of monthly history (April 2016 to March 2018) are generated from the
definition with a seeded generator per series (``numpy.random.default_rng([seed, n])``),
so the same definition always gives the same rows. Past periods are locked with
approved returns; the last month of history is left open with most returns submitted
and awaiting the PMO's review (one project in five has not yet returned).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from importlib import resources

import numpy as np
import yaml
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from tripleaim.delivery.ledgers import (
    Benefit,
    FinancialPlanLine,
    InvestmentLine,
    Risk,
    SavingsLine,
    SavingsMonth,
)
from tripleaim.delivery.models import (
    Kpi,
    KpiValue,
    Milestone,
    Programme,
    Project,
    Workstream,
)
from tripleaim.delivery.periods import financial_year, month_range, year_months
from tripleaim.delivery.records import Period, ProjectReturnRecord
from tripleaim.delivery.series import actuals, phasing, savings_actuals, trajectory
from tripleaim.delivery.spec import ProgrammeSpec, ProjectSpec
from tripleaim.errors import DefinitionError
from tripleaim.warehouse.store.base import utcnow

DEMO_FILE = "demo_programme.yaml"
SEED_ACTOR = "seed"


@dataclass(frozen=True)
class SeedSummary:
    """What loading the demo did."""

    programme: str
    created: bool
    workstreams: int
    projects: int
    kpi_values: int
    savings_lines: int
    periods: int


def demo_spec() -> ProgrammeSpec:
    """The shipped demo programme, validated (a bad file names the field)."""
    path = resources.files("tripleaim.delivery") / "definitions" / DEMO_FILE
    try:
        return ProgrammeSpec.model_validate(yaml.safe_load(path.read_text("utf-8")))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise DefinitionError(f"{DEMO_FILE}: {problems}") from exc


class _Loader:
    """Builds rows for one programme with one generator per series."""

    def __init__(self, session: Session, spec: ProgrammeSpec) -> None:
        self.session = session
        self.spec = spec
        self.series = 0
        self.kpi_values = 0
        self.savings_lines = 0

    def rng(self) -> np.random.Generator:
        self.series += 1
        return np.random.default_rng([self.spec.seed, self.series])

    def project(self, workstream: Workstream, p: ProjectSpec) -> Project:
        history = self.spec.history_until
        project = Project(
            workstream=workstream,
            slug=p.id,
            title=p.title,
            description=p.description.strip(),
            lead=p.lead,
            lead_username=p.lead_username,
            organisation=p.organisation,
            rag=p.rag,
            rag_reason=p.rag_reason,
            start_month=p.start_month,
            end_month=p.end_month,
            updated_by=SEED_ACTOR,
        )
        self.session.add(project)
        self.session.flush()
        for m in p.milestones:
            forecast = m.baseline + timedelta(days=m.slip_days)
            self.session.add(
                Milestone(
                    project=project,
                    title=m.title,
                    baseline_date=m.baseline,
                    forecast_date=forecast,
                    actual_date=forecast if m.done else None,
                    status="complete"
                    if m.done
                    else ("late" if m.slip_days > 60 else "on_track"),
                )
            )
        first = max(p.start_month, self.spec.start_month)
        for k in p.kpis:
            kpi = Kpi(
                project=project,
                slug=k.id,
                title=k.title,
                definition=k.definition,
                unit=k.unit,
                polarity=k.polarity,
                baseline=k.baseline,
                target=k.target,
                quality=k.quality,
                indicator_id=k.indicator_id,
                area_level=k.area_level,
            )
            self.session.add(kpi)
            planned = trajectory(k, first, p.end_month)
            done = {} if k.indicator_id else actuals(k, planned, history, self.rng())
            for month, value in planned.items():
                self.session.add(
                    KpiValue(
                        kpi=kpi,
                        month=month,
                        trajectory=value,
                        actual=done.get(month),
                        source="seed",
                    )
                )
                self.kpi_values += 1
        for s in p.savings:
            months = year_months(s.year)
            plan = phasing(s, months)
            got = savings_actuals(s, plan, history, self.rng())
            remaining = sum(v for m, v in plan.items() if m not in got)
            line = SavingsLine(
                project_id=project.id,
                organisation=s.organisation,
                scheme=s.scheme,
                category=s.category,
                financial_year=s.year,
                recurrent=s.recurrent,
                stage=s.stage,
                plan_total=s.plan_total,
                forecast=round(sum(got.values()) + remaining * s.achievement, 1),
            )
            self.session.add(line)
            for month in months:
                line.months.append(
                    SavingsMonth(month=month, plan=plan[month], actual=got.get(month))
                )
            self.savings_lines += 1
        for i in p.investments:
            spent = i.year <= financial_year(history)
            self.session.add(
                InvestmentLine(
                    project_id=project.id,
                    organisation=i.organisation,
                    description=i.description,
                    financial_year=i.year,
                    planned=i.planned,
                    actual=round(i.planned * i.spent_share, 1) if spent else None,
                    expected_return=i.expected_return,
                    recurrent=i.recurrent,
                )
            )
        for r in p.risks:
            self.session.add(
                Risk(
                    project_id=project.id,
                    kind=r.kind,
                    title=r.title,
                    owner=r.owner,
                    likelihood=r.likelihood,
                    impact=r.impact,
                    mitigation=r.mitigation,
                    raised_on=r.raised_on,
                )
            )
        for b in p.benefits:
            self.session.add(
                Benefit(
                    project_id=project.id,
                    title=b.title,
                    kind=b.kind,
                    measure=b.measure,
                    owner=b.owner,
                    planned=b.planned,
                    realised=b.realised,
                )
            )
        return project


def _plans(spec: ProgrammeSpec, programme: Programme) -> list[FinancialPlanLine]:
    horizon = int(spec.horizon_year[:4])
    rows = []
    for f in spec.financial_plans:
        for year in spec.plan_years:
            back = horizon - int(year[:4])
            rows.append(
                FinancialPlanLine(
                    programme_id=programme.id,
                    organisation=f.organisation,
                    organisation_kind=f.kind,
                    financial_year=year,
                    resources_available=round(
                        f.resources_available / (1 + f.resource_growth) ** back, 1
                    ),
                    spending_requirement=round(
                        f.spending_requirement / (1 + f.spending_growth) ** back, 1
                    ),
                    note="horizon-year plan"
                    if back == 0
                    else "derived from the horizon year by annual growth",
                )
            )
    return rows


def load_demo(session: Session, spec: ProgrammeSpec | None = None) -> SeedSummary:
    """Load the demo programme unless a programme with its id is already there."""
    spec = spec or demo_spec()
    existing = session.scalar(select(Programme).where(Programme.slug == spec.id))
    if existing is not None:
        projects = [p for w in existing.workstreams for p in w.projects]
        return SeedSummary(
            spec.id, False, len(existing.workstreams), len(projects), 0, 0, 0
        )
    programme = Programme(
        slug=spec.id,
        title=spec.title,
        description=spec.description,
        start_month=spec.start_month,
        end_month=spec.end_month,
    )
    session.add(programme)
    loader = _Loader(session, spec)
    projects = []
    for position, w in enumerate(spec.workstreams):
        workstream = Workstream(
            programme=programme,
            slug=w.id,
            title=w.title,
            kind=w.kind,
            lead=w.lead,
            description=w.description,
            position=position,
        )
        session.add(workstream)
        projects += [loader.project(workstream, p) for p in w.projects]
    session.flush()
    session.add_all(_plans(spec, programme))
    months = month_range(spec.start_month, spec.history_until)
    for month in months:
        last = month == months[-1]
        period = Period(
            programme_id=programme.id,
            month=month,
            status="open" if last else "locked",
            opened_by=SEED_ACTOR,
            locked_by="" if last else SEED_ACTOR,
            locked_at=None if last else utcnow(),
        )
        session.add(period)
        for index, project in enumerate(projects):
            if not project.start_month <= month <= project.end_month:
                continue
            if last and index % 5 == 4:
                continue
            period.returns.append(
                ProjectReturnRecord(
                    project_id=project.id,
                    status="submitted" if last else "approved",
                    source="form",
                    submitted_by=project.lead_username or SEED_ACTOR,
                    reviewed_by="" if last else SEED_ACTOR,
                    reviewed_at=None if last else utcnow(),
                )
            )
    session.flush()
    return SeedSummary(
        spec.id,
        True,
        len(spec.workstreams),
        len(projects),
        loader.kpi_values,
        loader.savings_lines,
        len(months),
    )
