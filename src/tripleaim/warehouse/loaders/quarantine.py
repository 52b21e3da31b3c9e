"""The quarantine: rows a load held back, one row per problem, and how to read them.

Quarantine rows are patient-level data: these functions return them to the caller
(CLI, web) and write them to a file the user names; they never log them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from tripleaim.errors import NotFoundError
from tripleaim.warehouse.engines.ddl import quote
from tripleaim.warehouse.loaders.rules import ColumnRules, ordered_reasons, sql_string
from tripleaim.warehouse.schema import TABLES

if TYPE_CHECKING:
    from pathlib import Path

    import duckdb
    import pyarrow as pa

QUARANTINE_COLUMNS = TABLES["quarantine"].column_names


@dataclass(frozen=True)
class Batch:
    """One row of ``load_batches``: a file loaded into a table."""

    batch_id: int
    table_name: str
    file_name: str
    content_sha256: str
    loaded_at: datetime
    rows_read: int
    rows_loaded: int
    rows_quarantined: int


@dataclass(frozen=True)
class ReasonCount:
    """How many rows one table's loads held back for one reason on one column."""

    table_name: str
    column_name: str
    reason: str
    rows: int


def insert_sql(
    rows: str,
    rules: dict[str, ColumnRules],
    ordered: tuple[tuple[str, str], ...],
    rejects: str,
) -> str:
    """SQL writing one quarantine row per problem; parameters: batch, table, file.

    Args:
        rows: SQL for the rejected rows: ``_row`` (row number) and ``_raw`` (the row
            as read, JSON of text values).
        rules: Each column's rules over a column of that name holding its text.
        ordered: The table's ordered column pairs.
        rejects: A table of problems found across rows (``_row``, column, value,
            reason).
    """
    reasons = {n: r.reason() for n, r in rules.items()}
    found = [(n, r.text(), reasons[n]) for n, r in rules.items()]
    found += [
        (b, rules[b].text(), sql) for b, sql in ordered_reasons(ordered, rules, reasons)
    ]
    problems = ", ".join(
        f"{{'c': {sql_string(n)}, 'v': {v}, 'r': {r}}}" for n, v, r in found
    )
    fields = ", ".join(f'"{c}": "VARCHAR"' for c in rules)
    return (
        f"INSERT INTO quarantine WITH bad AS MATERIALIZED (SELECT *, unnest(from_json(_raw, "
        f"'{{{fields}}}')) FROM ({rows})), problems AS (SELECT _row, unnest(list_filter("
        f"[{problems}], lambda x: x.r IS NOT NULL), recursive := true) FROM bad "
        f"UNION ALL SELECT _row, column_name, value, reason FROM {rejects}) "
        "SELECT ?, ?, ?, p._row, p.c, p.v, p.r, bad._raw FROM problems AS p "
        "JOIN bad USING (_row) ORDER BY p._row, p.c"
    )


def list_batches(con: duckdb.DuckDBPyConnection) -> list[Batch]:
    """Every load, oldest first."""
    columns = ", ".join(TABLES["load_batches"].column_names)
    rows = con.execute(
        f"SELECT {columns} FROM load_batches ORDER BY batch_id"
    ).fetchall()
    return [Batch(*row) for row in rows]


def _require_batch(con: duckdb.DuckDBPyConnection, batch_id: int) -> None:
    sql = "SELECT count(*) FROM load_batches WHERE batch_id = ?"
    if not con.execute(sql, [batch_id]).fetchall()[0][0]:
        raise NotFoundError(
            f"There is no load batch {batch_id}; list the loads to see their numbers."
        )


def show(
    con: duckdb.DuckDBPyConnection, batch_id: int, limit: int | None = 100
) -> pa.Table:
    """The quarantine rows of one load, in file order, at most ``limit`` (None for all).

    Raises:
        NotFoundError: No load has this batch number.
    """
    _require_batch(con, batch_id)
    sql = (
        f"SELECT {', '.join(QUARANTINE_COLUMNS)} FROM quarantine WHERE batch_id = ? "
        "ORDER BY row_number, column_name, reason"
    )
    params: list[object] = [batch_id]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return con.sql(sql, params=params).to_arrow_table()


def export(con: duckdb.DuckDBPyConnection, batch_id: int | None, path: Path) -> int:
    """Write quarantine rows (one load's, or all when ``batch_id`` is None) to a CSV file.

    The CSV is UTF-8 with a header, comma-separated, double quotes where needed, so a
    spreadsheet opens it and a data manager can fix the rows and send them again.

    Returns:
        The number of quarantine rows written.

    Raises:
        NotFoundError: No load has this batch number.
    """
    where = ""
    if batch_id is not None:
        _require_batch(con, batch_id)
        where = f"WHERE batch_id = {int(batch_id)}"
    columns = ", ".join(quote(c) for c in QUARANTINE_COLUMNS)
    query = f"SELECT {columns} FROM quarantine {where} ORDER BY batch_id, row_number, column_name, reason"
    path.parent.mkdir(parents=True, exist_ok=True)
    target = sql_string(path.as_posix())
    copy = f"COPY ({query}) TO {target} (FORMAT csv, HEADER true, DELIMITER ',')"
    return int(con.execute(copy).fetchall()[0][0])


def summary(con: duckdb.DuckDBPyConnection) -> list[ReasonCount]:
    """Rows held back, by table, column and reason, most frequent first."""
    rows = con.execute(
        "SELECT table_name, column_name, reason, count(*) AS n FROM quarantine "
        "GROUP BY ALL ORDER BY n DESC, table_name, column_name, reason"
    ).fetchall()
    return [ReasonCount(str(t), str(c), str(r), int(n)) for t, c, r, n in rows]
