"""Counting a benchmark measure: Ibis expressions over warehouse tables (any engine).

Each measure becomes one table with a row per area, period, sex and five-year age
band: ``numerator``, ``denominator``, ``events`` (the count behind the numerator's
interval), ``bed_days`` and ``cost_gbp``. National measures read the national
comparator tables (England is kept as the reference for standardisation); footprint
measures count the activity of registered patients by the practice or PCN they are
registered with, ages taken on the event's date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ibis
import ibis.expr.types as ir

from tripleaim.benchmark.spec import FootprintCount, MeasureSpec, NationalCount
from tripleaim.errors import DefinitionError
from tripleaim.warehouse.queries import (
    age_at,
    age_band,
    as_date,
    financial_year,
    mid_year_population,
    person_areas,
)

__all__ = ["CUBE_COLUMNS", "KEYS", "footprint_counts", "national_counts"]

KEYS = ("area_code", "period", "sex", "age_band")
CUBE_COLUMNS = (*KEYS, "numerator", "denominator", "events", "bed_days", "cost_gbp")

_EVENT_DATES = {
    "inpatient_spells": "admission_date",
    "outpatient_appointments": "appointment_date",
    "ae_attendances": "arrival_time",
    "prescribing": "period_start",
}
_AMOUNT = {"bed_days": "length_of_stay", "cost_gbp": "cost_gbp", "items": "items"}
_LEVEL_COLUMN = {"practice": "practice_code", "pcn": "pcn_code", "place": "place_code"}


def _long(
    table: ir.Table, role: str, amount: ir.NumericValue, keys: Sequence[str] = KEYS
) -> ir.Table:
    zero = ibis.literal(0.0)
    roles = ("numerator", "denominator", "events", "bed_days", "cost_gbp")
    return table.select(
        *keys,
        **{r: (amount.cast("float64") if r == role else zero) for r in roles},
    )


def _pivot(parts: Sequence[ir.Table]) -> ir.Table:
    union = ibis.union(*parts, distinct=False)
    sums = {
        name: union[name].sum()
        for name in ("numerator", "denominator", "events", "bed_days", "cost_gbp")
    }
    return union.group_by(list(KEYS)).aggregate(**sums)


# --- national ------------------------------------------------------------------


def _national_sum(activity: ir.Table, count: NationalCount, role: str) -> ir.Table:
    rows = activity.filter(activity.measure.isin(list(count.measures)))
    return _long(rows, role, rows.value)


def national_counts(
    tables: Mapping[str, ir.Table],
    spec: MeasureSpec,
    area_type: str,
    periods: Sequence[str],
) -> ir.Table:
    """Counts of a national measure for England and every area of ``area_type``.

    Args:
        tables: ``national_areas``, ``national_activity``, ``national_population``.
        spec: A measure of scope ``national``.
        area_type: ``utla`` or ``sub_icb``.
        periods: Financial years.

    Returns:
        ``CUBE_COLUMNS`` plus ``reference`` (true for England).
    """
    if not isinstance(spec.numerator, NationalCount):
        raise DefinitionError(f"{spec.id}: not a national measure")
    areas = tables["national_areas"]
    chosen = areas.filter(areas.area_type.isin([area_type, "england"])).select(
        "area_code", reference=areas.area_type == "england"
    )
    activity = tables["national_activity"]
    activity = activity.filter(activity.financial_year.isin(list(periods)))
    activity = activity.rename(period="financial_year")
    parts = [_national_sum(activity, spec.numerator, "numerator")]
    events = spec.events if isinstance(spec.events, NationalCount) else spec.numerator
    parts.append(_national_sum(activity, events, "events"))
    if spec.denominator == "population":
        people = tables["national_population"]
        people = people.filter(people.financial_year.isin(list(periods)))
        people = people.rename(period="financial_year")
        parts.append(_long(people, "denominator", people.population))
    elif isinstance(spec.denominator, NationalCount):
        parts.append(_national_sum(activity, spec.denominator, "denominator"))
    cube = _pivot(parts)
    joined = cube.join(chosen, "area_code")
    return joined.select(*CUBE_COLUMNS, "reference")


# --- footprint -----------------------------------------------------------------


def _quarter(day: ir.DateValue) -> ir.StringValue:
    number = ((day.month() + 8) % 12) // 3 + 1
    return financial_year(day) + " Q" + number.cast("string")


def _event_rows(
    tables: Mapping[str, ir.Table], count: FootprintCount, level: str, quarterly: bool
) -> ir.Table:
    """Rows of ``count`` with area, period, sex, age band, amount, bed days and cost."""
    events = tables[count.table]
    if count.admission_method is not None:
        events = events.filter(
            events.admission_method.isin(list(count.admission_method))
        )
    if count.day_case is not None:
        events = events.filter(events.day_case == count.day_case)
    if count.treatment_functions is not None:
        events = events.filter(
            events.treatment_function.isin(list(count.treatment_functions))
        )
    if count.procedures is not None:
        code = events.primary_procedure
        events = events.filter(
            ibis.or_(*(code.startswith(p) for p in count.procedures))
        )
    if count.first_attendance is not None:
        events = events.filter(events.first_attendance == count.first_attendance)
    if count.attended is not None:
        attended = events.attendance_status == "attended"
        events = events.filter(attended if count.attended else ~attended)
    if count.bnf_sections is not None:
        section = events.bnf_section
        events = events.filter(
            ibis.or_(*(section.startswith(s) for s in count.bnf_sections))
        )
    people = person_areas(tables["persons"], tables["organisations"], tables["lsoas"])
    people = people.select(
        who=people.person_id,
        born=people.date_of_birth,
        sex=people.sex,
        area_code=people[_LEVEL_COLUMN[level]],
    )
    joined = events.join(people, events.person_id == people.who)
    joined = joined.filter(joined.area_code.notnull())
    day = as_date(joined[_EVENT_DATES[count.table]])
    amount = (
        ibis.literal(1.0)
        if count.value == "count"
        else joined[_AMOUNT[count.value]].cast("float64")
    )
    stay = (
        joined.length_of_stay.cast("float64")
        if count.table == "inpatient_spells"
        else ibis.literal(0.0)
    )
    cost = (
        joined.cost_gbp.cast("float64")
        if count.table in ("inpatient_spells", "outpatient_appointments")
        else ibis.literal(0.0)
    )
    return joined.select(
        area_code=joined.area_code,
        period=_quarter(day) if quarterly else financial_year(day),
        sex=joined.sex,
        # a baby's prescriptions of its birth month are dated before its birth
        age_band=age_band(age_at(joined.born, day).clip(lower=0)),
        amount=amount,
        rows=ibis.literal(1.0),
        stay=stay,
        cost=cost,
    )


def footprint_counts(
    tables: Mapping[str, ir.Table],
    spec: MeasureSpec,
    level: str,
    periods: Sequence[str],
    *,
    quarterly: bool = False,
) -> ir.Table:
    """Counts of a footprint measure for every practice or PCN.

    Args:
        tables: ``persons``, ``organisations``, ``lsoas`` and the activity tables the
            measure reads.
        spec: A measure of scope ``footprint``.
        level: ``practice`` or ``pcn``.
        periods: Financial years kept (a quarter is kept when its year is).
        quarterly: Periods are financial quarters (``2023/24 Q1``); needs a counted
            denominator.

    Returns:
        ``CUBE_COLUMNS``.
    """
    if not isinstance(spec.numerator, FootprintCount):
        raise DefinitionError(f"{spec.id}: not a footprint measure")
    if quarterly and spec.denominator == "population":
        raise DefinitionError(
            f"{spec.id}: quarterly counts need a counted denominator, not population"
        )
    numerator = _event_rows(tables, spec.numerator, level, quarterly)
    parts = [_long(numerator, "numerator", numerator.amount)]
    if isinstance(spec.events, FootprintCount):
        counted = _event_rows(tables, spec.events, level, quarterly)
        parts.append(_long(counted, "events", counted.amount))
    else:
        parts.append(_long(numerator, "events", numerator.rows))
    parts.append(_long(numerator, "cost_gbp", numerator.cost))
    if spec.bed_days == "mean_stay":
        parts.append(_long(numerator, "bed_days", numerator.stay))
    if spec.denominator == "population":
        areas = person_areas(
            tables["persons"], tables["organisations"], tables["lsoas"]
        )
        column = _LEVEL_COLUMN[level]
        people = mid_year_population(areas, periods, by=(column, "sex", "age_band"))
        people = people.filter(people[column].notnull())
        people = people.select(
            area_code=people[column],
            period=people.financial_year,
            sex=people.sex,
            age_band=people.age_band,
            population=people.population,
        )
        parts.append(_long(people, "denominator", people.population))
    elif isinstance(spec.denominator, FootprintCount):
        denominator = _event_rows(tables, spec.denominator, level, quarterly)
        parts.append(_long(denominator, "denominator", denominator.amount))
        if spec.bed_days == "ordinary_stay":
            parts.append(_long(denominator, "bed_days", denominator.stay))
    cube = _pivot(parts)
    year = cube.period.substr(0, 7)
    return cube.filter(year.isin(list(periods))).select(*CUBE_COLUMNS)
