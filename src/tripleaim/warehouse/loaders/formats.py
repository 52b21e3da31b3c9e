"""Extract files: the checks that reject a file whole, and the SQL that reads it.

A file is rejected whole (``LoadError``) when no row of it can be trusted: it is
missing or unreadable, empty, not UTF-8, of an unknown kind, or its header does not
name the table's columns. Everything else is a row-level problem for quarantine.
Messages name the file and say what is wrong, where, and how to fix it; they never
quote row values, which may identify patients.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import duckdb

from tripleaim.errors import LoadError
from tripleaim.warehouse.engines.ddl import quote
from tripleaim.warehouse.loaders.rules import sql_string

if TYPE_CHECKING:
    from pathlib import Path

    from tripleaim.warehouse.schema.model import ColumnType, Table

ExtractFormat = Literal["csv", "parquet"]

EXTENSIONS: dict[str, ExtractFormat] = {".csv": "csv", ".parquet": "parquet"}

_CHUNK = 1 << 24
_HEADER_LIMIT = 1 << 20
_BOM = codecs.BOM_UTF8

# Parquet column types taken as already typed (no text form to check), by schema type.
# Anything else, except VARCHAR (checked as text, like CSV), rejects the file.
_INTEGERS = ("TINYINT", "SMALLINT", "INTEGER", "UTINYINT", "USMALLINT", "UINTEGER")
PARQUET_TYPES: dict[ColumnType, tuple[str, ...]] = {
    "string": ("VARCHAR",),
    "int": ("BIGINT", *_INTEGERS),
    "float": ("DOUBLE", "FLOAT", *_INTEGERS),
    "date": ("DATE",),
    "timestamp": ("TIMESTAMP", "TIMESTAMP_MS", "TIMESTAMP_S"),
    "bool": ("BOOLEAN",),
}


@dataclass(frozen=True)
class Extract:
    """A file that passed the whole-file checks, ready to be read.

    Attributes:
        path: The file.
        format: ``csv`` or ``parquet``, from the extension.
        columns: Column names in the order the file holds them.
        typed_columns: Parquet columns already of the documented type.
    """

    path: Path
    format: ExtractFormat
    columns: tuple[str, ...]
    typed_columns: frozenset[str]

    def reader_sql(self) -> str:
        """SQL for a relation with the file's columns, by name, in file order.

        CSV is read as RFC 4180 (comma, double quote, quote doubled to escape) with
        every column VARCHAR and no type sniffing, so nothing is converted before the
        rules see it; an empty field is NULL. Parquet text columns get the same
        empty-is-missing rule.
        """
        path = sql_string(self.path.as_posix())
        if self.format == "csv":
            columns = ", ".join(f"{sql_string(c)}: 'VARCHAR'" for c in self.columns)
            return (
                f"read_csv({path}, header = true, auto_detect = false, delim = ',', "
                f"quote = '\"', escape = '\"', columns = {{{columns}}}, "
                "strict_mode = true, null_padding = false, ignore_errors = false, "
                "encoding = 'utf-8')"
            )
        projection = ", ".join(
            quote(c)
            if c in self.typed_columns
            else f"NULLIF({quote(c)}, '') AS {quote(c)}"
            for c in self.columns
        )
        return f"(SELECT {projection} FROM read_parquet({path}))"


def inspect_extract(
    path: Path, table: Table, con: duckdb.DuckDBPyConnection
) -> Extract:
    """Run the quick whole-file checks on ``path`` as an extract of ``table``.

    The checks that read every byte (encoding, hash) are ``content_digest``.

    Raises:
        LoadError: The file is missing, unreadable, empty, of an unknown kind, not
            Parquet, or its header does not match the table.
    """
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise LoadError(
            f"{path.name}: unknown kind of file {path.suffix or '(no extension)'!r}; "
            f"extracts are {' or '.join(EXTENSIONS)} files (see docs/extract-formats.md)."
        )
    if not path.exists():
        raise LoadError(f"{path}: no such file.")
    if not path.is_file():
        raise LoadError(f"{path.name}: not a file.")
    try:
        size = path.stat().st_size
        if size == 0:
            raise LoadError(
                f"{path.name}: the file is empty (0 bytes): expected a header line with "
                f"the columns {', '.join(table.column_names)}."
            )
        if fmt == "csv":
            return Extract(path, fmt, _read_header(path, table), frozenset())
        return _check_parquet(path, table, con)
    except OSError as exc:
        raise LoadError(f"{path}: cannot read the file ({exc.strerror}).") from exc


def content_digest(extract: Extract) -> str:
    """SHA-256 of the file's bytes (hex), proving a CSV is UTF-8 in the same pass.

    Reading the bytes once serves both checks; ASCII chunks, the usual case, need no
    decoding. Safe to run in a thread beside DuckDB: hashing releases the GIL.

    Raises:
        LoadError: A CSV is not UTF-8 (the message names the byte offset and line), or
            the file cannot be read.
    """
    path, digest = extract.path, hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    check = extract.format == "csv"
    offset, bad_at = 0, None
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
                # A chunk needs decoding only if not ASCII or a character straddles it.
                if (
                    check
                    and bad_at is None
                    and (not chunk.isascii() or decoder.getstate()[0])
                ):
                    pending = len(decoder.getstate()[0])
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError as exc:
                        bad_at = offset - pending + exc.start
                offset += len(chunk)
        if check and bad_at is None:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as exc:
                bad_at = offset - len(decoder.getstate()[0]) + exc.start
        if bad_at is not None:
            raise LoadError(_encoding_message(path, bad_at))
    except OSError as exc:
        raise LoadError(f"{path}: cannot read the file ({exc.strerror}).") from exc
    return digest.hexdigest()


def _encoding_message(path: Path, offset: int) -> str:
    with path.open("rb") as fh:
        before = fh.read(offset)
        byte = fh.read(1)
    line = before.count(b"\n") + 1
    return (
        f"{path.name}: not UTF-8: byte 0x{byte.hex().upper()} at byte offset {offset} "
        f"(line {line}) is not valid UTF-8. Save the file as UTF-8 (Excel: 'CSV UTF-8'); "
        "files from older systems are often Windows-1252."
    )


def _read_header(path: Path, table: Table) -> tuple[str, ...]:
    with path.open("rb") as fh:
        raw = fh.readline(_HEADER_LIMIT)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise LoadError(
            f"{path.name}: the file is UTF-16; save it as UTF-8 (Excel: 'CSV UTF-8')."
        )
    bom = len(_BOM) if raw.startswith(_BOM) else 0
    try:
        text = raw[bom:].decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise LoadError(_encoding_message(path, bom + exc.start)) from exc
    expected = ", ".join(table.column_names)
    if not text.strip():
        raise LoadError(
            f"{path.name}: line 1 is empty: expected a header line with the columns {expected}."
        )
    columns = tuple(next(csv.reader([text])))
    _check_columns(path, table, columns, "line 1 (the header)")
    return columns


def _check_columns(
    path: Path, table: Table, columns: tuple[str, ...], where: str
) -> None:
    """Every schema column present once and no others; order is free."""
    counts = Counter(columns)
    twice = sorted(c for c, n in counts.items() if n > 1)
    missing = [c for c in table.column_names if c not in counts]
    unknown = [c for c in columns if c not in table.column_names]
    separators = [s for s in ";\t|" if len(columns) == 1 and s in columns[0]]
    problems = []
    if missing:
        problems.append(f"missing columns {', '.join(missing)}")
    if unknown:
        hints = {c.lower(): f" (did you mean {c!r}?)" for c in table.column_names}
        named = [f"{c!r}{hints.get(c.strip().lower(), '')}" for c in unknown]
        problems.append(f"unknown columns {', '.join(named)}")
    if twice:
        problems.append(f"columns named more than once: {', '.join(twice)}")
    if separators:
        problems.append(
            f"the header has one column: are the columns separated by {separators[0]!r} instead of ','?"
        )
    if problems:
        raise LoadError(
            f"{path.name}: wrong header for {table.name} in {where}: {'; '.join(problems)}. "
            f"Expected the columns {', '.join(table.column_names)} (in any order)."
        )


def _check_parquet(path: Path, table: Table, con: duckdb.DuckDBPyConnection) -> Extract:
    with path.open("rb") as fh:
        head = fh.read(4)
        fh.seek(-4, 2)
        tail = fh.read(4)
    if head != b"PAR1" or tail != b"PAR1":
        raise LoadError(
            f"{path.name}: not a Parquet file (no PAR1 marker at its start and end)."
        )
    try:
        described = con.execute(
            f"DESCRIBE SELECT * FROM read_parquet({sql_string(path.as_posix())})"
        ).fetchall()
    except duckdb.Error as exc:
        raise LoadError(
            f"{path.name}: not a readable Parquet file ({type(exc).__name__})."
        ) from exc
    types = {str(row[0]): str(row[1]) for row in described}
    columns = tuple(types)
    _check_columns(path, table, columns, "the Parquet schema")
    typed, wrong = set(), []
    for col in table.columns:
        found = types[col.name]
        if col.type != "string" and found in PARQUET_TYPES[col.type]:
            typed.add(col.name)
        elif found != "VARCHAR":
            wrong.append(
                f"{col.name} is {found} (expected {PARQUET_TYPES[col.type][0]} or VARCHAR)"
            )
    if wrong:
        raise LoadError(
            f"{path.name}: wrong column types for {table.name}: {'; '.join(wrong)}. "
            "Write each column in its documented type, or as text."
        )
    return Extract(path, "parquet", columns, frozenset(typed))


_LINE = re.compile(r"CSV Error on Line: (\d+)")
_COUNTS = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")


def csv_error_message(path: Path, error: duckdb.Error) -> str:
    """Turn DuckDB's CSV reader error into a message that names the line, not its values.

    DuckDB quotes the offending line; that may hold patient data, so only the line
    number and the kind of problem are kept.
    """
    text = str(error)
    line_match = _LINE.search(text)
    where = f"line {line_match.group(1)}" if line_match else "a line"
    counts = _COUNTS.search(text)
    if counts:
        what = (
            f"{where} has {counts.group(2)} fields but the header has {counts.group(1)}"
        )
        fix = "every line needs one field per column (an empty field is written as nothing between commas)"
    elif "unterminated quote" in text:
        what = f"{where} has a quoted field that is not closed"
        fix = 'a double quote inside a quoted field is written twice ("")'
    elif "unicode" in text.lower() or "utf-8" in text.lower():
        what = f"{where} is not valid UTF-8"
        fix = "save the file as UTF-8"
    else:
        what = f"{where} cannot be read as CSV"
        fix = "check the quoting and that every line ends the same way (all CRLF or all LF)"
    return f"{path.name}: {what}; {fix}."
