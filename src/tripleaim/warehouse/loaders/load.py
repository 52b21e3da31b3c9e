"""Load one extract file into one warehouse table: validated, all or nothing, once.

One parallel scan stages the file in a temporary table: each value that meets its
column's rules (``rules.py``) in the form it will be stored, a flag saying the whole
row is valid, and, for the few rows that are not, the row as read (JSON). The stage's
``rowid`` is the file's row number. Checks that need other rows (duplicate keys,
references to persons and organisations) run as joins over the stage. The table rows,
the quarantine rows (reasons recomputed for the rejected rows only) and the
``load_batches`` row are then written in one transaction: a failed or killed load
leaves nothing behind. See docs/decisions/0003-loading-validates-in-duckdb.md.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import duckdb

from tripleaim.errors import LoadError
from tripleaim.warehouse.engines.ddl import quote
from tripleaim.warehouse.loaders import quarantine
from tripleaim.warehouse.loaders.formats import (
    Extract,
    content_digest,
    csv_error_message,
    inspect_extract,
)
from tripleaim.warehouse.loaders.rules import ColumnRules, ordered_reasons, sql_string
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
    """Today in England: the default load date for the 'not in the future' rule."""
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
        today: The load date (default: today in England); later dates are errors.

    Raises:
        LoadError: The file is rejected whole (see ``formats.inspect_extract``) or the
            table is not loadable; nothing is written.
        NotFoundError: There is no such table.
    """
    table = schema_table(table_name)
    if table.group == "metadata":
        raise LoadError(
            f"{table.name} is the warehouse's own bookkeeping, not loadable from a file."
        )
    extract = inspect_extract(path, table, con)
    plan = _Plan(table, extract, today or london_today())
    try:
        if _count(
            con, "SELECT count(*) FROM load_batches WHERE table_name = ?", [table.name]
        ):
            # The file may have been loaded before: find out before reading it again.
            sha256 = content_digest(extract)
            earlier = _earlier_load(con, table, extract, sha256)
            if earlier is not None:
                return earlier
            plan.stage(con)
        else:
            sha256 = _stage_while_hashing(con, plan)
        con.begin()
        try:
            result = plan.write(con, sha256)
            con.commit()
        except BaseException:
            con.rollback()
            raise
    finally:
        con.execute(f"DROP TABLE IF EXISTS {STAGE}")
        con.execute(f"DROP TABLE IF EXISTS {REJECTS}")
    return result


def _stage_while_hashing(con: duckdb.DuckDBPyConnection, plan: _Plan) -> str:
    """Stage the file while another thread hashes it; return the SHA-256.

    A first load of a table cannot repeat an earlier one, so the hash is not needed
    before staging and reading the file twice at once saves the time of one pass. An
    encoding error found by the hash pass wins over DuckDB's report of the same file.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="tripleaim-hash") as pool:
        digest = pool.submit(content_digest, plan.extract)
        try:
            plan.stage(con)
        except LoadError:
            digest.result()
            raise
        return digest.result()


class _Plan:
    """The SQL of one load, built from the schema and the file's columns.

    Stage columns carry the schema's names. Integers and dates are kept in their
    type (their extract text is canonical, so it can be written back exactly), other
    values as text. Only rows with ``_ok`` are loaded; ``_raw`` keeps the others.
    """

    def __init__(self, table: Table, extract: Extract, today: date) -> None:
        self.table, self.extract, self.names = table, extract, table.column_names
        self.rules = {
            c.name: ColumnRules(
                c, quote(c.name), c.name in extract.typed_columns, today
            )
            for c in table.columns
        }
        self.converted = {
            n: f"__c{i}"
            for i, (n, r) in enumerate(self.rules.items())
            if r.needs_conversion
        }
        self.reasons = {n: f"__r{i}" for i, n in enumerate(self.names)}
        # Rules over a rejected row as read (JSON fields, text), to say what is wrong.
        self.raw_rules = {
            n: replace(r, value=f"CAST({quote(n)} AS {r.sql_type})") if r.typed else r
            for n, r in self.rules.items()
        }

    @property
    def checked_across_rows(self) -> set[str]:
        """Key and reference columns, which the checks across rows read.

        The stage keeps only their valid values, as those checks also read rows that
        break another rule.
        """
        table = self.table
        targets = {
            c.references[1]
            for c in table.columns
            if c.references and c.references[0] == table.name
        }
        return {
            *table.primary_key,
            *targets,
            *(c.name for c in table.columns if c.references),
        }

    def stored_as_typed(self, name: str) -> bool:
        """True when the stage holds ``name`` in its type rather than as text."""
        rules = self.rules[name]
        return rules.typed or rules.column.type in ("int", "date")

    def text(self, name: str) -> str:
        """SQL for a stage column as its extract text (exact for a valid value)."""
        return (
            f"CAST({quote(name)} AS VARCHAR)"
            if self.stored_as_typed(name)
            else quote(name)
        )

    def stage(self, con: duckdb.DuckDBPyConnection) -> None:
        """Read the file into the stage, outside the load's transaction.

        Outside, because rows staged inside a transaction get transaction-local row
        ids; temporary tables never reach the warehouse file, so a killed load leaves
        nothing of them.
        """
        try:
            con.execute(self.stage_sql()).fetchall()
        except duckdb.InvalidInputException as exc:
            name = self.extract.path.name
            if self.extract.format == "csv":
                raise LoadError(csv_error_message(self.extract.path, exc)) from exc
            raise LoadError(
                f"{name}: the Parquet file cannot be read ({type(exc).__name__})."
            ) from exc

    def stage_sql(self) -> str:
        """One scan: parse, find each column's first problem, keep what is valid.

        The innermost query parses numbers and dates once; the next names each
        column's first problem; then whole-row validity; the outer query keeps valid
        values in their stored form and, for an invalid row, the row as read.
        """
        rules = {
            n: replace(r, converted=self.converted.get(n))
            for n, r in self.rules.items()
        }
        parsed = ", ".join(
            f"{self.rules[n].try_cast()} AS {c}" for n, c in self.converted.items()
        )
        reasons = ", ".join(
            f"{r.reason()} AS {self.reasons[n]}" for n, r in rules.items()
        )
        ok = [f"{r} IS NULL" for r in self.reasons.values()]
        ok += [
            f"({sql}) IS NULL"
            for _, sql in ordered_reasons(self.table.ordered, rules, self.reasons)
        ]
        stored = {
            n: rules[n].try_cast() if self.stored_as_typed(n) else quote(n)
            for n in self.names
        }
        kept = ", ".join(
            f"CASE WHEN {self.reasons[n]} IS NULL THEN {stored[n]} END AS {quote(n)}"
            if n in self.checked_across_rows
            else f"{stored[n]} AS {quote(n)}"
            for n in self.names
        )
        raw = (
            "to_json(struct_pack("
            + ", ".join(
                f"{quote(c)} := {self.rules[c].text()}" for c in self.extract.columns
            )
            + "))"
        )
        source = self.extract.reader_sql()
        if parsed:
            source = f"(SELECT *, {parsed} FROM {source})"
        checked = f"SELECT *, {reasons} FROM {source}"
        flagged = f"SELECT *, {' AND '.join(ok)} AS __ok FROM ({checked})"
        return (
            f"CREATE OR REPLACE TEMP TABLE {STAGE} AS SELECT {kept}, __ok AS _ok, "
            f"CASE WHEN NOT __ok THEN {raw} END AS _raw FROM ({flagged})"
        )

    def write(self, con: duckdb.DuckDBPyConnection, sha: str) -> LoadResult:
        """Check across rows and write everything; the caller owns the transaction."""
        table, name = self.table.name, self.extract.path.name
        earlier = _earlier_load(con, self.table, self.extract, sha)
        if earlier is not None:
            return earlier
        batch_id = _count(
            con, "SELECT coalesce(max(batch_id), 0) + 1 FROM load_batches"
        )
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {REJECTS} (_row BIGINT, column_name VARCHAR, value VARCHAR, reason VARCHAR)"
        )
        for statement in self.reject_sql(con):
            con.execute(statement).fetchall()
        # From here on ``_ok`` means "load this row"; the reasons are in REJECTS.
        con.execute(
            f"UPDATE {STAGE} SET _ok = false WHERE rowid IN (SELECT _row - 1 FROM {REJECTS})"
        ).fetchall()
        read = _count(con, f"SELECT count(*) FROM {STAGE}")
        loaded = _count(con, self.insert_sql())
        con.execute(self.quarantine_sql(), [batch_id, table, name]).fetchall()
        held = _count(
            con,
            "SELECT count(DISTINCT row_number) FROM quarantine WHERE batch_id = ?",
            [batch_id],
        )
        if loaded + held != read:
            msg = f"load of {name}: {read} rows read but {loaded} loaded and {held} quarantined"
            raise AssertionError(msg)
        loaded_at = datetime.now(UTC).replace(tzinfo=None)
        con.execute(
            "INSERT INTO load_batches VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [batch_id, table, name, sha, loaded_at, read, loaded, held],
        ).fetchall()
        return LoadResult(
            table,
            name,
            sha,
            batch_id,
            read,
            loaded,
            held,
            False,
            self.message(batch_id, read, loaded, held),
        )

    def message(self, batch_id: int, read: int, loaded: int, held: int) -> str:
        """One line for the user: how many rows went where."""
        name, table = self.extract.path.name, self.table.name
        if read == 0:
            return f"{name} has a header and no rows: nothing loaded into {table} (batch {batch_id})."
        note = (
            f"; {held:,} held in quarantine (see quarantine batch {batch_id})"
            if held
            else ""
        )
        return f"Loaded {loaded:,} of {read:,} rows from {name} into {table} (batch {batch_id}){note}."

    def reject_sql(self, con: duckdb.DuckDBPyConnection) -> list[str]:
        """Checks across rows: duplicate keys, keys already loaded, references."""
        table, key = self.table, self.table.primary_key
        into = f"INSERT INTO {REJECTS} SELECT {_ROW}"
        key_text = (
            "concat_ws(', ', "
            + ", ".join(f"{sql_string(k + '=')} || {self.text(k)}" for k in key)
            + ")"
        )
        known = " AND ".join(f"{quote(k)} IS NOT NULL" for k in key)
        names, columns = ", ".join(key), ", ".join(quote(k) for k in key)
        duplicate = sql_string(
            f"duplicate key: another row of this file has the same {names}"
        )
        statements = [
            f"{into}, '*', {key_text}, {duplicate} FROM {STAGE} JOIN (SELECT {columns} FROM {STAGE} "
            f"WHERE {known} GROUP BY ALL HAVING count(*) > 1) AS d USING ({columns})"
        ]
        if _count(
            con, f"SELECT count(*) FROM (SELECT 1 FROM {quote(table.name)} LIMIT 1)"
        ):
            loaded = sql_string(
                f"key already in the warehouse: {table.name} has a row with this {names} from an earlier load"
            )
            same = " AND ".join(f"w.{quote(k)} = {STAGE}.{quote(k)}" for k in key)
            statements.append(
                f"{into}, '*', {key_text}, {loaded} FROM {STAGE} "
                f"WHERE {known} AND EXISTS (SELECT 1 FROM {quote(table.name)} AS w WHERE {same})"
            )
        for col in table.columns:
            if col.references is None:
                continue
            ref_table, ref_col = col.references
            noun = _NOUNS.get(ref_table, ref_table)
            reason = sql_string(
                f"unknown {noun}: no {ref_table} row has this {ref_col} (load {ref_table} first)"
            )
            value = quote(col.name)
            found = f"EXISTS (SELECT 1 FROM {quote(ref_table)} AS w WHERE w.{quote(ref_col)} = {STAGE}.{value})"
            unknown = f"{value} IS NOT NULL AND NOT {found}"
            if ref_table == table.name:
                in_file = f"{value} IN (SELECT {quote(ref_col)} FROM {STAGE} WHERE {quote(ref_col)} IS NOT NULL)"
                unknown += f" AND NOT {in_file}"
            statements.append(
                f"{into}, {sql_string(col.name)}, {self.text(col.name)}, {reason} FROM {STAGE} WHERE {unknown}"
            )
            if ref_table == table.name:
                statements.append(
                    self._self_reference_sql(col.name, ref_col, found, into)
                )
        return statements

    def _self_reference_sql(
        self, col: str, ref_col: str, in_warehouse: str, into: str
    ) -> str:
        """Rows whose parent is a row of the file that cannot be loaded (or a loop).

        A row can be loaded when it has no parent, its parent is already in the
        warehouse, or its parent can be loaded: reachability from those roots, by a
        recursive query over the rows that passed every other check.
        """
        parent, key = quote(col), quote(ref_col)
        reason = sql_string(
            f"its {col} is a row of this file that cannot be loaded (quarantined, or the chain of {col} loops)"
        )
        candidates = f"SELECT {key} AS k, {parent} AS p FROM {STAGE} WHERE _ok AND {_ROW} NOT IN (SELECT _row FROM {REJECTS})"
        warehouse = (
            f"EXISTS (SELECT 1 FROM {quote(self.table.name)} AS w WHERE w.{key} = c.p)"
        )
        reach = (
            f"WITH RECURSIVE c AS ({candidates}), reach(k) AS (SELECT k FROM c WHERE c.p IS NULL OR {warehouse} "
            f"UNION SELECT c.k FROM c JOIN reach ON c.p = reach.k) SELECT k FROM reach"
        )
        return (
            f"{into}, {sql_string(col)}, {self.text(col)}, {reason} FROM {STAGE} "
            f"WHERE _ok AND {parent} IS NOT NULL AND NOT {in_warehouse} "
            f"AND {_ROW} NOT IN (SELECT _row FROM {REJECTS}) AND {key} NOT IN ({reach})"
        )

    def insert_sql(self) -> str:
        """Append the rows that passed everything, in their documented types."""
        columns = ", ".join(quote(n) for n in self.names)
        values = ", ".join(
            quote(n) if self.stored_as_typed(n) else self.rules[n].cast()
            for n in self.names
        )
        return f"INSERT INTO {quote(self.table.name)} ({columns}) SELECT {values} FROM {STAGE} WHERE _ok"

    def quarantine_sql(self) -> str:
        """One quarantine row per problem of every rejected row, with the row as read."""
        columns = self.extract.columns
        rebuilt = (
            "to_json(struct_pack("
            + ", ".join(f"{quote(c)} := {self.text(c)}" for c in columns)
            + "))"
        )
        rows = f"SELECT {_ROW} AS _row, coalesce(_raw, {rebuilt}) AS _raw FROM {STAGE} WHERE NOT _ok"
        return quarantine.insert_sql(rows, self.raw_rules, self.table.ordered, REJECTS)


def _earlier_load(
    con: duckdb.DuckDBPyConnection, table: Table, extract: Extract, sha256: str
) -> LoadResult | None:
    """The result to return when this file's bytes were already loaded into ``table``."""
    rows = con.execute(
        "SELECT batch_id, loaded_at FROM load_batches WHERE table_name = ? AND content_sha256 = ? "
        "ORDER BY batch_id LIMIT 1",
        [table.name, sha256],
    ).fetchall()
    if not rows:
        return None
    (batch_id, loaded_at), name = rows[0], extract.path.name
    message = (
        f"{name} was already loaded into {table.name} as batch {batch_id} at "
        f"{loaded_at:%Y-%m-%d %H:%M} UTC (same SHA-256); nothing done."
    )
    return LoadResult(table.name, name, sha256, int(batch_id), 0, 0, 0, True, message)


def _count(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None
) -> int:
    return int(con.execute(sql, params or []).fetchall()[0][0])
