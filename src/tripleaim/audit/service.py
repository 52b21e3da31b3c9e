"""Record and search the audit trail; export it for information governance."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tripleaim.audit.models import AuditEvent

OUTCOMES = ("success", "denied", "failed", "invalid", "error")
EXPORT_COLUMNS = (
    "id",
    "at",
    "actor",
    "actor_role",
    "org_code",
    "action",
    "object_type",
    "object_id",
    "outcome",
    "address",
    "detail",
)


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    outcome: str,
    role: str = "",
    org_code: str = "",
    object_type: str = "",
    object_id: str = "",
    address: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one event. Detail holds no patient-level values, only ids and reasons."""
    session.add(
        AuditEvent(
            actor=actor,
            actor_role=role,
            org_code=org_code,
            action=action,
            object_type=object_type,
            object_id=object_id,
            outcome=outcome,
            address=address,
            detail=json.dumps(detail or {}, sort_keys=True),
        )
    )


@dataclass(frozen=True)
class AuditQuery:
    """Filters for searching the trail; every field optional."""

    actor: str = ""
    action: str = ""
    outcome: str = ""
    object_id: str = ""
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 200


def search(session: Session, query: AuditQuery) -> list[AuditEvent]:
    """Newest first, filtered."""
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc())
    if query.actor:
        stmt = stmt.where(AuditEvent.actor.contains(query.actor, autoescape=True))
    if query.action:
        stmt = stmt.where(AuditEvent.action == query.action)
    if query.outcome:
        stmt = stmt.where(AuditEvent.outcome == query.outcome)
    if query.object_id:
        stmt = stmt.where(AuditEvent.object_id == query.object_id)
    if query.since:
        stmt = stmt.where(AuditEvent.at >= query.since)
    if query.until:
        stmt = stmt.where(AuditEvent.at <= query.until)
    return list(session.scalars(stmt.limit(query.limit)))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """Text for a spreadsheet cell; a leading formula character is neutralised (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(events: list[AuditEvent]) -> str:
    """CSV with a header, one row per event; values that look like formulas are quoted with '."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for e in events:
        writer.writerow(
            [
                getattr(e, c).isoformat() if c == "at" else _cell(getattr(e, c))
                for c in EXPORT_COLUMNS
            ]
        )
    return out.getvalue()
