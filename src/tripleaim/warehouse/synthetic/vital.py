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
    """Draw deaths within each person's exposure; a death ends the registration."""
    exp = exposure_of(people)
    mid = exp.start + (exp.end - exp.start) // 2
    age = np.clip(age_in_years(people.dob, mid), 0, 100)
    multiplier = rates.normalise_within_bands(
        rates.person_multiplier(people.latent, n_conditions, weight=1.3), age
    )
    hazard = (
        mx[people.sex.astype(np.int64), age]
        * rates.deprivation_factor(people.imd_decile, rates.MORTALITY_DEPRIVATION_RATIO)
        * multiplier
    )
    p = 1 - np.exp(-hazard * exp.years)
    dies = exp.active & (rng.random(len(people)) < p)
    idx = np.flatnonzero(dies)
    day = seasonal_days(rng, exp.start[idx], exp.end[idx], amplitude=0.15)
    people.registration_end[idx] = day
    has = conditions.has[idx] if conditions is not None else None
    names = conditions.names if conditions is not None else ()
    death_age = age_in_years(people.dob[idx], day)
    cause = causes_of_death(rng, death_age, people.sex[idx], has, names)
    place = places_of_death(rng, death_age, cause)
    return Deaths(person=idx, day=day, cause=cause, place=place)


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


def generate_births(rng: np.random.Generator, people: People) -> tuple[Births, People]:
    """Births to women during their exposure, and the live-born babies as new people."""
    exp = exposure_of(people)
    age = age_in_years(people.dob, exp.start)
    women = (people.sex == 0) & exp.active
    rate = np.where(
        women,
        rates.fertility(age) * rates.deprivation_factor(people.imd_decile, 1.2),
        0.0,
    )
    count = np.minimum(rng.poisson(rate * exp.years), 2)
    mother = np.repeat(np.arange(len(people)), count)
    day = exp.start[mother] + (
        rng.random(mother.size) * (exp.end[mother] - exp.start[mother] + 1)
    ).astype(np.int64)
    # A second birth within 300 days of the first is dropped (one pregnancy at a time).
    order = np.lexsort((day, mother))
    mother, day = mother[order], day[order]
    too_close = np.zeros(mother.size, dtype=bool)
    too_close[1:] = (mother[1:] == mother[:-1]) & (day[1:] - day[:-1] < 300)
    mother, day = mother[~too_close], day[~too_close]
    n = mother.size
    dep = people.imd_decile[mother]
    still = rng.random(n) < rates.STILLBIRTH_RATE * rates.deprivation_factor(
        dep, rates.STILLBIRTH_DEPRIVATION_RATIO
    )
    preterm_p = rates.PRETERM_RATE * rates.deprivation_factor(dep, 1.4)
    preterm = rng.random(n) < np.where(still, 0.7, preterm_p)
    # Most preterm births are late preterm (ONS: about 3 in 4 at 32-36 weeks).
    weeks = np.arange(24, 37)
    late = np.exp(0.3 * (weeks - 24))
    gestation = np.where(
        preterm,
        rng.choice(weeks, size=n, p=late / late.sum()),
        np.clip(np.round(rng.normal(39.3, 1.2, n)), 37, 42).astype(np.int64),
    ).astype(np.int64)
    lbw_shift = (
        60.0
        * np.log(
            rates.deprivation_factor(dep, rates.LOW_BIRTH_WEIGHT_DEPRIVATION_RATIO)
        )
        / np.log(1.8)
        * 2
    )
    mean_weight = 3450.0 - np.maximum(40 - gestation, 0) * 190.0 - lbw_shift
    weight = np.clip(np.round(rng.normal(mean_weight, 430.0)), 350, 5900).astype(
        np.int64
    )
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
