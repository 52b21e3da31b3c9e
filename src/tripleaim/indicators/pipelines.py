"""Numerator and denominator counts by area level and financial year, as Ibis expressions.

One engine pass per source table counts every indicator that uses it: each numerator
or denominator becomes one summed column (a *measure*) over the source's rows (see
:mod:`tripleaim.indicators.sources` and :mod:`tripleaim.indicators.filters`). The rows
are counted at the finest grain (practice, financial year, IMD decile, life-table age
group), then rolled up the organisation hierarchy that ``queries.person_areas`` uses
(practice -> PCN, place, ICB), so a PCN, place or ICB count is the sum of its
practices' counts. The result has one row per area level, area, period and grain
cell, with a column per measure: small enough to leave the engine for the methods,
which are pure functions over these aggregates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import ibis
import ibis.expr.types as ir

from tripleaim.indicators.counts import AnyCount, PopulationCount, source_of
from tripleaim.indicators.filters import summed
from tripleaim.indicators.sources import age_group_label, period_label, source_rows

Level = Literal["practice", "pcn", "place", "icb"]
LEVELS: tuple[Level, ...] = ("practice", "pcn", "place", "icb")
"""Area levels of a profile: GP practice, primary care network, place, system (ICB)."""

LEVEL_COLUMNS: dict[Level, str] = {
    "practice": "practice_code",
    "pcn": "pcn_code",
    "place": "place_code",
    "icb": "icb_code",
}

GRAIN = ("imd_decile", "age_group")
"""What a profile needs below area and year: deprivation (SII) and age (DSR, LE).

Sex needs no column: a sex-specific indicator filters its own counts by sex."""

_ROW_KEYS = {"imd_decile": "imd_decile", "age_group": "age_start"}


def conditions_of(measures: Mapping[str, AnyCount]) -> list[str]:
    """The register conditions the measures of a population source test."""
    found = {
        count.where.condition
        for count in measures.values()
        if isinstance(count, PopulationCount) and count.where.condition
    }
    return sorted(found)


def practice_areas(organisations: ir.Table) -> ir.Table:
    """Each practice's PCN, place and ICB, as ``queries.person_areas`` assigns them.

    A practice's ``parent_code`` is its primary care network (the hierarchy is ICB
    -> place -> PCN -> practice).
    """
    practices = organisations.filter(organisations.org_type == "practice")
    return practices.select(
        area_practice=practices.org_code,
        pcn_code=practices.parent_code,
        place_code=practices.place_code,
        icb_code=practices.icb_code,
    )


def area_dimension(persons: ir.Table, organisations: ir.Table) -> ir.Table:
    """Every area a profile can report: ``area_level`` and ``area_code``.

    Practices are those of registered people (``persons.practice_code``); PCNs,
    places and ICBs those the organisation hierarchy puts them in.
    """
    practices = persons.select("practice_code").distinct()
    lookup = practice_areas(organisations)
    joined = practices.left_join(
        lookup, practices.practice_code == lookup.area_practice
    )
    parts = [
        joined.select(
            area_level=ibis.literal(level, type="string"), area_code=joined[column]
        )
        .filter(ibis._.area_code.notnull())
        .distinct()
        for level, column in LEVEL_COLUMNS.items()
    ]
    return ibis.union(*parts, distinct=False)


def count_cube(
    tables: Mapping[str, ir.Table],
    source: str,
    measures: Mapping[str, AnyCount],
    periods: Sequence[str],
    *,
    levels: Sequence[Level] = LEVELS,
    by: Sequence[str] = GRAIN,
) -> ir.Table:
    """Every measure of one source by area level, area, period and ``by``.

    Args:
        tables: Warehouse tables by name (``persons``, ``organisations``, ``lsoas``,
            the source's table, and ``conditions`` for registers).
        source: One of ``sources.SOURCES``: an event table, or
            ``registered_population_mid_year`` / ``registered_population_year_end``.
        measures: Column name -> numerator or denominator definition; all must read
            ``source``.
        periods: Financial years to count, such as ``["2022/23", "2023/24"]``.
        levels: Area levels to roll up to.
        by: Columns of the grain to keep (any of ``GRAIN``; empty for area totals).

    Returns:
        ``area_level``, ``area_code``, ``period``, the ``by`` columns and one column
        per measure (counts as integers, costs as floats). Areas with no row in the
        source do not appear; people or events with no area at a level (a practice
        missing from ``organisations``) are left out of that level.
    """
    rows = source_rows(tables, source, periods, conditions_of(measures))
    keys = [_ROW_KEYS[name] for name in by]
    finest = rows.group_by(["practice_code", "year", *keys]).aggregate(
        **{name: summed(count, rows).sum() for name, count in measures.items()}
    )
    lookup = practice_areas(tables["organisations"])
    finest = finest.left_join(lookup, finest.practice_code == lookup.area_practice)
    parts = []
    for level in levels:
        column = LEVEL_COLUMNS[level]
        kept = finest.filter(finest[column].notnull())
        rolled = kept.group_by(
            [kept[column].name("area_code"), "year", *keys]
        ).aggregate(**{name: kept[name].sum() for name in measures})
        labels = {"period": period_label(rolled.year, periods)}
        if "age_group" in by:
            labels["age_group"] = age_group_label(rolled.age_start)
        rolled = rolled.mutate(area_level=ibis.literal(level, type="string"), **labels)
        parts.append(rolled.select("area_level", "area_code", "period", *by, *measures))
    return ibis.union(*parts, distinct=False)


def measure_total(
    tables: Mapping[str, ir.Table],
    count: AnyCount,
    periods: Sequence[str],
    *,
    level: Level = "practice",
    by: Sequence[str] = (),
) -> ir.Table:
    """One numerator or denominator by area and period: ``area_code``, ``period``, ``value``.

    The single-measure view of :func:`count_cube`, for reading and spec tests.
    """
    cube = count_cube(
        tables, source_of(count), {"value": count}, periods, levels=(level,), by=by
    )
    return cube.drop("area_level")
