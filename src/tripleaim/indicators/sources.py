"""The rows an indicator counts, each placed in its person's practice, year, sex and age.

Every source gives one row per qualifying thing (a person on a count date, a spell,
a death, a birth ...) with the same columns: the person's ``practice_code`` and the
IMD 2019 ``imd_decile`` of their LSOA (from ``queries.person_areas``), ``year`` (the
financial year's first calendar year, 2023 for 2023/24), ``sex``, ``date_of_birth``,
and ``age`` and ``age_start`` (first age of the life-table group) on the event's
date, with the table's own columns that filters need. Keys stay integers on these
large row sets, which group several times faster than strings; labels are put back on
the small aggregates. Events of people missing from ``persons`` have no age or
practice and are left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import ibis
import ibis.expr.types as ir

from tripleaim.errors import DefinitionError
from tripleaim.warehouse import queries

AGE_GROUPS = ("0", "1-4", *queries.ESP2013_AGE_BANDS[1:])
"""Life-table age groups: under 1, 1-4, then the five-year ESP2013 bands to 90+."""

ROW_COLUMNS = (
    "practice_code",
    "imd_decile",
    "year",
    "sex",
    "date_of_birth",
    "age",
    "age_start",
)

EVENT_SOURCES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "inpatient_spells": (
        "person_id",
        "admission_date",
        (
            "admission_method",
            "day_case",
            "primary_diagnosis",
            "secondary_diagnoses",
            "length_of_stay",
            "cost_gbp",
        ),
    ),
    "deaths": ("person_id", "date_of_death", ("underlying_cause", "place_of_death")),
    "births": (
        "mother_person_id",
        "birth_date",
        ("outcome", "birth_weight_g", "gestation_weeks"),
    ),
    "ae_attendances": ("person_id", "arrival_time", ("department_type", "breach_4h")),
    "outpatient_appointments": (
        "person_id",
        "appointment_date",
        ("first_attendance", "attendance_status", "cost_gbp"),
    ),
    "prescribing": ("person_id", "period_start", ("bnf_section", "items", "cost_gbp")),
}
"""Each event table: the column naming its person, its date, and the columns kept."""

POPULATION_SOURCES = (
    "registered_population_mid_year",
    "registered_population_year_end",
)
SOURCES = (*POPULATION_SOURCES, *EVENT_SOURCES)


def age_start(age: ir.IntegerValue) -> ir.IntegerValue:
    """First age of an age's life-table group: 0, 1, 5, 10 ... 85, 90."""
    return ibis.cases(
        (age < 1, 0), (age < 5, 1), (age >= 90, 90), else_=age - age % 5
    ).cast("int64")


def age_group_label(start: ir.IntegerValue) -> ir.StringValue:
    """The label of a life-table group from its first age ('0', '1-4' ... '90+')."""
    return ibis.cases(
        *((start == band_start(label), label) for label in AGE_GROUPS),
        else_=ibis.null("string"),
    )


def band_start(label: str) -> int:
    """The first age of a band label ('0', '1-4', '85-89', '90+')."""
    return int(label.split("-", maxsplit=1)[0].rstrip("+"))


def start_year(period: str) -> int:
    """The first calendar year of a financial year ('2023/24' -> 2023)."""
    return queries.financial_year_start(period).year


def period_label(year: ir.IntegerValue, periods: Sequence[str]) -> ir.StringValue:
    """The financial year label of a ``year`` key."""
    return ibis.cases(
        *((year == start_year(period), period) for period in periods),
        else_=ibis.null("string"),
    )


def count_date(period: str, at: str) -> date:
    """The day people are counted: 30 September (mid-year) or 31 March (year end)."""
    if at == "mid_year":
        return queries.financial_year_midpoint(period)
    start = queries.financial_year_start(period)
    return start.replace(year=start.year + 1) - timedelta(days=1)


def year_of(day: ir.DateValue, periods: Sequence[str]) -> ir.IntegerValue:
    """The ``year`` key of the financial year in ``periods`` a date falls in, else null.

    Date comparisons against each year's first and last day: the same answer as
    ``queries.financial_year`` on those years, and cheaper than building a label on
    every row of a large table such as ``prescribing``.
    """
    cases = []
    for period in periods:
        start = queries.financial_year_start(period)
        end = start.replace(year=start.year + 1)
        cases.append(((day >= start) & (day < end), start.year))
    return ibis.cases(*cases, else_=ibis.null("int64"))


def _areas(tables: Mapping[str, ir.Table]) -> ir.Table:
    return queries.person_areas(
        tables["persons"], tables["organisations"], tables["lsoas"]
    )


def population_rows(
    tables: Mapping[str, ir.Table],
    periods: Sequence[str],
    at: str,
    conditions: Sequence[str] = (),
) -> ir.Table:
    """People registered on each period's count date, one row a person and period.

    Args:
        tables: Warehouse tables by name (``persons``, ``organisations``, ``lsoas``,
            and ``conditions`` when ``conditions`` is not empty).
        periods: Financial years, such as ``["2022/23", "2023/24"]``.
        at: ``mid_year`` or ``year_end``.
        conditions: Condition slugs to flag: adds ``dx_<slug>``, true when the person
            was first diagnosed on or before the count date.
    """
    dates = ibis.memtable(
        {
            "year": [start_year(period) for period in periods],
            "count_date": [count_date(period, at) for period in periods],
        },
        schema={"year": "int64", "count_date": "date"},
    )
    crossed = _areas(tables).cross_join(dates)
    people = queries.registered_persons(crossed, crossed.count_date)
    rows = people.mutate(age_start=age_start(people.age)).select(
        *ROW_COLUMNS, "person_id", "count_date"
    )
    if not conditions:
        return rows.drop("person_id", "count_date")
    found = tables["conditions"]
    found = found.filter(found.condition.isin(list(conditions)))
    first = found.group_by(dx_person_id=found.person_id).aggregate(
        **{
            f"first_{name}": (found.condition == name)
            .ifelse(found.diagnosis_date, ibis.null("date"))
            .min()
            for name in conditions
        }
    )
    joined = rows.left_join(first, rows.person_id == first.dx_person_id)
    flags = {
        f"dx_{name}": joined[f"first_{name}"].notnull()
        & (joined[f"first_{name}"] <= joined.count_date)
        for name in conditions
    }
    return joined.mutate(**flags).select(*ROW_COLUMNS, *flags)


def event_rows(
    tables: Mapping[str, ir.Table], source: str, periods: Sequence[str]
) -> ir.Table:
    """Events of ``source`` dated in ``periods``, placed in their person's areas.

    Raises:
        DefinitionError: If ``source`` is not an event table.
    """
    if source not in EVENT_SOURCES:
        raise DefinitionError(
            f"{source!r} is not an event table; choose one of {', '.join(EVENT_SOURCES)}."
        )
    person_key, when, wanted = EVENT_SOURCES[source]
    events = tables[source]
    # Columns a table lacks (small test tables) are left out; a filter that needs
    # one then fails naming it.
    keep = [name for name in wanted if name in events.columns]
    events = events.select(
        event_person_id=events[person_key],
        event_date=queries.as_date(events[when]),
        **{name: events[name] for name in keep},
    )
    events = events.mutate(year=year_of(events.event_date, periods))
    events = events.filter(events.year.notnull())
    areas = _areas(tables)
    people = areas.select(
        person_id=areas.person_id,
        practice_code=areas.practice_code,
        imd_decile=areas.imd_decile,
        sex=areas.sex,
        date_of_birth=areas.date_of_birth,
    )
    joined = events.join(people, events.event_person_id == people.person_id)
    age = queries.age_at(joined.date_of_birth, joined.event_date)
    return joined.mutate(age=age, age_start=age_start(age)).select(
        *ROW_COLUMNS, "event_date", *keep
    )


def source_rows(
    tables: Mapping[str, ir.Table],
    source: str,
    periods: Sequence[str],
    conditions: Sequence[str] = (),
) -> ir.Table:
    """The rows of any source in ``SOURCES`` (see :func:`population_rows`)."""
    if source in POPULATION_SOURCES:
        at = source.removeprefix("registered_population_")
        return population_rows(tables, periods, at, conditions)
    return event_rows(tables, source, periods)


def required_tables(source: str, conditions: Sequence[str] = ()) -> tuple[str, ...]:
    """The warehouse tables a source reads."""
    base = ("persons", "organisations", "lsoas")
    if source in POPULATION_SOURCES:
        return (*base, "conditions") if conditions else base
    return (*base, source)
