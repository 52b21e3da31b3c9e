"""National comparators: the same rate models applied to every English area's real population.

For every LSOA in England the expected count of each measure is its ONS mid-2020
population by sex and five-year band times the national baseline rate and the LSOA's
deprivation factor; areas (upper-tier authorities, sub-ICB locations, England) sum their
LSOAs and draw Poisson counts for each financial year. The footprint is one of these
areas, so rankings and peer comparisons place it consistently.
"""

from __future__ import annotations

from typing import cast

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse

from tripleaim.warehouse.schema.comparators import AGE_BANDS
from tripleaim.warehouse.synthetic import casemix, rates
from tripleaim.warehouse.synthetic.calendar import FINANCIAL_YEARS
from tripleaim.warehouse.synthetic.causes import AGE_EDGES, GROUP_SHARES, GROUPS
from tripleaim.warehouse.synthetic.geography import Geography
from tripleaim.warehouse.synthetic.vital import low_birth_weight_share

COST_PER_ITEM = 8.3
ENGLAND = ("E92000001", "England")


def _band_matrix(ages: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Single-year counts (0..100) summed into 19 bands."""
    band = np.minimum(np.arange(ages.shape[1]) // 5, 18)
    out = np.zeros((ages.shape[0], 19))
    for b in range(19):
        out[:, b] = ages[:, band == b].sum(axis=1)
    return out


def _mx_by_band(
    mx: npt.NDArray[np.float64], england_ages: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Population-weighted mean of single-year mx within each band, per sex: shape (2, 19)."""
    band = np.minimum(np.arange(101) // 5, 18)
    out = np.zeros((2, 19))
    for b in range(19):
        w = england_ages[band == b]
        out[:, b] = (mx[:, band == b] * w).sum(axis=1) / max(w.sum(), 1.0)
    return out


def _areas(geo: Geography, fp_icb: str) -> pd.DataFrame:
    """One row per comparator area with population-weighted IMD and its ICB."""
    nat = geo.national.assign(
        weighted=lambda d: d["imd_score"] * d["resident_population"]
    )
    parts = []
    for area_type, code, name in (
        ("utla", "place_code", "place_name"),
        ("sub_icb", "sub_icb_gss", "sub_icb_name"),
    ):
        g = nat.groupby([code, name], as_index=False).agg(
            resident_population=("resident_population", "sum"),
            weighted=("weighted", "sum"),
        )
        # as_index=False makes this a DataFrame; pandas-stubs types it as a Series.
        main_icb = (
            cast(
                pd.DataFrame,
                nat.groupby([code, "icb_code"], as_index=False)[
                    "resident_population"
                ].sum(),
            )
            .sort_values("resident_population")
            .drop_duplicates(code, keep="last")
        )
        g = g.merge(main_icb[[code, "icb_code"]], on=code)
        g = g.rename(columns={code: "area_code", name: "area_name"}).assign(
            area_type=area_type
        )
        parts.append(g)
    england = pd.DataFrame(
        [
            {
                "area_code": ENGLAND[0],
                "area_name": ENGLAND[1],
                "resident_population": nat["resident_population"].sum(),
                "weighted": nat["weighted"].sum(),
                "icb_code": None,
                "area_type": "england",
            }
        ]
    )
    areas = pd.concat([england, *parts], ignore_index=True)
    areas["imd_score"] = (areas["weighted"] / areas["resident_population"]).round(3)
    areas["imd_rank"] = (
        areas.groupby("area_type")["imd_score"]
        .rank(ascending=False, method="min")
        .astype("Int64")
    )
    counts = areas.groupby("area_type")["area_code"].transform("count")
    areas["imd_decile"] = (
        np.ceil(areas["imd_rank"].astype(float) * 10 / counts)
    ).astype("Int64")
    areas.loc[areas["area_type"] == "england", ["imd_rank", "imd_decile"]] = pd.NA
    areas["in_footprint"] = areas["icb_code"] == fp_icb
    return areas[
        [
            "area_code",
            "area_name",
            "area_type",
            "icb_code",
            "resident_population",
            "imd_score",
            "imd_rank",
            "imd_decile",
            "in_footprint",
        ]
    ]


def build_comparators(
    rng: np.random.Generator,
    geo: Geography,
    male_share: npt.NDArray[np.float64],
    mx: npt.NDArray[np.float64],
    faes_per_1000: npt.NDArray[np.float64],
    breach_share: dict[str, float],
    fp_icb: str,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``national_areas``, ``national_population`` and ``national_activity`` tables."""
    nat = geo.national
    bands = _band_matrix(geo.ages)  # (lsoa, 19)
    pop = np.stack(
        [bands * (1 - male_share), bands * male_share], axis=1
    )  # (lsoa, sex, 19)
    decile = nat["imd_decile"].to_numpy(np.int64)
    mx_band = _mx_by_band(mx, geo.ages.sum(axis=0))
    group_of_band = np.searchsorted(AGE_EDGES, np.arange(0, 95, 5), side="right")
    women = np.array([1.0, 0.0])[None, :, None]
    fertility = np.array(
        [rates.fertility(np.array([a + 2]))[0] for a in range(0, 95, 5)]
    )
    elective = rates.elective_per_1000(faes_per_1000) / 1000
    emergency = np.asarray(rates.EMERGENCY_PER_1000) / 1000
    ae = np.asarray(rates.AE_PER_1000) / 1000
    first = np.asarray(rates.OUTPATIENT_FIRST_PER_1000) / 1000
    births = fertility[None, None, :] * women
    deaths = mx_band[None, :, :]

    def dep(ratio: float) -> npt.NDArray[np.float64]:
        return rates.deprivation_factor(decile, ratio)[:, None, None]

    # The footprint's own models, by band and LSOA: day-case share by age group from
    # the case mix (0-14, 15-64, 65+), the DNA share by age and deprivation with the
    # cancelled appointments taken out, and low birth weight from the birth-weight model.
    day_case = np.asarray(casemix.day_case_share())[
        np.where(
            rates.AGE_BAND_STARTS < 15, 0, np.where(rates.AGE_BAND_STARTS < 65, 1, 2)
        )
    ]
    booked = (
        pop * first * (1 - rates.CANCELLED_BY_PATIENT - rates.CANCELLED_BY_PROVIDER)
    )
    dna = rates.dna_share(np.arange(19)[None, None, :], decile[:, None, None])
    stillbirth = rates.STILLBIRTH_RATE * dep(rates.STILLBIRTH_DEPRIVATION_RATIO)
    all_births = pop * births * dep(1.2)
    live_births = all_births * (1 - stillbirth)

    expected = {
        "emergency_admissions": pop
        * emergency
        * dep(rates.EMERGENCY_DEPRIVATION_RATIO),
        "elective_admissions": pop
        * elective
        * (1 - day_case)
        * dep(rates.ELECTIVE_DEPRIVATION_RATIO),
        "day_cases": pop * elective * day_case * dep(rates.ELECTIVE_DEPRIVATION_RATIO),
        "maternity_admissions": all_births,
        "ae_attendances": pop * ae * dep(rates.AE_DEPRIVATION_RATIO),
        # Attended first and follow-up appointments, and DNAs, of those booked.
        "outpatient_first": booked * (1 - dna),
        "outpatient_follow_up": booked * rates.FOLLOW_UP_RATIO * (1 - dna),
        "outpatient_dna": booked * (1 + rates.FOLLOW_UP_RATIO) * dna,
        "deaths": pop * deaths * dep(rates.MORTALITY_DEPRIVATION_RATIO),
        "live_births": live_births,
        "stillbirths": all_births * stillbirth,
        "low_birth_weight_births": live_births
        * low_birth_weight_share(decile)[:, None, None],
        "prescribing_items": pop
        * rates.items_per_person_year(
            rates.AGE_BAND_STARTS[None, None, :], decile[:, None, None]
        ),
    }
    for measure, group in (
        ("deaths_cvd", "circulatory"),
        ("deaths_cancer", "cancer"),
        ("deaths_respiratory", "respiratory"),
    ):
        expected[measure] = (
            expected["deaths"] * GROUP_SHARES[group_of_band, GROUPS.index(group)]
        )

    areas = _areas(geo, fp_icb)
    keys = {
        "utla": nat["place_code"].to_numpy(str),
        "sub_icb": nat["sub_icb_gss"].to_numpy(str),
        "england": np.full(len(nat), ENGLAND[0]),
    }
    population_rows, activity_rows = [], []
    for key in keys.values():
        codes, inverse = np.unique(key, return_inverse=True)
        members = sparse.csr_matrix(
            (np.ones(inverse.size), (inverse, np.arange(inverse.size))),
            shape=(codes.size, inverse.size),
        )

        def total(
            per_lsoa: npt.NDArray[np.float64],
            members: sparse.csr_matrix = members,
            n: int = codes.size,
        ) -> npt.NDArray[np.float64]:
            return np.asarray(
                members @ per_lsoa.reshape(per_lsoa.shape[0], -1)
            ).reshape(n, 2, 19)

        area_pop = total(pop)
        summed = {measure: total(exp) for measure, exp in expected.items()}
        for fy in FINANCIAL_YEARS:
            population_rows.append(_long(codes, fy, "population", np.round(area_pop)))
            counts = {
                measure: rng.poisson(values).astype(np.float64)
                for measure, values in summed.items()
            }
            counts["ae_4h_breaches"] = rng.binomial(
                counts["ae_attendances"].astype(np.int64), breach_share[fy]
            ).astype(np.float64)
            counts["inpatient_cost_gbp"] = np.round(
                counts["emergency_admissions"] * 2500
                + counts["elective_admissions"] * 3800
                + counts["day_cases"] * 900
                + counts["maternity_admissions"] * 3300,
                2,
            )
            counts["prescribing_cost_gbp"] = np.round(
                counts["prescribing_items"] * COST_PER_ITEM, 2
            )
            for measure, values in counts.items():
                activity_rows.append(_long(codes, fy, measure, values))
    population = (
        pd.concat(population_rows, ignore_index=True)
        .rename(columns={"value": "population"})
        .drop(columns="measure")
    )
    population["population"] = population["population"].astype("int64")
    activity = pd.concat(activity_rows, ignore_index=True)
    return areas, population, activity


def _long(
    codes: npt.NDArray[np.str_], fy: str, measure: str, values: npt.NDArray[np.float64]
) -> pd.DataFrame:
    """Flatten an (area, sex, band) array to rows."""
    n_area = codes.size
    return pd.DataFrame(
        {
            "area_code": np.repeat(codes, 2 * 19),
            "financial_year": fy,
            "measure": measure,
            "sex": np.tile(np.repeat(["F", "M"], 19), n_area),
            "age_band": np.tile(np.asarray(AGE_BANDS), 2 * n_area),
            "value": values.reshape(-1),
        }
    )
