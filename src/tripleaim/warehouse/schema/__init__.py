"""The warehouse data model, defined once: tables, columns, types, rules and meaning."""

from __future__ import annotations

from tripleaim.warehouse.schema import (
    activity,
    benchmark,
    comparators,
    derived,
    metadata,
    population,
    reference,
)
from tripleaim.warehouse.schema.model import Column, ColumnType, Table

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        *reference.TABLES,
        *population.TABLES,
        *activity.TABLES,
        *comparators.TABLES,
        *metadata.TABLES,
        *derived.TABLES,
        *benchmark.TABLES,
    )
}

LOADABLE_TABLES = tuple(
    name for name, t in TABLES.items() if t.group not in ("metadata", "derived")
)


def table(name: str) -> Table:
    """The table called ``name``, with a clear error listing the choices."""
    try:
        return TABLES[name]
    except KeyError:
        from tripleaim.errors import NotFoundError  # noqa: PLC0415

        raise NotFoundError(
            f"There is no warehouse table {name!r}. Tables: {', '.join(TABLES)}."
        ) from None


__all__ = ["LOADABLE_TABLES", "TABLES", "Column", "ColumnType", "Table", "table"]
