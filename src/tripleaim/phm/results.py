"""What a scoring run returns: the code report and the run summary.

Counts only: no person-level value leaves this module (STYLE.md section 8, logs).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa

from tripleaim.warehouse import TABLES

PERSON_SCORES = TABLES["person_scores"]
"""The derived table the service writes (``warehouse/schema/derived.py``)."""

ARROW_TYPES = {
    "string": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
}


def arrow_schema() -> pa.Schema:
    """The Arrow schema of ``person_scores``."""
    return pa.schema(
        [
            pa.field(c.name, ARROW_TYPES[c.type], nullable=c.nullable)
            for c in PERSON_SCORES.columns
        ]
    )


def to_arrow(data: pa.Table) -> pa.Table:
    """``data`` with exactly the columns and types of ``person_scores``."""
    schema = arrow_schema()
    return pa.Table.from_arrays(
        [data.column(f.name).cast(f.type) for f in schema], schema=schema
    )


@dataclass(frozen=True)
class SourceCodes:
    """Codes read from one table column, and how many could not be used.

    Attributes:
        source_table: ``inpatient_spells`` or ``conditions``.
        source_column: The column the codes came from.
        codes: Codes read (secondary diagnoses counted one by one).
        malformed: Codes without the shape of an ICD-10 code after normalisation
            (empty items included); they flag nothing.
        unmapped: Well-formed codes in no score's code list (for conditions:
            slugs not in ``long_term_conditions.yaml``); counted, never dropped.
    """

    source_table: str
    source_column: str
    codes: int
    malformed: int
    unmapped: int


@dataclass(frozen=True)
class CodeReport:
    """Malformed and unmapped codes per source, for the run summary and the CLI."""

    sources: tuple[SourceCodes, ...]

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]]) -> CodeReport:
        """From the rows of :func:`tripleaim.phm.pipelines.code_report`."""
        found = [
            SourceCodes(
                source_table=str(row["source_table"]),
                source_column=str(row["source_column"]),
                codes=int(row["codes"] or 0),
                malformed=int(row["malformed"] or 0),
                unmapped=int(row["unmapped"] or 0),
            )
            for row in rows
        ]
        return cls(
            tuple(sorted(found, key=lambda s: (s.source_table, s.source_column)))
        )

    def source(self, table: str, column: str) -> SourceCodes:
        """The counts of one column; zeros when it had no codes."""
        for entry in self.sources:
            if (entry.source_table, entry.source_column) == (table, column):
                return entry
        return SourceCodes(table, column, 0, 0, 0)

    @property
    def malformed(self) -> int:
        """Malformed codes over every source."""
        return sum(s.malformed for s in self.sources)

    @property
    def unmapped(self) -> int:
        """Unmapped codes over every source."""
        return sum(s.unmapped for s in self.sources)


@dataclass(frozen=True)
class ScoreSummary:
    """What a scoring run did."""

    engine: str
    index_date: date
    lookback_start: date
    persons: int
    without_inpatient_history: int
    without_condition_history: int
    report: CodeReport
    seconds: float
