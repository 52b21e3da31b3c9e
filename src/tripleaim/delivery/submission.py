"""Apply a validated return to the store: one transaction, every change logged, version checked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tripleaim.delivery.cycle import (
    period_of,
    project_of,
    record_submission,
    require_open,
)
from tripleaim.delivery.history import (
    Actor,
    ChangeRecorder,
    ProjectChangedError,
    check_version,
)
from tripleaim.delivery.ledgers import Risk, SavingsLine, SavingsMonth
from tripleaim.delivery.models import RAG, KpiValue, Project
from tripleaim.delivery.returns import (
    Problem,
    ReturnData,
    ReturnInvalidError,
    problems,
)
from tripleaim.errors import UserError

EDITABLE_PROJECT_FIELDS = (
    "title",
    "description",
    "lead",
    "organisation",
    "rag",
    "rag_reason",
)


@dataclass(frozen=True)
class SubmissionResult:
    """What a submission changed."""

    project: str
    period: str
    status: str
    changes: int
    version: int


def _ownership(project: Project, data: ReturnData) -> list[Problem]:
    """Entries naming records of another project."""
    out = []
    if data.milestones:
        ids = {m.id for m in project.milestones}
        out += [
            Problem(
                m.at("milestone_id"),
                f"milestone {m.milestone_id} is not one of {project.slug}'s.",
            )
            for m in data.milestones
            if m.milestone_id not in ids
        ]
    ids = {k.id for k in project.kpis}
    out += [
        Problem(k.at("kpi_id"), f"KPI {k.kpi_id} is not one of {project.slug}'s.")
        for k in data.kpis
        if k.kpi_id not in ids
    ]
    return out


def _apply_kpis(recorder: ChangeRecorder, project: Project, data: ReturnData) -> None:
    kpis = {k.id: k for k in project.kpis}
    for entry in data.kpis:
        kpi = kpis[entry.kpi_id]
        existing = {v.month: v for v in kpi.values}
        for month, (trajectory, actual) in sorted(entry.months.items()):
            value = existing.get(month)
            if value is None:
                if trajectory is None and actual is None:
                    continue
                value = KpiValue(kpi=kpi, month=month, source="return")
                recorder.session.add(value)
                recorder.session.flush()
            recorder.set(value, "trajectory", trajectory)
            if recorder.set(value, "actual", actual):
                value.source = "return"


def _apply_savings(
    recorder: ChangeRecorder, lines: dict[int, SavingsLine], data: ReturnData
) -> None:
    for entry in data.savings:
        line = lines[entry.line_id]
        recorder.set(line, "stage", entry.stage)
        recorder.set(line, "plan_total", entry.plan_total)
        recorder.set(line, "forecast", entry.forecast)
        existing = {m.month: m for m in line.months}
        for month, (plan, actual) in sorted(entry.months.items()):
            row = existing.get(month)
            if row is None:
                row = SavingsMonth(line_id=line.id, month=month, plan=0.0)
                recorder.session.add(row)
                recorder.session.flush()
            recorder.set(row, "plan", plan)
            recorder.set(row, "actual", actual)


def _apply_risks(
    recorder: ChangeRecorder, risks: dict[int, Risk], data: ReturnData
) -> None:
    for entry in data.risks:
        risk = risks[entry.risk_id]
        for name in ("likelihood", "impact", "status", "mitigation"):
            recorder.set(risk, name, getattr(entry, name))


def submit_return(
    session: Session,
    actor: Actor,
    data: ReturnData,
    source: str,
    lines: list[SavingsLine],
    risks: list[Risk],
) -> SubmissionResult:
    """Validate and apply a return; nothing is written unless all of it is valid.

    ``lines`` and ``risks`` are the project's savings lines and risks (``service.py``
    reads them), so an entry naming another project's line is refused by id.
    """
    project = project_of(session, data.project)
    period = period_of(session, project.workstream.programme, data.period)
    require_open(period)
    check_version(project, data.expected_version)
    linked = frozenset(k.id for k in project.kpis if k.indicator_id)
    by_line = {line.id: line for line in lines}
    by_risk = {risk.id: risk for risk in risks}
    found = _ownership(project, data)
    found += [
        Problem(
            s.at("line_id"), f"savings line {s.line_id} is not one of {project.slug}'s."
        )
        for s in data.savings
        if s.line_id not in by_line
    ]
    found += [
        Problem(r.at("risk_id"), f"risk {r.risk_id} is not one of {project.slug}'s.")
        for r in data.risks
        if r.risk_id not in by_risk
    ]
    found += problems(data, linked)
    if found:
        raise ReturnInvalidError(
            found, f"The return for {project.slug} ({data.period}) was rejected"
        )
    recorder = ChangeRecorder(
        session, actor, project, f"return {period.month} via {source}"
    )
    recorder.set(project, "rag", data.rag)
    recorder.set(project, "rag_reason", data.rag_reason)
    milestones = {m.id: m for m in project.milestones}
    for m in data.milestones:
        for name in ("forecast_date", "actual_date", "status"):
            recorder.set(milestones[m.milestone_id], name, getattr(m, name))
    _apply_kpis(recorder, project, data)
    _apply_savings(recorder, by_line, data)
    _apply_risks(recorder, by_risk, data)
    changes = recorder.finish()
    record = record_submission(session, actor, period, project, source, data.commentary)
    flush_or_conflict(session, project, data.expected_version)
    return SubmissionResult(
        project.slug, period.month, record.status, changes, project.version
    )


def flush_or_conflict(session: Session, project: Project, expected: int | None) -> None:
    """Flush; a concurrent save of the same project becomes a ProjectChangedError."""
    slug, title = project.slug, project.title  # readable after a failed flush
    try:
        session.flush()
    except StaleDataError as exc:
        raise ProjectChangedError(
            f"Project '{slug}' ({title}) was saved by someone else at the "
            f"same time (you started from version {expected}). Reload it and try again."
        ) from exc


def update_project(
    session: Session,
    actor: Actor,
    slug: str,
    expected_version: int,
    changes: dict[str, Any],
) -> Project:
    """Edit a project's own fields (PMO), refused when it changed since ``expected_version``."""
    project = project_of(session, slug)
    check_version(project, expected_version)
    unknown = sorted(set(changes) - set(EDITABLE_PROJECT_FIELDS))
    if unknown:
        raise UserError(f"Cannot edit {', '.join(unknown)} of a project.")
    if "rag" in changes and changes["rag"] not in RAG:
        raise UserError(f"rag: '{changes['rag']}' is not one of {', '.join(RAG)}.")
    recorder = ChangeRecorder(session, actor, project, "project edit")
    for name, value in changes.items():
        recorder.set(project, name, value)
    recorder.finish()
    flush_or_conflict(session, project, expected_version)
    return project
