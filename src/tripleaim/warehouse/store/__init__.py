"""The operational store: what people write (users, sessions, audit, later programme data).

One SQLAlchemy engine and session factory; SQLite by default, PostgreSQL in production.
Capabilities declare tables on ``Base``; only this module connects. Schema changes are
Alembic migrations (``migrations/``), applied by ``migrate``.
"""

from __future__ import annotations

from tripleaim.warehouse.store.base import Base, utcnow
from tripleaim.warehouse.store.engine import Store, migrate, open_store

__all__ = ["Base", "Store", "migrate", "open_store", "utcnow"]
