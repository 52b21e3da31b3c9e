"""Alembic environment: runs migrations on the URL given by ``store.engine.migrate``."""

from __future__ import annotations

import importlib

from alembic import context
from sqlalchemy import engine_from_config, pool

from tripleaim.warehouse.store.base import Base

MODEL_MODULES = (
    "tripleaim.access.models",
    "tripleaim.audit.models",
    "tripleaim.delivery.models",
    "tripleaim.delivery.ledgers",
    "tripleaim.delivery.records",
)
"""Capabilities' model modules, imported by name so autogenerate sees every table while the
store itself stays below the capabilities in the import layers."""

for module in MODEL_MODULES:
    importlib.import_module(module)

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Run migrations in a transaction on a live connection."""
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            compare_type=True,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    connectable.dispose()


run_migrations_online()
