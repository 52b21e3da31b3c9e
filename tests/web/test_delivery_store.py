"""The delivery tables: the migration builds exactly what the models declare, on both stores."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi import FastAPI

from tripleaim import delivery  # noqa: F401  (declares the delivery tables on Base)
from tripleaim.warehouse.store import Base


def test_the_migration_creates_every_delivery_table_as_declared(app: FastAPI) -> None:
    engine = app.state.store.engine
    with engine.connect() as con:
        diff = compare_metadata(MigrationContext.configure(con), Base.metadata)
        tables = set(engine.dialect.get_table_names(con))
    delivery_tables = {t for t in Base.metadata.tables if t.startswith("delivery_")}
    assert len(delivery_tables) == 15
    assert delivery_tables <= tables
    assert [d for d in diff if "delivery_" in str(d)] == []
