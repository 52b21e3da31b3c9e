"""Writing warehouse tables as extracts in exactly the format the loader reads.

Used to round-trip data (export, fix, reload) and to build test extracts; the
per-table reference in docs/extract-formats.md is rendered here too
(``reference_markdown``). A file written here
always passes the whole-file checks and every row that met the rules when it was
loaded meets them again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tripleaim.errors import LoadError
from tripleaim.warehouse.engines.ddl import DUCKDB_TYPES, quote
from tripleaim.warehouse.loaders.formats import EXTENSIONS, ExtractFormat
from tripleaim.warehouse.loaders.rules import CODE_FORMATS, sql_string
from tripleaim.warehouse.schema import LOADABLE_TABLES, TABLES
from tripleaim.warehouse.schema import table as schema_table

if TYPE_CHECKING:
    from pathlib import Path

    import duckdb

    from tripleaim.warehouse.schema.model import Column


def plain_decimal_sql(number: str) -> str:
    """SQL writing a DOUBLE as a plain decimal that reads back to the same double.

    DuckDB writes the shortest text that round-trips, switching to an exponent for
    very small or large numbers (``1e-05``); extracts never use exponents, so such
    numbers are spelled out digit by digit from that shortest text (``0.00001``).
    """
    text = f"CAST({number} AS VARCHAR)"
    mantissa = f"split_part({text}, 'e', 1)"
    digits = f"replace(replace({mantissa}, '-', ''), '.', '')"
    point = (
        f"(coalesce(nullif(strpos(ltrim({mantissa}, '-'), '.'), 0) - 1, length({digits})) "
        f"+ CAST(split_part({text}, 'e', 2) AS INTEGER))"
    )
    spelled = (
        f"CASE WHEN {point} <= 0 THEN '0.' || repeat('0', -{point}) || {digits} "
        f"WHEN {point} >= length({digits}) THEN {digits} || repeat('0', {point} - length({digits})) "
        f"ELSE {digits}[1:{point}] || '.' || {digits}[{point} + 1:] END"
    )
    sign = f"CASE WHEN starts_with({text}, '-') THEN '-' ELSE '' END"
    return f"CASE WHEN contains({text}, 'e') THEN {sign} || {spelled} ELSE {text} END"


def _csv_text(column: Column) -> str:
    """SQL for one column's extract text: ISO dates, true/false, plain decimals."""
    name = quote(column.name)
    if column.type == "string":
        return name
    if column.type == "float":
        return plain_decimal_sql(name)
    return f"CAST({name} AS VARCHAR)"


def write_extract(
    con: duckdb.DuckDBPyConnection,
    table_name: str,
    path: Path,
    format: ExtractFormat | None = None,
) -> int:
    """Write ``table_name`` to ``path`` as a CSV or Parquet extract; return the row count.

    CSV: UTF-8 without a byte-order mark, LF line ends, a header of the schema's
    column names in schema order, RFC 4180 quoting, empty for missing. Parquet: one
    column per schema column, in the type the loader reads without conversion.

    Args:
        con: A warehouse connection.
        table_name: A warehouse table.
        path: The file to write (replaced if present).
        format: ``csv`` or ``parquet``; by default from the file's extension.

    Raises:
        LoadError: The format is neither given nor known from the extension.
    """
    table = schema_table(table_name)
    fmt = format or EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise LoadError(
            f"{path.name}: say which format to write ({' or '.join(EXTENSIONS)})."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        columns = ", ".join(f"{_csv_text(c)} AS {quote(c.name)}" for c in table.columns)
        options = "FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"', NEW_LINE '\\n'"
    else:
        columns = ", ".join(
            f"CAST({quote(c.name)} AS {DUCKDB_TYPES[c.type]}) AS {quote(c.name)}"
            for c in table.columns
        )
        options = "FORMAT parquet, COMPRESSION zstd"
    target = sql_string(path.as_posix())
    query = f"SELECT {columns} FROM {quote(table.name)}"
    return int(con.execute(f"COPY ({query}) TO {target} ({options})").fetchall()[0][0])


# --- the per-table reference in docs/extract-formats.md --------------------------------

TYPE_FORMATS = {
    "string": "text",
    "int": "whole number: digits, optional leading `-`, no leading zeros",
    "float": "decimal: digits with an optional `.` and digits, no exponent",
    "date": "date `YYYY-MM-DD`",
    "timestamp": "date and time `YYYY-MM-DD HH:MM:SS` (or `T` between; up to 6 decimals of a second; no zone)",
    "bool": "`true` or `false` (any case)",
}
_EXAMPLES = {
    "date": "2023-04-01",
    "timestamp": "2023-04-01 09:30:00",
    "bool": "false",
    "float": "12.50",
}


def example_value(column: Column) -> str:
    """A value that meets the column's own rules, for documentation."""
    if column.code is not None:
        return CODE_FORMATS[column.code].example
    if column.allowed:
        return column.allowed[0]
    if column.type == "int":
        return str(max(1, int(column.minimum or 0)))
    return _EXAMPLES.get(column.type, "" if column.nullable else "text")


def _column_rules(column: Column) -> str:
    parts = [TYPE_FORMATS[column.type]]
    if column.code is not None:
        fmt = CODE_FORMATS[column.code]
        parts = [f"{fmt.description} (`{fmt.example}`)"]
    if column.allowed:
        allowed = "one of " + ", ".join(f"`{v}`" for v in column.allowed)
        parts = [allowed] if column.type == "string" else [*parts, allowed]
    if column.minimum is not None:
        parts.append(f"at least {column.minimum:,g}")
    if column.maximum is not None:
        parts.append(f"at most {column.maximum:,g}")
    if column.references:
        parts.append(f"must be in `{column.references[0]}.{column.references[1]}`")
    return "; ".join(parts)


def reference_markdown() -> str:
    """Header, column formats and an example row of every loadable table, as Markdown.

    docs/extract-formats.md embeds this text; a test fails when it differs, so the
    formats documented are always the formats the loader applies.
    """
    lines: list[str] = []
    for name in LOADABLE_TABLES:
        table = TABLES[name]
        lines += [
            f"### `{name}`",
            "",
            f"Key: {', '.join(f'`{k}`' for k in table.primary_key)}.",
        ]
        lines += [f"Order: `{a}` not after `{b}`." for a, b in table.ordered]
        lines += ["", "| column | required | format and rules |", "|---|---|---|"]
        for col in table.columns:
            lines.append(
                f"| `{col.name}` | {'no' if col.nullable else 'yes'} | {_column_rules(col)} |"
            )
        header = ",".join(table.column_names)
        row = ",".join(example_value(c) for c in table.columns)
        lines += ["", "```csv", header, row, "```", ""]
    return "\n".join(lines)
