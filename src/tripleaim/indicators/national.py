"""National comparator counts: England, every upper-tier authority and every ICB.

``national_activity`` and ``national_population`` hold counts by area, financial year,
sex and five-year band for England, the 152 upper-tier local authorities (UTLAs)
and the sub-ICB locations. England and UTLAs are read as they are; an ICB is the sum
of its sub-ICB locations (``national_areas.icb_code``), so the system can be ranked
among the 42 ICBs as a place is among the UTLAs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ibis
import ibis.expr.types as ir

NATIONAL_BY = ("sex", "age_band")
POPULATION = "population"


def national_cube(
    tables: Mapping[str, ir.Table],
    measures: Sequence[str],
    periods: Sequence[str],
    *,
    by: Sequence[str] = NATIONAL_BY,
) -> ir.Table:
    """National counts of ``measures`` and population by comparator area and period.

    Args:
        tables: ``national_areas``, ``national_activity`` and ``national_population``.
        measures: ``national_activity`` measures (``deaths``, ``live_births`` ...).
        periods: Financial years.
        by: Any of ``sex`` and ``age_band``.

    Returns:
        ``comparator`` (``england``, ``utla`` or ``icb``), ``area_code``, ``period``,
        the ``by`` columns, ``population`` and a float column per measure.
    """
    activity = tables["national_activity"]
    people = tables["national_population"]
    activity = activity.filter(
        activity.measure.isin(list(measures)),
        activity.financial_year.isin(list(periods)),
    )
    people = people.filter(people.financial_year.isin(list(periods)))
    keys = ["area_code", "financial_year", *by]
    counted = activity.group_by(keys).aggregate(
        **{
            name: (activity.measure == name)
            .ifelse(activity.value.cast("float64"), 0.0)
            .sum()
            for name in measures
        }
    )
    population = people.group_by(keys).aggregate(
        **{POPULATION: people.population.cast("float64").sum()}
    )
    joined = population.left_join(counted, keys)
    columns = [POPULATION, *measures]
    pivot = joined.select(
        *keys,
        POPULATION,
        **{name: joined[name].fill_null(0.0) for name in measures},
    )
    areas = tables["national_areas"].select("area_code", "area_type", "icb_code")
    typed = pivot.join(areas, "area_code")
    direct = typed.filter(typed.area_type.isin(["england", "utla"])).select(
        comparator=typed.area_type,
        area_code=typed.area_code,
        period=typed.financial_year,
        **{name: typed[name] for name in [*by, *columns]},
    )
    sub_icb = typed.filter((typed.area_type == "sub_icb") & typed.icb_code.notnull())
    icb = sub_icb.group_by(
        [sub_icb.icb_code.name("area_code"), sub_icb.financial_year.name("period"), *by]
    ).aggregate(**{name: sub_icb[name].sum() for name in columns})
    icb = icb.mutate(comparator=ibis.literal("icb", type="string")).select(
        "comparator", "area_code", "period", *by, *columns
    )
    return ibis.union(direct, icb, distinct=False)
