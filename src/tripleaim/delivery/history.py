"""Versioned edits: optimistic locking on projects and the change log (old and new values).

Every edit of a project or anything it holds goes through a :class:`ChangeRecorder`:
it compares each field, writes a ``delivery_changes`` row for each real change and, at
the end, stamps the project (who, when), which raises its ``version``. An editor says
which version it started from; a different current version means someone else saved in
between, and the edit is refused with :class:`ProjectChangedError` naming the project.
SQLAlchemy's ``version_id_col`` closes the remaining race: the UPDATE only matches the
version read, so two simultaneous saves cannot both succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from tripleaim.access import ROLES, allowed
from tripleaim.delivery.models import Project
from tripleaim.delivery.records import Change
from tripleaim.errors import AccessDeniedError, ConflictError
from tripleaim.warehouse.store.base import Base, utcnow


@dataclass(frozen=True)
class Actor:
    """Who is acting, as recorded in the change log and the audit trail."""

    username: str
    role: str = ""
    org_code: str = ""
    address: str = ""
    account: str = ""
    """The signed-in account's username (``username`` when empty; tokens add a suffix)."""
    manager: bool | None = None
    """May act for any project (``delivery.manage``); ``None``: the role's grant decides."""

    @property
    def login(self) -> str:
        """The account compared with a project's ``lead_username``."""
        return self.account or self.username

    @property
    def manages(self) -> bool:
        """PMO managers (and the operator's CLI, role ``cli``) act for any project."""
        if self.manager is not None:
            return self.manager
        if self.role == OPERATOR_ROLE:
            return True
        return self.role in ROLES and allowed(self.role, "delivery", "manage")


OPERATOR_ROLE = "cli"
"""The role of the command line, run by the platform's operator with the store's rights."""


class NotProjectLeadError(AccessDeniedError):
    """Only the project's lead, or a PMO manager, may submit its return."""


def check_may_submit(actor: Actor, project: Project) -> None:
    """Refuse a return from anyone but the project's lead or a manager (decision 0024)."""
    if actor.manages:
        return
    if project.lead_username and actor.login == project.lead_username:
        return
    lead = project.lead_username or "no one (no lead account is recorded)"
    raise NotProjectLeadError(
        f"Only the project's lead ({lead}) or the programme office may submit the "
        f"return for '{project.slug}' ({project.title}); you are signed in as "
        f"{actor.login}."
    )


class ProjectChangedError(ConflictError):
    """Someone else saved the project after the editor opened it (optimistic locking)."""


def stale_message(project: Project, expected: int) -> str:
    """The conflict message: which project, who saved it, which versions."""
    by = f" by {project.updated_by}" if project.updated_by else ""
    return (
        f"Project '{project.slug}' ({project.title}) was changed{by} after you opened "
        f"it: you started from version {expected}, it is now at version "
        f"{project.version}. Download it again, reapply your changes and resubmit."
    )


def check_version(project: Project, expected: int | None) -> None:
    """Refuse the edit when the project is no longer at ``expected`` (None: no check)."""
    if expected is not None and project.version != expected:
        raise ProjectChangedError(stale_message(project, expected))


def as_text(value: Any) -> str | None:
    """How a value is written in the change log."""
    if value is None:
        return None
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class ChangeRecorder:
    """Applies field edits to records of one project and logs each one."""

    def __init__(
        self, session: Session, actor: Actor, project: Project, context: str
    ) -> None:
        self.session = session
        self.actor = actor
        self.project = project
        self.context = context
        self.count = 0

    def set(self, record: Base, field: str, value: Any) -> bool:
        """Set ``record.field`` to ``value``; log and return True when it changed."""
        old = getattr(record, field)
        if old == value and type(old) is type(value):
            return False
        if old == value and isinstance(old, int | float) and not isinstance(old, bool):
            return False
        setattr(record, field, value)
        self.log(record, field, old, value)
        return True

    def log(self, record: Base, field: str, old: Any, new: Any) -> None:
        """Write one change row (for records created or edited by hand)."""
        if record.__dict__.get("id") is None:
            self.session.flush()
        self.session.add(
            Change(
                actor=self.actor.username,
                project_id=self.project.id,
                entity=str(record.__tablename__).removeprefix("delivery_"),
                entity_id=record.__dict__["id"],
                field=field,
                old_value=as_text(old),
                new_value=as_text(new),
                context=self.context[:200],
            )
        )
        self.count += 1

    def finish(self) -> int:
        """Stamp the project (raising its version) if anything changed; the number of changes."""
        if self.count:
            self.project.updated_at = utcnow()
            self.project.updated_by = self.actor.username
        return self.count
