"""What the warehouse holds: rows per table and the span of each table's main date.

``tripleaim info`` shows this so a user can see at a glance which periods the
loaded data covers before asking for a year it does not hold.
"""

from __future__ import annotations

from collections.abc import Mapping

import ibis
import ibis.expr.types as ir

from tripleaim.errors import NotFoundError

DATE_COLUMNS: dict[str, str] = {
    "persons": "registration_start",
    "conditions": "diagnosis_date",
    "deaths": "date_of_death",
    "births": "birth_date",
    "inpatient_spells": "admission_date",
    "ae_attendances": "arrival_time",
    "outpatient_appointments": "appointment_date",
    "prescribing": "period_start",
}
"""The column that places each dated table's rows in time (timestamps count by date)."""

COVERAGE_COLUMNS = ("table_name", "rows", "min_date", "max_date")


def table_coverage(name: str, table: ir.Table) -> ir.Table:
    """One row: ``name``, its row count and the first and last date of its main date.

    Args:
        name: The warehouse table name, which chooses the date column.
        table: The table itself.

    Returns:
        ``table_name``, ``rows`` (int64), ``min_date`` and ``max_date`` (dates; null
        for an undated or empty table).
    """
    column = DATE_COLUMNS.get(name)
    if column is None:
        counted = table.aggregate(rows=table.count()).mutate(
            min_date=ibis.null("date"), max_date=ibis.null("date")
        )
    else:
        dates = table[column].cast("date")
        counted = table.aggregate(
            rows=table.count(), min_date=dates.min(), max_date=dates.max()
        )
    return counted.mutate(table_name=ibis.literal(name, type="string")).select(
        *COVERAGE_COLUMNS
    )


def warehouse_coverage(tables: Mapping[str, ir.Table]) -> ir.Table:
    """``table_coverage`` of every table in ``tables`` (name -> table), one row each.

    Raises:
        NotFoundError: If ``tables`` is empty (the warehouse has no tables yet).
    """
    if not tables:
        raise NotFoundError(
            "The warehouse has no tables; run `tripleaim generate` or `tripleaim load`."
        )
    parts = [table_coverage(name, table) for name, table in tables.items()]
    return ibis.union(*parts, distinct=False)
