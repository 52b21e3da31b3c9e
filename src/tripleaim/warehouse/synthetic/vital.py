"""Leaving, deaths and births: who the footprint loses and gains during the period.

Deaths follow the ONS national life table for England 2017-2019 (``mx`` by single year and
sex), scaled by deprivation and by each person's conditions and latent health, normalised
within age bands so the national age pattern is kept. Births follow ONS age-specific
fertility; stillbirth, prematurity and low birth weight are graded by deprivation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import ndtr

from tripleaim.warehouse.synthetic import rates
from tripleaim.warehouse.synthetic.calendar import (
    END,
    NO_DATE,
    START,
    age_in_years,
    seasonal_days,
)
from tripleaim.warehouse.synthetic.causes import causes_of_death, places_of_death
from tripleaim.warehouse.synthetic.conditions import Conditions
from tripleaim.warehouse.synthetic.events import YEAR_STARTS, year_windows
from tripleaim.warehouse.synthetic.exposure import exposure_of
from tripleaim.warehouse.synthetic.people import People


def mx_lookup(life_table: pd.DataFrame) -> npt.NDArray[np.float64]:
    """``mx[sex, age]`` (sex 0 female, 1 male; ages 0..100)."""
    out = np.zeros((2, 101))
    for sex_index, label in ((0, "Female"), (1, "Male")):
        rows = life_table[life_table["sex"] == label].sort_values("age")
        out[sex_index, : len(rows)] = rows["mx"].to_numpy(np.float64)[:101]
    return out


def apply_leaving(rng: np.random.Generator, people: People) -> None:
    """Some people move away during the period: their registration ends on a random day."""
    years = (END - START + 1) / 365.25
    leaves = rng.random(len(people)) < 1 - np.exp(-rates.LEAVING_PER_YEAR * years)
    day = START + (rng.random(len(people)) * (END - START)).astype(np.int64)
    people.registration_end = np.where(leaves, day, people.registration_end)


@dataclass(frozen=True)
class Deaths:
    """Deaths as rows: index of the person, day, cause, place."""

    person: npt.NDArray[np.int64]
    day: npt.NDArray[np.int64]
    cause: npt.NDArray[np.str_]
    place: npt.NDArray[np.str_]


def apply_deaths(
    rng: np.random.Generator,
    people: People,
    n_conditions: npt.NDArray[np.int64],
    conditions: Conditions | None,
    mx: npt.NDArray[np.float64],
) -> Deaths:
    """Draw deaths year by year within each person's exposure; a death ends the registration.

    Each financial year, the hazard of everyone still alive and exposed is the life
    table's ``mx`` at their age that year, times the deprivation factor and the person
    multiplier; the multiplier is renormalised every year over the person-years at risk
    in each band (``rates.normalise_per_exposure``), so expected deaths per person-year
    in each band equal ``mx`` x the deprivation factor (the national comparators'
    model) even as the frailest die first.
    """
    exp = exposure_of(people)
    multiplier = rates.person_multiplier(people.latent, n_conditions, weight=1.3)
    dep = rates.deprivation_factor(people.imd_decile, rates.MORTALITY_DEPRIVATION_RATIO)
    sex = people.sex.astype(np.int64)
    alive = np.ones(len(people), dtype=bool)
    dead: list[npt.NDArray[np.int64]] = []
    days: list[npt.NDArray[np.int64]] = []
    for w in year_windows(exp, people.dob):
        age = np.minimum(w.age, 100)
        rate = mx[sex, age] * dep
        expected = np.where(alive, rate * w.years, 0.0)
        hazard = _calibrated_hazard(expected, multiplier, age)
        dies = np.flatnonzero(alive & (rng.random(len(people)) < -np.expm1(-hazard)))
        alive[dies] = False
        dead.append(dies)
        days.append(seasonal_days(rng, w.start[dies], w.end[dies], amplitude=0.15))
    order = np.argsort(np.concatenate(dead), kind="stable")
    idx, day = np.concatenate(dead)[order], np.concatenate(days)[order]
    people.registration_end[idx] = day
    has = conditions.has[idx] if conditions is not None else None
    names = conditions.names if conditions is not None else ()
    death_age = age_in_years(people.dob[idx], day)
    cause = causes_of_death(rng, death_age, people.sex[idx], has, names)
    place = places_of_death(rng, death_age, cause)
    return Deaths(person=idx, day=day, cause=cause, place=place)


def _calibrated_hazard(
    expected: npt.NDArray[np.float64],
    multiplier: npt.NDArray[np.float64],
    age: npt.NDArray[np.int64],
) -> npt.NDArray[np.float64]:
    """Each person's hazard over the year's window, so each band's deaths match the model.

    ``expected`` is the model's deaths for each person's full window (``mx`` x
    deprivation x years). With the multiplier spread around it, the frailest would die
    early in the window and stop counting in the population: a band's deaths would fall
    short of ``mx`` x deprivation per person-year. A per-band factor, found by fixed-point
    iteration, makes expected deaths equal the model's rate times expected person-years.
    """
    band = rates.band_of(age)
    base = expected * rates.normalise_per_exposure(multiplier, age, expected)
    scale = np.ones(19)
    for _ in range(8):
        hazard = base * scale[band]
        died = -np.expm1(-hazard)
        # Share of the window lived: (1 - exp(-H)) / H, 1 when there is no hazard.
        lived = np.where(hazard > 0, died / np.where(hazard > 0, hazard, 1.0), 1.0)
        wanted = np.bincount(band, weights=expected * lived, minlength=19)
        got = np.bincount(band, weights=died, minlength=19)
        scale *= np.where(got > 0, wanted / np.where(got > 0, got, 1.0), 1.0)
    return np.asarray(base * scale[band])


@dataclass(frozen=True)
class Births:
    """Births as rows; ``baby`` is the index of the new person (-1 for a stillbirth)."""

    mother: npt.NDArray[np.int64]
    day: npt.NDArray[np.int64]
    live: npt.NDArray[np.bool_]
    sex: npt.NDArray[np.int8]
    weight_g: npt.NDArray[np.int64]
    gestation: npt.NDArray[np.int64]
    baby: npt.NDArray[np.int64]
    caesarean: npt.NDArray[np.bool_]


PRETERM_WEEKS = np.arange(24, 37)
PRETERM_WEEK_SHARE = (
    np.exp(0.3 * (PRETERM_WEEKS - 24)) / np.exp(0.3 * (PRETERM_WEEKS - 24)).sum()
)
"""Gestation of preterm births: most are late preterm (ONS: about 3 in 4 at 32-36 weeks)."""
TERM_WEEKS = np.arange(37, 43)
TERM_GESTATION = (39.3, 1.2)
"""Term gestation, weeks: normal, rounded, held within 37-42 (ONS *Birth characteristics*)."""
MEAN_WEIGHT_G = np.array(
    [
        *(710, 810, 940, 1070, 1220, 1370, 1540, 1730, 1920, 2140, 2380, 2620, 2860),
        *(2990, 3220, 3390, 3510, 3610, 3670),
    ],
    dtype=np.float64,
)
"""Mean birth weight by completed week of gestation, 24 to 42 (rounded from the ONS
*Birth characteristics in England and Wales* tables of birth weight by gestation)."""
WEIGHT_CV = 0.13
"""Standard deviation of birth weight as a share of the mean for the week: about 460 g at
40 weeks. With the gestation mix this gives about 2.7% of term and 60% of preterm babies
under 2,500 g: about 7% of all live births (ONS 2021, England and Wales: 6.9%; OHID
Fingertips term low birth weight, England 2021: 2.8%)."""
LOW_WEIGHT_SHIFT_G = 150.0
"""Mean birth weight, least less most deprived decile, grams: with the preterm gradient
(1.4) it gives the low birth weight gradient ``rates.LOW_BIRTH_WEIGHT_DEPRIVATION_RATIO``."""
PRETERM_DEPRIVATION_RATIO = 1.4
LOW_BIRTH_WEIGHT_G = 2500


def _position(imd_decile: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """+0.5 in the most deprived decile, -0.5 in the least (as ``deprivation_factor``)."""
    return np.asarray((5.5 - imd_decile.astype(np.float64)) / 9.0)


def _term_week_share() -> npt.NDArray[np.float64]:
    mean, sd = TERM_GESTATION
    edges = ndtr((np.arange(37.5, 42.5) - mean) / sd)
    return np.diff(np.concatenate([[0.0], edges, [1.0]]))


def low_birth_weight_share(
    imd_decile: npt.NDArray[np.int64],
) -> npt.NDArray[np.float64]:
    """Expected share of live births under 2,500 g for mothers in each IMD decile.

    The same gestation and weight model :func:`generate_births` draws from, integrated,
    so the national comparators apply exactly the footprint's model to every LSOA.
    """
    preterm = rates.PRETERM_RATE * rates.deprivation_factor(
        imd_decile, PRETERM_DEPRIVATION_RATIO
    )
    shift = LOW_WEIGHT_SHIFT_G * _position(imd_decile)[:, None]

    def below(weeks: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        mean = MEAN_WEIGHT_G[weeks - 24]
        return np.asarray(
            ndtr((LOW_BIRTH_WEIGHT_G - 0.5 - (mean - shift)) / (WEIGHT_CV * mean))
        )

    return np.asarray(
        preterm * (below(PRETERM_WEEKS) @ PRETERM_WEEK_SHARE)
        + (1 - preterm) * (below(TERM_WEEKS) @ _term_week_share())
    )


def generate_births(rng: np.random.Generator, people: People) -> tuple[Births, People]:
    """Births to women during their exposure, and the live-born babies as new people."""
    exp = exposure_of(people)
    women = (people.sex == 0) & exp.active
    dep_rate = rates.deprivation_factor(people.imd_decile, 1.2)
    # Births in each financial year at the woman's age that year (ONS rates are by age at
    # birth, so a woman's rate follows her through the period); at most one a year.
    mothers, days = [], []
    for first, last in zip(YEAR_STARTS[:-1], YEAR_STARTS[1:] - 1, strict=True):
        lo, hi = np.maximum(exp.start, first), np.minimum(exp.end, last)
        years = np.maximum(hi - lo + 1, 0) / 365.25
        age = age_in_years(people.dob, lo + np.maximum(hi - lo, 0) // 2)
        p = np.where(women, rates.fertility(age) * dep_rate * years, 0.0)
        idx = np.flatnonzero(rng.random(len(people)) < p)
        mothers.append(idx)
        days.append(
            lo[idx] + (rng.random(idx.size) * (hi[idx] - lo[idx] + 1)).astype(np.int64)
        )
    mother, day = np.concatenate(mothers), np.concatenate(days)
    # One pregnancy at a time: a birth within 300 days of the mother's previous one moves
    # to 300 days after it (twice, for three births), and is dropped if that is too late.
    order = np.lexsort((day, mother))
    mother, day = mother[order], day[order]
    for _ in range(2):
        close = np.zeros(mother.size, dtype=bool)
        close[1:] = (mother[1:] == mother[:-1]) & (day[1:] - day[:-1] < 300)
        day[close] = day[np.flatnonzero(close) - 1] + 300
    keep = day <= exp.end[mother]
    mother, day = mother[keep], day[keep]
    n = mother.size
    dep = people.imd_decile[mother]
    still = rng.random(n) < rates.STILLBIRTH_RATE * rates.deprivation_factor(
        dep, rates.STILLBIRTH_DEPRIVATION_RATIO
    )
    preterm_p = rates.PRETERM_RATE * rates.deprivation_factor(
        dep, PRETERM_DEPRIVATION_RATIO
    )
    preterm = rng.random(n) < np.where(still, 0.7, preterm_p)
    gestation = np.where(
        preterm,
        rng.choice(PRETERM_WEEKS, size=n, p=PRETERM_WEEK_SHARE),
        np.clip(np.round(rng.normal(*TERM_GESTATION, n)), 37, 42).astype(np.int64),
    ).astype(np.int64)
    mean_weight = MEAN_WEIGHT_G[gestation - 24]
    weight = np.clip(
        np.round(
            rng.normal(
                mean_weight - LOW_WEIGHT_SHIFT_G * _position(dep),
                WEIGHT_CV * mean_weight,
            )
        ),
        350,
        5900,
    ).astype(np.int64)
    sex = (rng.random(n) < 0.512).astype(np.int8)
    caesarean = rng.random(n) < 0.31
    live = ~still
    births_live = np.flatnonzero(live)
    base = len(people)
    baby = np.full(n, -1, dtype=np.int64)
    baby[births_live] = base + np.arange(births_live.size)
    m = mother[births_live]
    babies = People(
        person_id=np.zeros(births_live.size, dtype=np.int64),
        sex=sex[births_live],
        dob=day[births_live],
        lsoa=people.lsoa[m],
        practice=people.practice[m],
        registration_start=np.minimum(
            day[births_live] + rng.integers(7, 42, births_live.size), END
        ),
        registration_end=np.full(births_live.size, NO_DATE, dtype=np.int64),
        ethnic=people.ethnic[m],
        latent=rng.standard_normal(births_live.size),
        imd_decile=people.imd_decile[m],
    )
    births = Births(
        mother=mother,
        day=day,
        live=live,
        sex=sex,
        weight_g=weight,
        gestation=gestation,
        baby=baby,
        caesarean=caesarean,
    )
    return births, babies
