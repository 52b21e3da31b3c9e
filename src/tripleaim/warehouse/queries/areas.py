"""Where a person counts: practice, PCN, place and ICB, and LSOA, district and deprivation.

Activity and population are counted by the areas of the person they belong to. A
person's practice and LSOA come from ``persons``; the organisation hierarchy
(practice -> PCN -> place -> ICB) and the LSOA lookup (district, upper-tier
authority, IMD 2019 decile) add the levels above them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import ibis.expr.types as ir
from ibis.common.deferred import Deferred

from tripleaim.errors import DefinitionError
from tripleaim.warehouse.queries.dates import Period, reporting_period

AreaLevel = Literal[
    "practice", "pcn", "place", "icb", "lsoa", "lad", "resident_place", "imd_decile"
]

AREA_LEVELS: dict[AreaLevel, str] = {
    "practice": "practice_code",
    "pcn": "pcn_code",
    "place": "place_code",
    "icb": "icb_code",
    "lsoa": "lsoa_code",
    "lad": "lad_code",
    "resident_place": "resident_place_code",
    "imd_decile": "imd_decile",
}
"""Each area level and the column of ``person_areas`` that names a person's area.

``place`` is the place of the person's practice (registered population, as NHS
allocations count); ``resident_place`` is the upper-tier authority the person lives
in (resident population, as local authorities count).
"""

ROLLUP_HINT = (
    "For PCN, place, ICB, district or deprivation levels pass "
    "person_areas(persons, organisations, lsoas) instead of persons."
)


def area_column(level: AreaLevel) -> str:
    """The column that holds a person's area at ``level``.

    Raises:
        DefinitionError: If ``level`` is not one of ``AREA_LEVELS``.
    """
    try:
        return AREA_LEVELS[level]
    except KeyError:
        raise DefinitionError(
            f"Unknown area level {level!r}; choose one of {', '.join(AREA_LEVELS)}."
        ) from None


def person_areas(
    persons: ir.Table, organisations: ir.Table, lsoas: ir.Table
) -> ir.Table:
    """``persons`` with every area each person counts in, one row a person.

    The practice's ``parent_code`` is its primary care network, as the organisation
    hierarchy is ICB -> place -> PCN -> practice (under the NHS England Network
    Contract DES a practice belongs to one PCN at most). People whose practice or
    LSOA is not in the reference tables keep a row with null areas, so totals over
    areas still add up to all people.

    Args:
        persons: The ``persons`` table.
        organisations: The ``organisations`` table.
        lsoas: The ``lsoas`` table.

    Returns:
        The columns of ``persons`` plus ``pcn_code``, ``place_code``, ``icb_code``,
        ``lad_code``, ``resident_place_code`` and ``imd_decile``.
    """
    practices = organisations.filter(organisations.org_type == "practice")
    practices = practices.select(
        org_code=practices.org_code,
        pcn_code=practices.parent_code,
        place_code=practices.place_code,
        icb_code=practices.icb_code,
    )
    residences = lsoas.select(
        area_lsoa_code=lsoas.lsoa_code,
        lad_code=lsoas.lad_code,
        resident_place_code=lsoas.place_code,
        imd_decile=lsoas.imd_decile,
    )
    joined = persons.left_join(
        practices, persons.practice_code == practices.org_code
    ).left_join(residences, persons.lsoa_code == residences.area_lsoa_code)
    return joined.select(
        *persons.columns,
        "pcn_code",
        "place_code",
        "icb_code",
        "lad_code",
        "resident_place_code",
        "imd_decile",
    )


def require_columns(table: ir.Table, columns: tuple[str, ...], hint: str) -> None:
    """Fail with a clear message when ``table`` lacks a column a query groups by.

    Raises:
        DefinitionError: Naming the missing columns, those available and ``hint``.
    """
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise DefinitionError(
            f"Cannot group by {', '.join(missing)}: the table has "
            f"{', '.join(table.columns)}. {hint}"
        )


def activity_by_area(
    events: ir.Table,
    areas: ir.Table,
    *,
    when: str,
    level: AreaLevel,
    period: Period,
    by: Sequence[str] = (),
    person_key: str = "person_id",
    **metrics: Deferred,
) -> ir.Table:
    """``metrics`` of ``events`` by the area of their person and the period of ``when``.

    Events whose person is not in ``areas`` are kept with a null area (left join),
    so totals over areas add up to all events.

    Args:
        events: An activity table.
        areas: ``persons``, or ``person_areas(...)`` for levels above practice/LSOA.
        when: The date or timestamp column that places an event in a period.
        level: Area level; the output column is named as in ``AREA_LEVELS``.
        period: ``financial_year`` (label '2022/23') or ``month`` (first day).
        by: Further columns of ``events`` to count by.
        person_key: The column of ``events`` holding the person's ``person_id``.
        **metrics: Deferred aggregates over the events (``_.count()`` ...).

    Returns:
        The area column, the period column, the ``by`` columns and the metrics.
    """
    column = area_column(level)
    require_columns(areas, ("person_id", column), ROLLUP_HINT)
    require_columns(events, (person_key, when, *by), "Check the activity table.")
    people = areas.select(area_person_id=areas.person_id, area_key=areas[column])
    joined = events.left_join(people, events[person_key] == people.area_person_id)
    joined = joined.mutate(period_key=reporting_period(joined[when], period))
    counted = joined.group_by(["area_key", "period_key", *by]).aggregate(**metrics)
    return counted.rename({column: "area_key", period: "period_key"})
