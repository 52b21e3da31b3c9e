"""Building blocks of the warehouse schema: tables and typed, documented columns.

Columns carry their validation rules (code system, allowed values, ranges, references)
so the loaders, the synthetic generator and the data-model docs read one definition,
as ehrQL's ``tables/core.py`` describes every table once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

ColumnType = Literal["string", "int", "float", "date", "timestamp", "bool"]

CodeSystem = Literal[
    "icd10",
    "icd10_list",
    "opcs4",
    "opcs4_list",
    "lsoa11",
    "gss",
    "ods_practice",
    "ods_org",
    "org_code",
    "snomed",
    "nhs_number",
    "bnf_section",
    "treatment_function",
]

EARLIEST_DATE = date(1900, 1, 1)


@dataclass(frozen=True)
class Column:
    """One column: name, type, meaning and the rules every loaded value must meet."""

    name: str
    type: ColumnType
    description: str
    nullable: bool = False
    code: CodeSystem | None = None
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    references: tuple[str, str] | None = None
    source: str = ""


@dataclass(frozen=True)
class Table:
    """One warehouse table with its key, ordering rules and provenance."""

    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    group: str
    ordered: tuple[tuple[str, str], ...] = field(default=())
    identifiable: bool = False

    def column(self, name: str) -> Column:
        """The column called ``name`` (KeyError if absent)."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        """Column names in schema order (the extract header)."""
        return tuple(c.name for c in self.columns)
