"""A definition's ``where`` as an Ibis condition over a source's rows, and what it sums.

Conditions compile to plain comparisons, ``IN`` lists, prefix tests and one regular
expression for secondary diagnoses, which DuckDB and Spark evaluate alike. A null
in a tested column fails the test (SQL's ``CASE WHEN NULL`` takes the ``ELSE``).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from tripleaim.indicators.codes import code_list_matches, code_matches
from tripleaim.indicators.counts import (
    AECount,
    AnyCount,
    BirthCount,
    DeathCount,
    InpatientCount,
    OutpatientCount,
    PopulationCount,
    PrescribingCount,
)


def condition(count: AnyCount, rows: ir.Table) -> ir.BooleanValue:
    """True on the rows of ``rows`` that ``count`` counts.

    The first test is true on every row (each row has a year), so the result is a
    column even when ``where`` is empty.
    """
    where = count.where
    tests: list[ir.BooleanValue] = [rows.year.notnull()]
    if where.age_min is not None:
        tests.append(rows.age >= where.age_min)
    if where.age_max is not None:
        tests.append(rows.age <= where.age_max)
    if where.sex is not None:
        tests.append(rows.sex == where.sex)
    tests.extend(_table_tests(count, rows))
    return ibis.and_(*tests)


def _table_tests(count: AnyCount, rows: ir.Table) -> list[ir.BooleanValue]:
    """The tests only one table understands."""
    tests: list[ir.BooleanValue] = []
    if isinstance(count, PopulationCount):
        if count.where.condition is not None:
            tests.append(rows[f"dx_{count.where.condition}"])
    elif isinstance(count, InpatientCount):
        w = count.where
        if w.admission_method:
            tests.append(rows.admission_method.isin(list(w.admission_method)))
        if w.day_case is not None:
            tests.append(rows.day_case == w.day_case)
        if w.primary_diagnosis:
            tests.append(code_matches(rows.primary_diagnosis, w.primary_diagnosis))
        if w.any_diagnosis:
            tests.append(
                code_matches(rows.primary_diagnosis, w.any_diagnosis)
                | code_list_matches(rows.secondary_diagnoses, w.any_diagnosis)
            )
    elif isinstance(count, DeathCount):
        d = count.where
        if d.age_under_days is not None:
            limit = rows.date_of_birth + ibis.interval(days=d.age_under_days)
            tests.append(rows.event_date < limit)
        if d.underlying_cause:
            tests.append(code_matches(rows.underlying_cause, d.underlying_cause))
        if d.place_of_death:
            tests.append(rows.place_of_death.isin(list(d.place_of_death)))
    else:
        tests.extend(_care_tests(count, rows))
    return tests


def _care_tests(
    count: BirthCount | AECount | OutpatientCount | PrescribingCount, rows: ir.Table
) -> list[ir.BooleanValue]:
    tests: list[ir.BooleanValue] = []
    if isinstance(count, BirthCount):
        b = count.where
        if b.outcome is not None:
            tests.append(rows.outcome == b.outcome)
        if b.birth_weight_under_g is not None:
            tests.append(rows.birth_weight_g < b.birth_weight_under_g)
        if b.gestation_weeks_min is not None:
            tests.append(rows.gestation_weeks >= b.gestation_weeks_min)
    elif isinstance(count, AECount):
        if count.where.department_type:
            tests.append(rows.department_type.isin(list(count.where.department_type)))
        if count.where.breach_4h is not None:
            tests.append(rows.breach_4h == count.where.breach_4h)
    elif isinstance(count, OutpatientCount):
        if count.where.first_attendance is not None:
            tests.append(rows.first_attendance == count.where.first_attendance)
        if count.where.attendance_status:
            tests.append(
                rows.attendance_status.isin(list(count.where.attendance_status))
            )
    elif count.where.bnf_section:
        sections = count.where.bnf_section
        tests.append(
            ibis.or_(*(rows.bnf_section.startswith(prefix) for prefix in sections))
        )
    return tests


def summed(count: AnyCount, rows: ir.Table) -> ir.NumericValue:
    """What a qualifying row adds: 1, or its bed days, cost or items (else 0).

    Counts stay integers (so spec tests compare them exactly); costs are pounds.
    """
    column = {
        "bed_days": "length_of_stay",
        "cost_gbp": "cost_gbp",
        "items": "items",
    }.get(getattr(count, "measure", ""))
    test = condition(count, rows)
    if column is None:
        return test.ifelse(1, 0)
    zero = 0.0 if column == "cost_gbp" else 0
    return test.ifelse(rows[column], zero)
