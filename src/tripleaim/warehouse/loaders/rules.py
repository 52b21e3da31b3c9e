"""Validation rules as DuckDB SQL: every schema column becomes one expression naming what is wrong.

A loader that validated rows in Python would spend minutes on a five-million-row
extract; DuckDB evaluates the same rules as vectorised SQL over the whole file at once
(see docs/decisions/0003-loading-validates-in-duckdb.md). Each column's rules compile
to one ``CASE`` expression that is NULL when the value is acceptable and otherwise
gives the first problem found, in words a data manager can act on. Reasons are fixed
texts (the offending value is stored beside them, never inside them), so quarantine
summaries group by reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tripleaim.warehouse.engines.ddl import DUCKDB_TYPES
from tripleaim.warehouse.schema.model import EARLIEST_DATE, CodeSystem, Column

if TYPE_CHECKING:
    from datetime import date


@dataclass(frozen=True)
class CodeFormat:
    """How values of one code system are written in an extract."""

    pattern: str
    description: str
    example: str


_ICD10 = "[A-Z][0-9]{2}[0-9A-Z]{0,2}"
_OPCS4 = "[A-HJ-Z][0-9]{2}[0-9]?"

CODE_FORMATS: dict[CodeSystem, CodeFormat] = {
    "icd10": CodeFormat(
        _ICD10,
        "an ICD-10 code: a capital letter, two digits and up to two more digits or capital letters, no dot",
        "E119",
    ),
    "icd10_list": CodeFormat(
        f"{_ICD10}(;{_ICD10})*",
        "ICD-10 codes (no dots) separated by ';' with no spaces",
        "I10;E119",
    ),
    "opcs4": CodeFormat(
        _OPCS4,
        "an OPCS-4 code: a capital letter other than I, then two or three digits, no dot",
        "W371",
    ),
    "opcs4_list": CodeFormat(
        f"{_OPCS4}(;{_OPCS4})*",
        "OPCS-4 codes (no dots) separated by ';' with no spaces",
        "W371;Y981",
    ),
    "lsoa11": CodeFormat(
        "E01[0-9]{6}", "a 2011 LSOA code: E01 and six digits", "E01014070"
    ),
    "gss": CodeFormat(
        "[EWSN][0-9]{8}", "an ONS GSS code: E, W, S or N and eight digits", "E06000019"
    ),
    "ods_practice": CodeFormat(
        "[A-Z][0-9]{5}",
        "an ODS GP practice code: a capital letter and five digits",
        "M81001",
    ),
    "ods_org": CodeFormat(
        "[A-Z0-9]{3,6}",
        "an ODS organisation code: three to six capital letters or digits",
        "RLQ",
    ),
    "org_code": CodeFormat(
        "[A-Z0-9]{3,6}|[EWSN][0-9]{8}",
        "an ODS organisation code (three to six capital letters or digits) or, for places and districts, an ONS GSS code",
        "RLQ",
    ),
    "treatment_function": CodeFormat(
        "[0-9]{3}", "a treatment function code: three digits", "100"
    ),
    "bnf_section": CodeFormat(
        "[0-9]{4}", "a BNF section: four digits (chapter and section)", "0601"
    ),
    "nhs_number": CodeFormat(
        "[0-9]{10}",
        "an NHS number: ten digits, no spaces, with a valid Modulus 11 check digit",
        "9434765919",
    ),
    "snomed": CodeFormat(
        "[1-9][0-9]{5,17}",
        "a SNOMED CT identifier: 6 to 18 digits, no leading zero, with a valid partition and Verhoeff check digit",
        "73211009",
    ),
}

SNOMED_PARTITIONS = ("00", "01", "02", "10", "11", "12")

# Verhoeff's dihedral-group multiplication table and position permutations, flattened
# row by row so SQL can index them as list[10 * row + column + 1].
_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_P1 = (1, 5, 7, 6, 2, 8, 3, 0, 9, 4)


def _verhoeff_permutations() -> tuple[tuple[int, ...], ...]:
    """The eight position permutations: p[i] is p[1] applied i times."""
    rows = [tuple(range(10))]
    for _ in range(7):
        rows.append(tuple(_VERHOEFF_P1[x] for x in rows[-1]))
    return tuple(rows)


def _flat(table: tuple[tuple[int, ...], ...]) -> str:
    return "[" + ", ".join(str(x) for row in table for x in row) + "]"


def sql_string(text: str) -> str:
    """A SQL string literal for ``text``."""
    return "'" + text.replace("'", "''") + "'"


def _digit(value: str, position: str) -> str:
    """SQL for the digit at 1-based ``position`` of an all-ASCII-digit string."""
    return f"(ascii(substr({value}, {position}, 1)) - 48)"


def nhs_number_check_digit_sql(value: str) -> str:
    """SQL for the Modulus 11 check digit of a ten-digit NHS number (10 means none exists).

    NHS Digital's algorithm: weight the first nine digits 10 down to 2, sum, take the
    remainder mod 11 and subtract it from 11; 11 becomes 0 and 10 means no valid
    number has those nine digits. ``value`` must already match ``[0-9]{10}``.
    """
    weighted = " + ".join(f"{_digit(value, str(i))} * {11 - i}" for i in range(1, 10))
    return f"((11 - (({weighted}) % 11)) % 11)"


def verhoeff_is_valid_sql(value: str) -> str:
    """SQL true when the all-digit string ``value`` ends in a correct Verhoeff check digit.

    SNOMED CT identifiers carry a Verhoeff check digit (SNOMED CT Technical
    Implementation Guide, 6.1.3). The running check is a fold over the digits from
    the right: ``c = d[c][p[i mod 8][digit]]``; the identifier is valid when ``c``
    ends at 0. The permuted digits are computed with a list transform and the fold
    with ``list_reduce`` (its first element equals ``d[0][x] = x``, the fold's start).
    """
    d = _flat(_VERHOEFF_D)
    p = _flat(_verhoeff_permutations())
    permuted = (
        f"list_transform(range(length({value})), lambda i: "
        f"{p}[(i % 8) * 10 + {_digit(value, f'length({value}) - i')} + 1])"
    )
    return f"(list_reduce({permuted}, lambda c, x: {d}[c * 10 + x + 1]) = 0)"


def _number_text(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else repr(number)


_DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
_TIME = "[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,6})?"

REASONS = {
    "missing": "missing: this column needs a value",
    "int": "not a whole number: write digits only, with no decimal point, exponent, spaces or separators (e.g. 42)",
    "int_size": "whole number too large to store",
    "int_zeros": "write whole numbers without leading zeros (7, not 007; 0, not -0)",
    "float": "not a plain decimal number: write digits with an optional decimal point, no exponent, spaces, separators or symbols (e.g. 1234.50)",
    "finite": "not a finite number",
    "date": "not a date in the form YYYY-MM-DD (e.g. 2023-04-01)",
    "date_real": "not a real calendar date",
    "timestamp": "not a date and time in the form YYYY-MM-DD HH:MM:SS (e.g. 2023-04-01 09:30:00), without a time zone",
    "timestamp_real": "not a real date and time",
    "bool": "not true or false",
    "nhs_number_10": "not an NHS number: no valid number starts with these nine digits (Modulus 11 check digit would be 10)",
    "nhs_number_check": "wrong NHS number check digit (Modulus 11)",
    "snomed_partition": "not a SNOMED CT identifier: the partition (2nd and 3rd digits from the right) must be 00, 01, 02, 10, 11 or 12",
    "snomed_check": "wrong SNOMED CT check digit (Verhoeff)",
    "early": f"before {EARLIEST_DATE.isoformat()}",
    "future": "in the future: after the day of the load",
}


def _reason(key: str) -> str:
    return sql_string(REASONS[key])


@dataclass(frozen=True)
class ColumnRules:
    """The rules of one column, compiled to SQL over one value expression.

    Attributes:
        column: The schema column.
        value: SQL for the value as read: VARCHAR (CSV, or text Parquet columns, with
            empty strings already NULL) or, when ``typed``, the documented type.
        typed: True when the value already has the documented type (a typed Parquet
            column), so there is no text form to check.
        today: The load date; no date or time may lie after it.
        converted: SQL for ``TRY_CAST(value AS <type>)`` computed once elsewhere (a
            column of an inner query), so the several rules that need the number or
            date do not each parse the text again; None to cast inline.
    """

    column: Column
    value: str
    typed: bool
    today: date
    converted: str | None = None

    @property
    def sql_type(self) -> str:
        """The DuckDB type the column is stored as."""
        return DUCKDB_TYPES[self.column.type]

    @property
    def needs_conversion(self) -> bool:
        """True when rules compare the value in its type, so it must be parsed from text.

        A true/false value is only compared as text, so it is never parsed early.
        """
        return not self.typed and self.column.type not in ("string", "bool")

    def try_cast(self) -> str:
        """SQL for the value in its documented type, NULL when it does not parse."""
        if self.typed or self.column.type == "string":
            return self.value
        return self.converted or f"TRY_CAST({self.value} AS {self.sql_type})"

    def cast(self) -> str:
        """SQL for a value already known to be valid, in its documented type."""
        if self.column.type == "string":
            return self.value
        return f"CAST({self.value} AS {self.sql_type})"

    def text(self) -> str:
        """SQL for the value as text, for the quarantine's ``value`` column."""
        return f"CAST({self.value} AS VARCHAR)" if self.typed else self.value

    def reason(self) -> str:
        """SQL: NULL when the value meets every rule, else the first problem found."""
        missing = "NULL" if self.column.nullable else _reason("missing")
        branches = [(f"{self.value} IS NULL", missing)]
        branches += self._type_branches() if not self.typed else self._typed_branches()
        branches += self._code_branches()
        branches += self._value_branches()
        whens = " ".join(f"WHEN {cond} THEN {reason}" for cond, reason in branches)
        return f"CASE {whens} END"

    def _type_branches(self) -> list[tuple[str, str]]:
        v, c, kind = self.value, self.try_cast(), self.column.type
        if kind == "int":
            # Written back, a parsed integer is its canonical text: one comparison
            # accepts almost every value; the regex only runs to explain a refusal.
            wrong = (
                f"CASE WHEN NOT regexp_full_match({v}, '-?[0-9]+') THEN {_reason('int')} "
                f"WHEN {c} IS NULL THEN {_reason('int_size')} ELSE {_reason('int_zeros')} END"
            )
            return [(f"CAST({c} AS VARCHAR) IS DISTINCT FROM {v}", wrong)]
        if kind == "float":
            return [
                (
                    f"NOT regexp_full_match({v}, '-?[0-9]+([.][0-9]+)?')",
                    _reason("float"),
                ),
                (f"NOT coalesce(isfinite({c}), false)", _reason("finite")),
            ]
        if kind == "date":
            # DuckDB writes a date back as YYYY-MM-DD, so the round trip proves both
            # the form and that the date exists, in one cheap comparison.
            wrong = f"CASE WHEN regexp_full_match({v}, '{_DATE}') THEN {_reason('date_real')} ELSE {_reason('date')} END"
            return [(f"CAST({c} AS VARCHAR) IS DISTINCT FROM {v}", wrong)]
        if kind == "timestamp":
            return [
                (
                    f"NOT regexp_full_match({v}, '{_DATE}[ T]{_TIME}')",
                    _reason("timestamp"),
                ),
                (f"{c} IS NULL", _reason("timestamp_real")),
            ]
        if kind == "bool":
            return [(f"lower({v}) NOT IN ('true', 'false')", _reason("bool"))]
        return []

    def _typed_branches(self) -> list[tuple[str, str]]:
        if self.column.type == "float":
            return [(f"NOT isfinite({self.value})", _reason("finite"))]
        return []

    def _code_branches(self) -> list[tuple[str, str]]:
        code = self.column.code
        if code is None or self.column.type != "string":
            return []
        v, fmt = self.value, CODE_FORMATS[code]
        wrong = sql_string(f"not {fmt.description} (e.g. {fmt.example})")
        mismatch = f"NOT regexp_full_match({v}, {sql_string(fmt.pattern)})"
        if code in ("icd10", "icd10_list", "opcs4", "opcs4_list"):
            system = "ICD-10" if code.startswith("icd10") else "OPCS-4"
            dotted = sql_string(
                f"{system} codes are written without a dot (e.g. {fmt.example})"
            )
            return [
                (
                    mismatch,
                    f"CASE WHEN contains({v}, '.') THEN {dotted} ELSE {wrong} END",
                )
            ]
        if code == "nhs_number":
            check = nhs_number_check_digit_sql(v)
            return [
                (mismatch, wrong),
                (f"{check} = 10", _reason("nhs_number_10")),
                (f"{check} <> {_digit(v, '10')}", _reason("nhs_number_check")),
            ]
        if code == "snomed":
            partitions = ", ".join(sql_string(p) for p in SNOMED_PARTITIONS)
            return [
                (mismatch, wrong),
                (
                    f"substr({v}, length({v}) - 2, 2) NOT IN ({partitions})",
                    _reason("snomed_partition"),
                ),
                (f"NOT {verhoeff_is_valid_sql(v)}", _reason("snomed_check")),
            ]
        return [(mismatch, wrong)]

    def _value_branches(self) -> list[tuple[str, str]]:
        col, c = self.column, self.try_cast()
        branches: list[tuple[str, str]] = []
        if col.allowed is not None:
            allowed = ", ".join(sql_string(a) for a in col.allowed)
            reason = sql_string(
                f"not one of the allowed values: {', '.join(col.allowed)}"
            )
            branches.append((f"{self.value} NOT IN ({allowed})", reason))
        if col.minimum is not None:
            reason = sql_string(f"less than the minimum, {_number_text(col.minimum)}")
            branches.append((f"{c} < {col.minimum!r}", reason))
        if col.maximum is not None:
            reason = sql_string(f"more than the maximum, {_number_text(col.maximum)}")
            branches.append((f"{c} > {col.maximum!r}", reason))
        today = f"DATE '{self.today.isoformat()}'"
        if col.type == "date":
            branches.append(
                (f"{c} < DATE '{EARLIEST_DATE.isoformat()}'", _reason("early"))
            )
            branches.append((f"{c} > {today}", _reason("future")))
        elif col.type == "timestamp":
            branches.append(
                (f"{c} < TIMESTAMP '{EARLIEST_DATE.isoformat()}'", _reason("early"))
            )
            branches.append((f"{c} >= {today} + INTERVAL 1 DAY", _reason("future")))
        return branches


def ordered_reasons(
    pairs: tuple[tuple[str, str], ...],
    rules: dict[str, ColumnRules],
    reasons: dict[str, str],
) -> list[tuple[str, str]]:
    """(column, SQL) for each ordered pair (a, b): a reason when a is after b.

    ``reasons`` holds each column's reason SQL; the pair is compared only when both
    columns passed their own rules, so an unreadable date is reported once, as
    unreadable, not also as out of order. The problem is reported on ``b``.
    """
    return [
        (
            b,
            f"CASE WHEN ({reasons[a]}) IS NULL AND ({reasons[b]}) IS NULL AND "
            f"{rules[a].try_cast()} > {rules[b].try_cast()} THEN {sql_string(f'{b} is before {a}')} END",
        )
        for a, b in pairs
    ]
