"""Load one extract file into one warehouse table: validated, all or nothing, once.

The file is staged as text in a temporary table in one parallel scan that also
evaluates every column's rules (``rules.py``) into a single ``_ok`` flag. Checks that
need other rows (duplicate keys, references to persons and organisations) run as
joins over the stage and record the rows they reject. Valid rows are then cast to
their documented types and appended; every rejected row gets one quarantine row per
problem, with its reasons recomputed from the staged text (a few rows, so cheap).
The table rows, the quarantine rows and the ``load_batches`` row are written in one
transaction: a failed or killed load leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import duckdb

from tripleaim.errors import LoadError
from tripleaim.warehouse.engines.ddl import quote
from tripleaim.warehouse.loaders.formats import (
    Extract,
    csv_error_message,
    inspect_extract,
)
from tripleaim.warehouse.loaders.rules import ColumnRules, ordered_reason, sql_string
from tripleaim.warehouse.schema import table as schema_table

if TYPE_CHECKING:
    from pathlib import Path

    from tripleaim.warehouse.schema.model import Table

STAGE = "_tripleaim_load_stage"
REJECTS = "_tripleaim_load_rejects"
_ROW = f"({STAGE}.rowid + 1)"

_NOUNS = {
    "persons": "person",
    "organisations": "organisation",
    "lsoas": "LSOA",
    "national_areas": "area",
}


@dataclass(frozen=True)
class LoadResult:
    """What a load did, for the CLI and the web to show.

    ``rows_read`` always equals ``rows_loaded + rows_quarantined``: no row is dropped.
    A file already loaded into the table (same SHA-256) is skipped: nothing is
    written, ``skipped_as_duplicate`` is true and ``batch_id`` names the earlier load.
    """

    table: str
    file: str
    sha256: str
    batch_id: int
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    skipped_as_duplicate: bool
    message: str


def london_today() -> date:
    """Today's date in England, the default load date for the 'not in the future' rule."""
    return datetime.now(ZoneInfo("Europe/London")).date()


def load_file(
    con: duckdb.DuckDBPyConnection,
    table_name: str,
    path: Path,
    *,
    today: date | None = None,
) -> LoadResult:
    """Validate ``path`` and load its valid rows into ``table_name``, quarantining the rest.

    Args:
        con: A warehouse connection (tables created), not inside a transaction.
        table_name: A loadable warehouse table.
        path: A ``.csv`` or ``.parquet`` extract in the format of docs/extract-formats.md.
        today: The load date (default: today in Europe/London); later dates are errors.

    Raises:
        LoadError: The file is rejected whole (see ``formats.inspect_extract``) or the
            table is not loadable; nothing is written.
    """
    table = schema_table(table_name)
    if table.group == "metadata":
        raise LoadError(
            f"{table.name} is the warehouse's own bookkeeping and cannot be loaded from a file."
        )
    extract = inspect_extract(path, table, con)
    earlier = _earlier_load(con, table, extract)
    if earlier is not None:
        return earlier
    plan = _Plan(table, extract, today or london_today())
    try:
        plan.stage(con)
        con.begin()
        try:
            result = plan.write(con)
            con.commit()
        except BaseException:
            con.rollback()
            raise
    finally:
        con.execute(f"DROP TABLE IF EXISTS {STAGE}")
        con.execute(f"DROP TABLE IF EXISTS {REJECTS}")
    return result


class _Plan:
    """The SQL of one load, built from the schema and the file's columns."""

    def __init__(self, table: Table, extract: Extract, today: date) -> None:
        self.table, self.extract = table, extract
        self.rules = {
            c.name: ColumnRules(
                c, quote(c.name), c.name in extract.typed_columns, today
            )
            for c in table.columns
        }
        self.reasons = {name: f"__r{i}" for i, name in enumerate(self.rules)}
        self.converted = {
            n: f"__c{i}"
            for i, (n, r) in enumerate(self.rules.items())
            if r.needs_conversion
        }
        self.stage_rules = {
            n: replace(r, converted=self.converted.get(n))
            for n, r in self.rules.items()
        }
        ref_targets = [
            c.references[1]
            for c in table.columns
            if c.references and c.references[0] == table.name
        ]
        self.typed = [
            c.name
            for c in table.columns
            if c.name in table.primary_key or c.references or c.name in ref_targets
        ]

    def t(self, name: str) -> str:
        """The stage column holding ``name`` in its type, NULL unless it passed its rules."""
        return quote(f"__t_{name}")

    def stage(self, con: duckdb.DuckDBPyConnection) -> None:
        """Read the file into the temporary stage, outside the load's transaction.

        Outside, because rows staged inside a transaction get transaction-local row
        ids, and the stage's ``rowid`` is the file's row number; temporary tables are
        never written to the warehouse file, so a killed load leaves nothing of them.
        """
        try:
            con.execute(self.stage_sql())
        except duckdb.InvalidInputException as exc:
            path = self.extract.path
            if self.extract.format == "csv":
                raise LoadError(csv_error_message(path, exc)) from exc
            raise LoadError(
                f"{path.name}: the Parquet file cannot be read ({type(exc).__name__})."
            ) from exc

    def write(self, con: duckdb.DuckDBPyConnection) -> LoadResult:
        """Check across rows and write everything; the caller owns the transaction."""
        table, path, sha = self.table.name, self.extract.path.name, self.extract.sha256
        earlier = _earlier_load(con, self.table, self.extract)
        if earlier is not None:
            return earlier
        batch_id = _count(
            con, "SELECT coalesce(max(batch_id), 0) + 1 FROM load_batches"
        )
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {REJECTS} (_row BIGINT, column_name VARCHAR, value VARCHAR, reason VARCHAR)"
        )
        for statement in self.reject_sql(con):
            con.execute(statement)
        rows_read = _count(con, f"SELECT count(*) FROM {STAGE}")
        rows_loaded = _count(con, self.insert_sql())
        con.execute(self.quarantine_sql(), [batch_id, table, path])
        rows_quarantined = _count(
            con,
            "SELECT count(DISTINCT row_number) FROM quarantine WHERE batch_id = ?",
            [batch_id],
        )
        if rows_loaded + rows_quarantined != rows_read:
            msg = f"load of {path}: {rows_read} read but {rows_loaded} loaded and {rows_quarantined} quarantined"
            raise AssertionError(msg)
        loaded_at = datetime.now(UTC).replace(tzinfo=None)
        con.execute(
            "INSERT INTO load_batches VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                batch_id,
                table,
                path,
                sha,
                loaded_at,
                rows_read,
                rows_loaded,
                rows_quarantined,
            ],
        )
        message = self.message(batch_id, rows_read, rows_loaded, rows_quarantined)
        return LoadResult(
            table,
            path,
            sha,
            batch_id,
            rows_read,
            rows_loaded,
            rows_quarantined,
            False,
            message,
        )

    def message(self, batch_id: int, read: int, loaded: int, quarantined: int) -> str:
        """One line for the user: how many rows went where."""
        name = self.extract.path.name
        if read == 0:
            return f"{name} has a header and no rows: nothing loaded into {self.table.name} (batch {batch_id})."
        held = (
            f"; {quarantined:,} held in quarantine (see quarantine batch {batch_id})"
            if quarantined
            else ""
        )
        return f"Loaded {loaded:,} of {read:,} rows from {name} into {self.table.name} (batch {batch_id}){held}."

    def _ordered(
        self, reason_of: dict[str, str], rules: dict[str, ColumnRules]
    ) -> list[tuple[str, str]]:
        """(column, reason SQL) for each ordered pair, given each column's reason SQL."""
        return [
            (
                b,
                ordered_reason(
                    rules[a],
                    rules[b],
                    f"({reason_of[a]}) IS NULL",
                    f"({reason_of[b]}) IS NULL",
                ),
            )
            for a, b in self.table.ordered
        ]

    def stage_sql(self) -> str:
        """One parallel scan: the file's text, an all-rules flag and typed keys.

        The innermost query parses each number, date and time once; the middle one
        turns each column's rules into a reason (NULL when fine); the outer one keeps
        the text, whether every reason is NULL, and the keys and references in their
        types for the checks across rows.
        """
        rules = self.stage_rules
        conversions = ", ".join(
            f"{self.rules[n].try_cast()} AS {c}" for n, c in self.converted.items()
        )
        reasons = ", ".join(
            f"{r.reason()} AS {self.reasons[n]}" for n, r in rules.items()
        )
        ok = [f"{r} IS NULL" for r in self.reasons.values()]
        ok += [f"({sql}) IS NULL" for _, sql in self._ordered(self.reasons, rules)]
        typed = ", ".join(
            f"CASE WHEN {self.reasons[n]} IS NULL THEN {rules[n].try_cast()} END AS {self.t(n)}"
            for n in self.typed
        )
        columns = ", ".join(quote(c) for c in self.extract.columns)
        source = self.extract.reader_sql()
        if conversions:
            source = f"(SELECT *, {conversions} FROM {source})"
        return (
            f"CREATE OR REPLACE TEMP TABLE {STAGE} AS SELECT {columns}, {' AND '.join(ok)} AS _ok, {typed} "
            f"FROM (SELECT *, {reasons} FROM {source})"
        )

    def reject_sql(self, con: duckdb.DuckDBPyConnection) -> list[str]:
        """Checks across rows: duplicate keys, keys already loaded, references."""
        table, key = self.table, self.table.primary_key
        into = f"INSERT INTO {REJECTS} SELECT {_ROW}"
        key_text = (
            "concat_ws(', ', "
            + ", ".join(f"{sql_string(k + '=')} || {self.rules[k].text()}" for k in key)
            + ")"
        )
        key_known = " AND ".join(f"{self.t(k)} IS NOT NULL" for k in key)
        key_names = ", ".join(key)
        statements = [
            f"{into}, '*', {key_text}, "
            f"{sql_string(f'duplicate key: another row of this file has the same {key_names}')} "
            f"FROM {STAGE} JOIN (SELECT {', '.join(self.t(k) for k in key)} FROM {STAGE} WHERE {key_known} "
            f"GROUP BY ALL HAVING count(*) > 1) AS d USING ({', '.join(self.t(k) for k in key)})"
        ]
        if _count(
            con, f"SELECT count(*) FROM (SELECT 1 FROM {quote(table.name)} LIMIT 1)"
        ):
            statements.append(
                f"{into}, '*', {key_text}, "
                f"{sql_string(f'key already in the warehouse: {table.name} has a row with this {key_names} from an earlier load')} "
                f"FROM {STAGE} WHERE {key_known} AND EXISTS (SELECT 1 FROM {quote(table.name)} AS w WHERE "
                + " AND ".join(f"w.{quote(k)} = {self.t(k)}" for k in key)
                + ")"
            )
        for col in table.columns:
            if col.references is None:
                continue
            ref_table, ref_col = col.references
            reason = sql_string(
                f"unknown {_NOUNS.get(ref_table, ref_table)}: no {ref_table} row has this {ref_col} (load {ref_table} first)"
            )
            in_warehouse = f"EXISTS (SELECT 1 FROM {quote(ref_table)} AS w WHERE w.{quote(ref_col)} = {self.t(col.name)})"
            unknown = f"{self.t(col.name)} IS NOT NULL AND NOT {in_warehouse}"
            if ref_table != table.name:
                statements.append(
                    f"{into}, {sql_string(col.name)}, {self.rules[col.name].text()}, {reason} FROM {STAGE} WHERE {unknown}"
                )
                continue
            in_file = f"{self.t(col.name)} IN (SELECT {self.t(ref_col)} FROM {STAGE} WHERE {self.t(ref_col)} IS NOT NULL)"
            statements.append(
                f"{into}, {sql_string(col.name)}, {self.rules[col.name].text()}, {reason} FROM {STAGE} WHERE {unknown} AND NOT {in_file}"
            )
            statements.append(
                self._self_reference_sql(col.name, ref_col, in_warehouse, into)
            )
        return statements

    def _self_reference_sql(
        self, col: str, ref_col: str, in_warehouse: str, into: str
    ) -> str:
        """Rows whose parent is in the file but cannot be loaded (rejected, or a loop).

        A parent is loadable when it has no parent, its parent is already in the
        warehouse, or its parent is loadable: reachability from those roots, computed
        by a recursive query over the rows that passed every other check.
        """
        parent, key = self.t(col), self.t(ref_col)
        reason = sql_string(
            f"its {col} is a row of this file that cannot be loaded (quarantined, or the chain of {col} loops)"
        )
        return (
            f"{into}, {sql_string(col)}, {self.rules[col].text()}, {reason} FROM {STAGE} "
            f"WHERE _ok AND {parent} IS NOT NULL AND NOT {in_warehouse} "
            f"AND {_ROW} NOT IN (SELECT _row FROM {REJECTS}) AND {key} NOT IN ("
            f"WITH RECURSIVE candidates AS (SELECT {key} AS k, {parent} AS p FROM {STAGE} "
            f"WHERE _ok AND {_ROW} NOT IN (SELECT _row FROM {REJECTS})), "
            f"reach(k) AS (SELECT k FROM candidates AS c WHERE c.p IS NULL OR EXISTS "
            f"(SELECT 1 FROM {quote(self.table.name)} AS w WHERE w.{quote(ref_col)} = c.p) "
            f"UNION SELECT c.k FROM candidates AS c JOIN reach ON c.p = reach.k) SELECT k FROM reach)"
        )

    def insert_sql(self) -> str:
        """Append the rows that passed everything, cast to their documented types."""
        names = ", ".join(quote(c.name) for c in self.table.columns)
        casts = ", ".join(self.rules[c.name].cast() for c in self.table.columns)
        return (
            f"INSERT INTO {quote(self.table.name)} ({names}) SELECT {casts} FROM {STAGE} "
            f"WHERE _ok AND {_ROW} NOT IN (SELECT _row FROM {REJECTS})"
        )

    def quarantine_sql(self) -> str:
        """One quarantine row per problem of every rejected row, with the row as JSON."""
        rules = self.rules
        problems = [(n, r.text(), r.reason()) for n, r in rules.items()]
        problems += [
            (b, rules[b].text(), sql)
            for b, sql in self._ordered(
                {n: r.reason() for n, r in rules.items()}, rules
            )
        ]
        structs = ", ".join(
            f"{{'c': {sql_string(n)}, 'v': {text}, 'r': {reason}}}"
            for n, text, reason in problems
        )
        original = (
            "to_json(struct_pack("
            + ", ".join(f"{quote(c)} := {quote(c)}" for c in self.extract.columns)
            + "))"
        )
        columns = ", ".join(quote(c) for c in self.extract.columns)
        return (
            f"INSERT INTO quarantine WITH bad AS MATERIALIZED (SELECT {_ROW} AS _row, {columns} FROM {STAGE} "
            f"WHERE NOT _ok OR {_ROW} IN (SELECT _row FROM {REJECTS})), "
            f"problems AS (SELECT _row, unnest(list_filter([{structs}], lambda x: x.r IS NOT NULL), recursive := true) FROM bad "
            f"UNION ALL SELECT _row, column_name, value, reason FROM {REJECTS}) "
            f"SELECT ?, ?, ?, p._row, p.c, p.v, p.r, {original} FROM problems AS p JOIN bad USING (_row)"
        )


def _earlier_load(
    con: duckdb.DuckDBPyConnection, table: Table, extract: Extract
) -> LoadResult | None:
    """The result to return when this file's bytes were already loaded into ``table``."""
    rows = con.execute(
        "SELECT batch_id, loaded_at FROM load_batches WHERE table_name = ? AND content_sha256 = ? "
        "ORDER BY batch_id LIMIT 1",
        [table.name, extract.sha256],
    ).fetchall()
    if not rows:
        return None
    batch_id, loaded_at = rows[0]
    name = extract.path.name
    message = (
        f"{name} was already loaded into {table.name} as batch {batch_id} at "
        f"{loaded_at:%Y-%m-%d %H:%M} UTC (same SHA-256); nothing done."
    )
    return LoadResult(
        table.name, name, extract.sha256, int(batch_id), 0, 0, 0, True, message
    )


def _count(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None
) -> int:
    return int(con.execute(sql, params or []).fetchall()[0][0])
