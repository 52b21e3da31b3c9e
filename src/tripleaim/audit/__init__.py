"""The append-only audit trail: who did what to which object, when, from where, outcome."""

from __future__ import annotations

from tripleaim.audit.models import AuditEvent
from tripleaim.audit.service import OUTCOMES, AuditQuery, record, search, to_csv

__all__ = ["OUTCOMES", "AuditEvent", "AuditQuery", "record", "search", "to_csv"]
