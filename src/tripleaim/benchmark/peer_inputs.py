"""The variables peers are found by, as Ibis expressions over warehouse tables.

National levels (upper-tier authorities, sub-ICB locations) read the national
comparator tables: ``population`` and the age shares from ``national_population``,
``imd_score`` from ``national_areas``. The footprint levels (practices, PCNs) read the
registered list: list size, the same age shares and the mean IMD 2019 score of the
LSOAs the patients live in. Age shares are proportions of the population:
``pct_18_39`` (the 15-19 band counts two fifths, since 18 and 19 are two of its five
years; docs/decisions/0040), ``pct_65_84`` and ``pct_85_plus``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import ibis
import ibis.expr.types as ir

from tripleaim.warehouse.queries import person_areas
from tripleaim.warehouse.queries.population import registered_persons

__all__ = ["PEER_VARIABLES", "footprint_peer_variables", "national_peer_variables"]

PEER_VARIABLES = ("imd_score", "population", "pct_18_39", "pct_65_84", "pct_85_plus")
"""Every variable a peer group may weight."""

_BAND_SHARE_18_39 = {
    "15-19": 0.4,
    "20-24": 1.0,
    "25-29": 1.0,
    "30-34": 1.0,
    "35-39": 1.0,
}
_BANDS_65_84 = ("65-69", "70-74", "75-79", "80-84")
_BANDS_85_PLUS = ("85-89", "90+")


def _share(numerator: ir.FloatingValue, total: ir.FloatingValue) -> ir.FloatingValue:
    return ibis.ifelse(total > 0, numerator / total, 0.0)


def national_peer_variables(
    tables: Mapping[str, ir.Table], area_type: str, period: str
) -> ir.Table:
    """Peer variables of every national area of ``area_type`` in ``period``.

    Args:
        tables: ``national_areas`` and ``national_population``.
        area_type: ``utla`` or ``sub_icb``.
        period: Financial year of the population (e.g. 2023/24).

    Returns:
        ``area_code`` and the columns of ``PEER_VARIABLES``.
    """
    areas = tables["national_areas"]
    people = tables["national_population"]
    people = people.filter(people.financial_year == period)
    persons = people.population.cast("float64")
    weight_18_39 = people.age_band.cases(*_BAND_SHARE_18_39.items(), else_=0.0).cast(
        "float64"
    )
    summed = people.group_by("area_code").aggregate(
        population=persons.sum(),
        n_18_39=(persons * weight_18_39).sum(),
        n_65_84=people.age_band.isin(_BANDS_65_84).ifelse(persons, 0.0).sum(),
        n_85_plus=people.age_band.isin(_BANDS_85_PLUS).ifelse(persons, 0.0).sum(),
    )
    chosen = areas.filter(areas.area_type == area_type).select("area_code", "imd_score")
    joined = chosen.join(summed, "area_code")
    return joined.select(
        "area_code",
        imd_score=joined.imd_score.cast("float64"),
        population=joined.population,
        pct_18_39=_share(joined.n_18_39, joined.population),
        pct_65_84=_share(joined.n_65_84, joined.population),
        pct_85_plus=_share(joined.n_85_plus, joined.population),
    )


def footprint_peer_variables(
    tables: Mapping[str, ir.Table], level: str, at: date
) -> ir.Table:
    """Peer variables of every practice or PCN of the footprint on the date ``at``.

    Args:
        tables: ``persons``, ``organisations`` and ``lsoas``.
        level: ``practice`` or ``pcn``.
        at: The date the list is counted on.

    Returns:
        ``area_code`` and the columns of ``PEER_VARIABLES`` (``population`` is the
        list size; ``imd_score`` the patients' mean LSOA score).
    """
    areas = person_areas(tables["persons"], tables["organisations"], tables["lsoas"])
    registered = registered_persons(areas, at)
    lsoas = tables["lsoas"].select(
        home_lsoa=tables["lsoas"].lsoa_code, score=tables["lsoas"].imd_score
    )
    scored = registered.left_join(lsoas, registered.lsoa_code == lsoas.home_lsoa)
    column = "practice_code" if level == "practice" else "pcn_code"
    scored = scored.filter(scored[column].notnull())
    age = scored.age
    one = ibis.literal(1.0)
    summed = scored.group_by(area_code=scored[column]).aggregate(
        population=scored.count().cast("float64"),
        imd_score=scored.score.cast("float64").mean(),
        n_18_39=((age >= 18) & (age <= 39)).ifelse(one, 0.0).sum(),
        n_65_84=((age >= 65) & (age <= 84)).ifelse(one, 0.0).sum(),
        n_85_plus=(age >= 85).ifelse(one, 0.0).sum(),
    )
    return summed.select(
        "area_code",
        imd_score=summed.imd_score.fill_null(0.0),
        population=summed.population,
        pct_18_39=_share(summed.n_18_39, summed.population),
        pct_65_84=_share(summed.n_65_84, summed.population),
        pct_85_plus=_share(summed.n_85_plus, summed.population),
    )
