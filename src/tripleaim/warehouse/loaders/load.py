"""Load one extract file into one warehouse table: validated, all or nothing, once.

One parallel scan stages the file in a temporary table (valid values in their stored
form, a valid-row flag, invalid rows as read); its ``rowid`` is the file's row number.
Checks across rows (duplicate keys, references) are joins over the stage. Table rows,
quarantine rows and the ``load_batches`` row are written in one transaction, so a
failed or killed load leaves nothing. See docs/decisions/0003-loading-validates-in-duckdb.md.
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
_NOUNS = {"lsoas": "LSOA", "national_areas": "area"}  # else the table name less its "s"


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
        LoadError: The file is rejected whole (see ``formats``) or the table is not
            loadable; nothing is written.
        NotFoundError: There is no such table.
    """
    table = schema_table(table_name)
    if table.group in ("metadata", "derived"):
        raise LoadError(
            f"{table.name} is derived or bookkeeping, not loadable from a file."
        )
    plan = _Plan(table, inspect_extract(path, table, con), today or london_today())
    try:
        if _count(
            con, "SELECT count(*) FROM load_batches WHERE table_name = ?", [table.name]
        ):
            # The file may have been loaded before: find out before reading it again.
            sha256 = content_digest(plan.extract)
            earlier = _earlier_load(con, table, plan.extract, sha256)
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

    A table's first load cannot repeat an earlier one, so the hash is not needed
    before staging, and reading the file twice at once saves the time of one pass. An
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
    values as text. Rows with ``_ok`` are loaded; ``_raw`` keeps the others as read.
    """

    def __init__(self, table: Table, extract: Extract, today: date) -> None:
        self.table, self.extract, self.names = table, extract, table.column_names
        typed = extract.typed_columns
        self.rules = {
            c.name: ColumnRules(c, quote(c.name), c.name in typed, today)
            for c in table.columns
        }
        self.reasons = {n: f"__r{i}" for i, n in enumerate(self.names)}
        self.parsed = {
            n: f"__c{i}"
            for i, (n, r) in enumerate(self.rules.items())
            if r.needs_conversion
        }
        # The stage's rules read each number and date parsed once, by an inner query.
        self.stage_rules = {
            n: replace(r, converted=self.parsed.get(n)) for n, r in self.rules.items()
        }
        # Rules over a rejected row's fields as read (text), to say what is wrong.
        self.raw_rules = {
            n: replace(r, value=f"CAST({quote(n)} AS {r.sql_type})") if r.typed else r
            for n, r in self.rules.items()
        }
        # Keys and references are read by the checks across rows even in rows that
        # break another rule, so the stage keeps only their valid values.
        parents = {
            c.references[1]
            for c in table.columns
            if c.references and c.references[0] == table.name
        }
        self.strict = {
            *table.primary_key,
            *parents,
            *(c.name for c in table.columns if c.references),
        }

    def stored_as_typed(self, name: str) -> bool:
        """True when the stage holds ``name`` in its type rather than as text."""
        return self.rules[name].typed or self.rules[name].column.type in ("int", "date")

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
            path = self.extract.path
            if self.extract.format == "csv":
                raise LoadError(csv_error_message(path, exc)) from exc
            raise LoadError(f"{path.name}: the Parquet file cannot be read.") from exc

    def stage_sql(self) -> str:
        """One scan of the file, in four nested queries.

        Parse numbers and dates once; name each column's first problem; flag the
        valid rows; keep valid values in their stored form and invalid rows as read.
        """
        rules = self.stage_rules
        parsed = ", ".join(
            f"{self.rules[n].try_cast()} AS {c}" for n, c in self.parsed.items()
        )
        reasons = ", ".join(
            f"{r.reason()} AS {self.reasons[n]}" for n, r in rules.items()
        )
        ok = [f"{r} IS NULL" for r in self.reasons.values()]
        ok += [
            f"({sql}) IS NULL"
            for _, sql in ordered_reasons(self.table.ordered, rules, self.reasons)
        ]
        kept = []
        for n in self.names:
            value = rules[n].try_cast() if self.stored_as_typed(n) else quote(n)
            if n in self.strict:
                value = f"CASE WHEN {self.reasons[n]} IS NULL THEN {value} END"
            kept.append(f"{value} AS {quote(n)}")
        raw = ", ".join(
            f"{quote(c)} := {self.rules[c].text()}" for c in self.extract.columns
        )
        source = self.extract.reader_sql()
        if parsed:
            source = f"(SELECT *, {parsed} FROM {source})"
        flagged = f"SELECT *, {' AND '.join(ok)} AS __ok FROM (SELECT *, {reasons} FROM {source})"
        return (
            f"CREATE OR REPLACE TEMP TABLE {STAGE} AS SELECT {', '.join(kept)}, __ok AS _ok, "
            f"CASE WHEN NOT __ok THEN to_json(struct_pack({raw})) END AS _raw FROM ({flagged})"
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
        columns = "_row BIGINT, column_name VARCHAR, value VARCHAR, reason VARCHAR"
        con.execute(f"CREATE OR REPLACE TEMP TABLE {REJECTS} ({columns})")
        for statement in self.reject_sql(con):
            con.execute(statement).fetchall()
        # From here on ``_ok`` means "load this row"; what else is wrong is in REJECTS.
        unflag = f"UPDATE {STAGE} SET _ok = false WHERE rowid IN (SELECT _row - 1 FROM {REJECTS})"
        con.execute(unflag).fetchall()
        read = _count(con, f"SELECT count(*) FROM {STAGE}")
        loaded = _count(con, self.insert_sql())
        con.execute(self.quarantine_sql(), [batch_id, table, name]).fetchall()
        count_held = (
            "SELECT count(DISTINCT row_number) FROM quarantine WHERE batch_id = ?"
        )
        held = _count(con, count_held, [batch_id])
        if loaded + held != read:
            msg = (
                f"load of {name}: {read} rows read, {loaded} loaded, {held} quarantined"
            )
            raise AssertionError(msg)
        loaded_at = datetime.now(UTC).replace(tzinfo=None)
        con.execute(
            "INSERT INTO load_batches VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [batch_id, table, name, sha, loaded_at, read, loaded, held],
        ).fetchall()
        message = f"Loaded {loaded:,} of {read:,} rows from {name} into {table} (batch {batch_id})"
        if held:
            message += (
                f"; {held:,} held in quarantine (see quarantine batch {batch_id})"
            )
        if read == 0:
            message = f"{name} has a header and no rows: nothing loaded into {table} (batch {batch_id})"
        message += "."
        return LoadResult(
            table, name, sha, batch_id, read, loaded, held, False, message
        )

    def reject_sql(self, con: duckdb.DuckDBPyConnection) -> list[str]:
        """Checks across rows: duplicate keys, keys already loaded, references."""
        table, key = self.table, self.table.primary_key
        into = f"INSERT INTO {REJECTS} SELECT {_ROW}"
        key_text = (
            "concat_ws(', ', "
            + ", ".join(f"'{k}=' || {self.text(k)}" for k in key)
            + ")"
        )
        known = " AND ".join(f"{quote(k)} IS NOT NULL" for k in key)
        names, columns = ", ".join(key), ", ".join(quote(k) for k in key)
        twice = sql_string(
            f"duplicate key: another row of this file has the same {names}"
        )
        dups = f"SELECT {columns} FROM {STAGE} WHERE {known} GROUP BY ALL HAVING count(*) > 1"
        statements = [
            f"{into}, '*', {key_text}, {twice} FROM {STAGE} JOIN ({dups}) USING ({columns})"
        ]
        if _count(
            con, f"SELECT count(*) FROM (SELECT 1 FROM {quote(table.name)} LIMIT 1)"
        ):
            loaded = f"key already in the warehouse: {table.name} has a row with this {names} from an earlier load"
            same = " AND ".join(f"w.{quote(k)} = {STAGE}.{quote(k)}" for k in key)
            exists = f"EXISTS (SELECT 1 FROM {quote(table.name)} AS w WHERE {same})"
            statements.append(
                f"{into}, '*', {key_text}, {sql_string(loaded)} FROM {STAGE} WHERE {known} AND {exists}"
            )
        for col in table.columns:
            if col.references is None:
                continue
            ref_table, ref_col = col.references
            noun = _NOUNS.get(ref_table, ref_table.rstrip("s"))
            unknown = f"unknown {noun}: no {ref_table} row has this {ref_col} (load {ref_table} first)"
            value = quote(col.name)
            found = f"EXISTS (SELECT 1 FROM {quote(ref_table)} AS w WHERE w.{quote(ref_col)} = {STAGE}.{value})"
            where = f"{value} IS NOT NULL AND NOT {found}"
            if ref_table == table.name:
                where += f" AND {value} NOT IN (SELECT {quote(ref_col)} FROM {STAGE} WHERE {quote(ref_col)} IS NOT NULL)"
            statements.append(
                f"{into}, {sql_string(col.name)}, {self.text(col.name)}, {sql_string(unknown)} FROM {STAGE} WHERE {where}"
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
        parent, key, table = quote(col), quote(ref_col), quote(self.table.name)
        reason = f"its {col} is a row of this file that cannot be loaded (quarantined, or the chain of {col} loops)"
        passed = f"_ok AND {_ROW} NOT IN (SELECT _row FROM {REJECTS})"
        roots = (
            f"c.p IS NULL OR EXISTS (SELECT 1 FROM {table} AS w WHERE w.{key} = c.p)"
        )
        reach = (
            f"WITH RECURSIVE c AS (SELECT {key} AS k, {parent} AS p FROM {STAGE} WHERE {passed}), "
            f"reach(k) AS (SELECT k FROM c WHERE {roots} UNION SELECT c.k FROM c JOIN reach ON c.p = reach.k) "
            "SELECT k FROM reach"
        )
        return (
            f"{into}, {sql_string(col)}, {self.text(col)}, {sql_string(reason)} FROM {STAGE} WHERE {passed} "
            f"AND {parent} IS NOT NULL AND NOT {in_warehouse} AND {key} NOT IN ({reach})"
        )

    def insert_sql(self) -> str:
        """Append the rows that passed everything, in their documented types."""
        names = self.names
        values = [
            quote(n) if self.stored_as_typed(n) else self.rules[n].cast() for n in names
        ]
        into = f"INSERT INTO {quote(self.table.name)} ({', '.join(quote(n) for n in names)})"
        return f"{into} SELECT {', '.join(values)} FROM {STAGE} WHERE _ok"

    def quarantine_sql(self) -> str:
        """One quarantine row per problem of every rejected row, with the row as read."""
        pairs = ", ".join(f"{quote(c)} := {self.text(c)}" for c in self.extract.columns)
        raw = f"coalesce(_raw, to_json(struct_pack({pairs})))"
        rows = f"SELECT {_ROW} AS _row, {raw} AS _raw FROM {STAGE} WHERE NOT _ok"
        return quarantine.insert_sql(rows, self.raw_rules, self.table.ordered, REJECTS)


def _earlier_load(
    con: duckdb.DuckDBPyConnection, table: Table, extract: Extract, sha256: str
) -> LoadResult | None:
    """The result to return when this file's bytes were already loaded into ``table``."""
    rows = con.execute(
        "SELECT batch_id, loaded_at FROM load_batches WHERE table_name = ? "
        "AND content_sha256 = ? ORDER BY batch_id LIMIT 1",
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
