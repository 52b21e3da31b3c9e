"""Warehouse DDL: schema tables as DuckDB ``CREATE TABLE`` statements and Arrow schemas."""

from __future__ import annotations

import pyarrow as pa

from tripleaim.warehouse.schema import TABLES, ColumnType, Table

DUCKDB_TYPES: dict[ColumnType, str] = {
    "string": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "bool": "BOOLEAN",
}

ARROW_TYPES: dict[ColumnType, pa.DataType] = {
    "string": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
    "bool": pa.bool_(),
}


def quote(name: str) -> str:
    """Quote an identifier for DuckDB."""
    return '"' + name.replace('"', '""') + '"'


def create_table_sql(table: Table, name: str | None = None) -> str:
    """``CREATE TABLE IF NOT EXISTS`` for ``table`` (optionally under another name)."""
    cols = ",\n  ".join(
        f"{quote(c.name)} {DUCKDB_TYPES[c.type]}{'' if c.nullable else ' NOT NULL'}"
        for c in table.columns
    )
    return f"CREATE TABLE IF NOT EXISTS {quote(name or table.name)} (\n  {cols}\n)"


def arrow_schema(table: Table) -> pa.Schema:
    """The Arrow schema of ``table``, used to type generated data and exports."""
    return pa.schema(
        [
            pa.field(c.name, ARROW_TYPES[c.type], nullable=c.nullable)
            for c in table.columns
        ]
    )


def all_create_statements() -> list[str]:
    """DDL for every warehouse table, in dependency-free order."""
    return [create_table_sql(t) for t in TABLES.values()]
