"""The monthly cycle as a state machine: open a period, submit, review, lock.

Periods go ``open`` -> ``locked``; a return goes ``submitted`` -> ``approved`` or
``changes_requested`` (and back to ``submitted`` when resubmitted while the period is
open). Every transition is audited through ``tripleaim.audit`` in the same
transaction, so a change and its audit event are saved together or not at all.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tripleaim import audit
from tripleaim.delivery.history import Actor
from tripleaim.delivery.models import Programme, Project, Workstream
from tripleaim.delivery.periods import check_month, month_title
from tripleaim.delivery.records import Period, ProjectReturnRecord
from tripleaim.errors import ConflictError, NotFoundError, UserError
from tripleaim.warehouse.store.base import utcnow

RETURN_TRANSITIONS = {
    (None, "submit"): "submitted",
    ("submitted", "submit"): "submitted",
    ("changes_requested", "submit"): "submitted",
    ("approved", "submit"): "submitted",
    ("submitted", "approve"): "approved",
    ("submitted", "request_changes"): "changes_requested",
}
"""(current status, action) -> new status; anything else is refused."""
PERIOD_TRANSITIONS = {
    (None, "open"): "open",
    ("open", "lock"): "locked",
    ("locked", "lock"): "locked",
}
"""Locking is idempotent: locking a locked period changes nothing."""


class PeriodLockedError(ConflictError):
    """The period is locked: nothing can be submitted or reviewed in it."""


class TransitionError(ConflictError):
    """The action is not allowed from the current state."""


def next_status(current: str | None, action: str, what: str = "return") -> str:
    """The state after ``action`` from ``current``, or a TransitionError saying why not."""
    table = RETURN_TRANSITIONS if what == "return" else PERIOD_TRANSITIONS
    try:
        return table[(current, action)]
    except KeyError:
        state = current or "not started"
        raise TransitionError(
            f"A {what} that is {state.replace('_', ' ')} cannot be "
            f"{action.replace('_', ' ')}{'d' if action.endswith('e') else 'ed'}."
        ) from None


def programme_of(session: Session, slug: str | None = None) -> Programme:
    """The programme ``slug``, or the only (first) programme when none is named."""
    stmt = (
        select(Programme)
        .order_by(Programme.id)
        .options(selectinload(Programme.workstreams).selectinload(Workstream.projects))
    )
    if slug:
        stmt = stmt.where(Programme.slug == slug)
    programme = session.scalars(stmt.limit(1)).first()
    if programme is None:
        raise NotFoundError(
            f"No programme '{slug}'."
            if slug
            else "No programme yet: run `tripleaim delivery demo`."
        )
    return programme


def project_of(session: Session, slug: str) -> Project:
    """The project ``slug`` or a NotFoundError naming it."""
    project = session.scalar(select(Project).where(Project.slug == slug))
    if project is None:
        raise NotFoundError(f"No project '{slug}'.")
    return project


def period_of(session: Session, programme: Programme, month: str) -> Period:
    """The period ``month`` of the programme, or a NotFoundError naming it."""
    period = session.scalar(
        select(Period).where(
            Period.programme_id == programme.id, Period.month == check_month(month)
        )
    )
    if period is None:
        raise NotFoundError(
            f"The period {month} has not been opened: the PMO opens it first."
        )
    return period


def require_open(period: Period) -> None:
    """Refuse anything in a locked period."""
    if period.status == "locked":
        raise PeriodLockedError(
            f"The period {period.month} ({month_title(period.month)}) is locked: "
            "returns can no longer be submitted or changed."
        )


def _audit(
    session: Session, actor: Actor, action: str, object_id: str, **detail: str
) -> None:
    audit.record(
        session,
        actor=actor.username,
        role=actor.role,
        org_code=actor.org_code,
        address=actor.address,
        action=f"delivery.{action}",
        outcome="success",
        object_type="delivery_period"
        if action.startswith("period")
        else "delivery_return",
        object_id=object_id,
        detail=detail,
    )


def open_period(
    session: Session, actor: Actor, month: str, programme: str | None = None
) -> Period:
    """Open a reporting period (once per month)."""
    prog = programme_of(session, programme)
    exists = session.scalar(
        select(Period).where(
            Period.programme_id == prog.id, Period.month == check_month(month)
        )
    )
    next_status(exists.status if exists else None, "open", "period")
    period = Period(programme_id=prog.id, month=month, opened_by=actor.username)
    session.add(period)
    session.flush()
    _audit(session, actor, "period.open", month, programme=prog.slug)
    return period


def lock_period(
    session: Session, actor: Actor, month: str, programme: str | None = None
) -> Period:
    """Lock a period (idempotent); refused while returns still await review."""
    period = period_of(session, programme_of(session, programme), month)
    status = next_status(period.status, "lock", "period")
    if period.status == status:
        return period
    waiting = sorted(r.project.slug for r in period.returns if r.status == "submitted")
    if waiting:
        raise TransitionError(
            f"The period {month} cannot be locked: returns await review for "
            + ", ".join(waiting)
            + "."
        )
    period.status = status
    period.locked_at = utcnow()
    period.locked_by = actor.username
    _audit(session, actor, "period.lock", month)
    return period


def record_submission(
    session: Session,
    actor: Actor,
    period: Period,
    project: Project,
    source: str,
    commentary: str,
) -> ProjectReturnRecord:
    """Create or resubmit the project's return for the period (values applied by the caller)."""
    require_open(period)
    record = session.scalar(
        select(ProjectReturnRecord).where(
            ProjectReturnRecord.period_id == period.id,
            ProjectReturnRecord.project_id == project.id,
        )
    )
    status = next_status(record.status if record else None, "submit")
    if record is None:
        record = ProjectReturnRecord(period_id=period.id, project_id=project.id)
        session.add(record)
    record.status = status
    record.source = source
    record.commentary = commentary
    record.submitted_by = actor.username
    record.submitted_at = utcnow()
    record.reviewed_by = ""
    record.reviewed_at = None
    _audit(
        session, actor, "return.submit", f"{period.month}/{project.slug}", source=source
    )
    return record


def review_return(
    session: Session,
    actor: Actor,
    month: str,
    project: str,
    decision: str,
    comment: str = "",
    programme: str | None = None,
) -> ProjectReturnRecord:
    """Approve a return or ask for changes (which needs a comment saying what)."""
    period = period_of(session, programme_of(session, programme), month)
    require_open(period)
    proj = project_of(session, project)
    record = session.scalar(
        select(ProjectReturnRecord).where(
            ProjectReturnRecord.period_id == period.id,
            ProjectReturnRecord.project_id == proj.id,
        )
    )
    if decision == "request_changes" and not comment.strip():
        raise UserError("Say what needs to change (comment) when asking for changes.")
    if record is None:
        raise NotFoundError(f"{project} has not submitted a return for {month}.")
    record.status = next_status(record.status, decision)
    record.reviewed_by = actor.username
    record.reviewed_at = utcnow()
    record.review_comment = comment
    _audit(session, actor, f"return.{decision}", f"{month}/{project}", comment=comment)
    return record


def record_refusal(
    session: Session,
    actor: Actor,
    action: str,
    object_id: str,
    reason: str,
    outcome: str = "invalid",
) -> None:
    """Audit a refused step (invalid upload, conflict, locked period) in its own transaction."""
    audit.record(
        session,
        actor=actor.username,
        role=actor.role,
        org_code=actor.org_code,
        address=actor.address,
        action=f"delivery.{action}",
        outcome=outcome,
        object_type="delivery_return",
        object_id=object_id,
        detail={"reason": reason[:500]},
    )
