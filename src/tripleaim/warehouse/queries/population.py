"""Registered population: who is on a practice list on a date, counted by area, sex and age.

The GP registered population is the denominator of most ICB indicators: NHS England
allocations and NHS Digital's *Patients Registered at a GP Practice* count people on
practice lists, not ONS residents.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from tripleaim.errors import DefinitionError
from tripleaim.warehouse.queries.aggregates import count_by
from tripleaim.warehouse.queries.areas import (
    ROLLUP_HINT,
    AreaLevel,
    area_column,
    person_areas,
    require_columns,
)
from tripleaim.warehouse.queries.dates import (
    DateLike,
    age_at,
    age_band,
    as_date,
    financial_year_midpoint,
)


def registered_persons(persons: ir.Table, at: DateLike) -> ir.Table:
    """People registered on the date ``at``, with their ``age`` and ``age_band`` then.

    A person counts when their registration began on or before ``at``, had not ended
    by it (``registration_end`` empty or after ``at``) and they were born by then.

    Args:
        persons: ``persons``, or ``person_areas(...)`` to keep the area columns.
        at: The date of the count.

    Returns:
        The rows of ``persons`` registered on ``at`` plus ``age`` (whole years) and
        ``age_band`` (ESP2013 five-year band).
    """
    on = as_date(at)
    registered = persons.filter(
        persons.registration_start <= on,
        persons.registration_end.isnull() | (persons.registration_end > on),
        persons.date_of_birth <= on,
    )
    age = age_at(registered.date_of_birth, on)
    return registered.mutate(age=age, age_band=age_band(age))


def registered_population(
    persons: ir.Table, at: DateLike, by: Sequence[str] = ("practice_code",)
) -> ir.Table:
    """Number of people registered on ``at``, by any of their columns and age band.

    Args:
        persons: ``persons``, or ``person_areas(...)`` to count by PCN, place, ICB,
            district or deprivation decile.
        at: The date of the count.
        by: Columns to count by: ``practice_code``, ``lsoa_code``, ``sex``,
            ``age_band``, ``age`` or any area column of ``person_areas``.

    Returns:
        The ``by`` columns and ``population`` (int64).

    Raises:
        DefinitionError: If a ``by`` column does not exist.
    """
    registered = registered_persons(persons, at)
    require_columns(registered, tuple(by), ROLLUP_HINT)
    return count_by(registered, by, population=registered.count())


def registered_population_by_area(
    persons: ir.Table,
    organisations: ir.Table,
    lsoas: ir.Table,
    at: DateLike,
    *,
    level: AreaLevel,
    by: Sequence[str] = (),
) -> ir.Table:
    """Registered population on ``at`` rolled up to an area level (PCN, place, ICB ...).

    Args:
        persons: The ``persons`` table.
        organisations: The ``organisations`` table.
        lsoas: The ``lsoas`` table.
        at: The date of the count.
        level: One of ``AREA_LEVELS``; the area column is named as there
            (``pcn_code``, ``place_code``, ``imd_decile`` ...).
        by: Further columns to count by, such as ``sex`` and ``age_band``.

    Returns:
        The area column, the ``by`` columns and ``population``.
    """
    areas = person_areas(persons, organisations, lsoas)
    return registered_population(areas, at, by=(area_column(level), *by))


def mid_year_population(
    persons: ir.Table,
    financial_years: Sequence[str],
    by: Sequence[str] = ("practice_code",),
) -> ir.Table:
    """Registered population at the middle of each financial year (30 September).

    The denominator for annual rates: a count on the year's middle day stands in for
    the average list size over the year, as the ONS mid-year estimate does for
    resident population.

    Args:
        persons: ``persons``, or ``person_areas(...)``.
        financial_years: Labels such as ``["2022/23", "2023/24"]``.
        by: Columns to count by, as for ``registered_population``.

    Returns:
        ``financial_year``, the ``by`` columns and ``population``.

    Raises:
        DefinitionError: If no financial year is given or a label is malformed.
    """
    if not financial_years:
        raise DefinitionError("mid_year_population needs at least one financial year.")
    parts = [
        registered_population(persons, financial_year_midpoint(year), by).mutate(
            financial_year=ibis.literal(year, type="string")
        )
        for year in financial_years
    ]
    return ibis.union(*parts).select("financial_year", *by, "population")
