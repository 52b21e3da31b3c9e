"""Inpatient spells: emergency, elective (ordinary and day case) and maternity.

Emergency admissions follow ``rates.EMERGENCY_PER_1000`` with a winter peak; elective
admissions follow the HES FAE rates net of emergency and maternity; every delivery in
``vital.Births`` is a maternity spell. A person's conditions drive both how often they
are admitted (``rates.person_multiplier``) and why (``casemix.CONDITION_EMERGENCY``), and
their conditions are carried as ICD-10 secondary diagnoses.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from tripleaim.warehouse.synthetic import casemix, rates
from tripleaim.warehouse.synthetic.calendar import age_in_years, seasonal_days
from tripleaim.warehouse.synthetic.conditions import Conditions, condition_specs
from tripleaim.warehouse.synthetic.events import (
    Providers,
    draw_rows,
    geometric_los,
    site_of,
    within,
    yearly_events,
)
from tripleaim.warehouse.synthetic.exposure import Exposure
from tripleaim.warehouse.synthetic.people import People
from tripleaim.warehouse.synthetic.vital import Births

EMERGENCY_LOS_BY_BAND = np.array(
    [1.2, 1.0, 1.0, 1.5, 2.5, 3, 3, 3.5, 3.5, 4, 4.5, 5, 5.5, 6, 7, 8, 9, 10, 11]
)
"""Mean emergency length of stay by five-year band, days: shape of HES 2017-18 mean
length of stay by age (../shared/data/hospital_activity, file 2)."""


def secondary_codes(
    conditions: Conditions, person: npt.NDArray[np.int64], day: npt.NDArray[np.int64]
) -> npt.NDArray[np.str_]:
    """';'-joined ICD-10 codes of each person's conditions diagnosed by ``day``."""
    specs = condition_specs()
    codes = np.array([specs[name].icd10 for name in conditions.names])
    present = conditions.has[person] & (conditions.diagnosed[person] <= day[:, None])
    out = np.full(person.shape[0], "", dtype=object)
    for j, code in enumerate(codes):
        rows = present[:, j]
        out[rows] = np.where(out[rows] == "", code, out[rows] + ";" + code)
    return np.asarray(out.astype(str))


def _join(a: npt.NDArray[np.str_], b: npt.NDArray[np.str_]) -> npt.NDArray[np.str_]:
    both = (a != "") & (b != "")
    return np.where(both, np.char.add(np.char.add(a, ";"), b), np.char.add(a, b))


def emergency_spells(
    rng: np.random.Generator,
    people: People,
    exp: Exposure,
    conditions: Conditions,
    providers: Providers,
    multiplier: npt.NDArray[np.float64],
) -> pd.DataFrame:
    """Emergency spells with a winter peak, condition-driven diagnoses and age-graded stays."""
    dep = rates.deprivation_factor(people.imd_decile, rates.EMERGENCY_DEPRIVATION_RATIO)
    person, lo, hi = yearly_events(
        rng,
        exp,
        people.dob,
        lambda age: rates.by_band(rates.EMERGENCY_PER_1000, age) / 1000 * dep,
        multiplier,
    )
    day = seasonal_days(rng, lo, hi, amplitude=0.12)
    age = age_in_years(people.dob[person], day)
    n = person.size
    diag = np.empty(n, dtype=object)
    tf = np.empty(n, dtype=object)
    extra = np.full(n, "", dtype=object)
    for table, rows in (
        (casemix.EMERGENCY_CHILD, age < 16),
        (casemix.EMERGENCY_ADULT, (age >= 16) & (age < 65)),
        (casemix.EMERGENCY_OLDER, age >= 65),
    ):
        idx = np.flatnonzero(rows)
        weights = np.tile(
            np.array([w for _, _, w, _ in table], dtype=np.float64), (idx.size, 1)
        )
        pick = draw_rows(rng, weights)
        diag[idx] = np.array([d for d, _, _, _ in table])[pick]
        tf[idx] = np.array([t for _, t, _, _ in table])[pick]
        extra[idx] = np.array([s for _, _, _, s in table])[pick]
    # Pregnancy codes only for women of child-bearing age; bronchiolitis under 2.
    wrong = (diag == "O209") & ((people.sex[person] == 1) | (age > 45))
    diag[wrong], tf[wrong] = "R104", "100"
    # Condition-driven admissions: with probability 0.45, the reason is one of their conditions.
    names = conditions.names
    driven_names = [c for c in names if c in casemix.CONDITION_EMERGENCY]
    cols = np.array([names.index(c) for c in driven_names])
    has = conditions.has[person][:, cols] & (
        conditions.diagnosed[person][:, cols] <= day[:, None]
    )
    any_has = has.any(axis=1) & (rng.random(n) < 0.45)
    idx = np.flatnonzero(any_has)
    if idx.size:
        pick = draw_rows(rng, has[idx].astype(np.float64))
        chosen = np.array(driven_names)[pick]
        diag[idx] = [casemix.CONDITION_EMERGENCY[c][0] for c in chosen]
        tf[idx] = [casemix.CONDITION_EMERGENCY[c][1] for c in chosen]
        extra[idx] = [casemix.CONDITION_EMERGENCY[c][2] for c in chosen]
    geriatric = (tf == "300") & (age >= 75) & (rng.random(n) < 0.5)
    tf[geriatric] = "430"
    paeds = (age < 16) & ~np.isin(tf, ["100", "110"])
    tf[paeds] = "420"
    los_mean = EMERGENCY_LOS_BY_BAND[rates.band_of(age)] * np.exp(
        0.1 * conditions.count[person]
    )
    los = geometric_los(rng, los_mean)
    cost = np.where(los <= 1, 750.0, 1900.0 + 320.0 * np.maximum(los - 5, 0)) * (
        1 + 0.004 * age
    )
    secondary = _join(extra.astype(str), secondary_codes(conditions, person, day))
    provider = providers.choose(rng, people.lsoa[person])
    return _frame(
        person,
        provider,
        day,
        los,
        "emergency",
        np.zeros(n, bool),
        diag,
        secondary,
        np.full(n, ""),
        tf,
        cost,
    )


def elective_spells(
    rng: np.random.Generator,
    people: People,
    exp: Exposure,
    conditions: Conditions,
    providers: Providers,
    multiplier: npt.NDArray[np.float64],
    faes_per_1000: npt.NDArray[np.float64],
) -> pd.DataFrame:
    """Planned admissions: a procedure per spell, day case or ordinary by the procedure's rate."""
    base = rates.elective_per_1000(faes_per_1000) / 1000
    dep = rates.deprivation_factor(people.imd_decile, rates.ELECTIVE_DEPRIVATION_RATIO)
    # sqrt damps the person multiplier; renormalised each year so that every band's
    # admissions per person-year stay at the baseline.
    person, lo, hi = yearly_events(
        rng,
        exp,
        people.dob,
        lambda age: base[rates.band_of(age)] * dep,
        np.sqrt(multiplier),
    )
    day = within(rng, lo, hi)
    weekday = (day + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    day = np.where(weekday >= 5, day - (weekday - 4), day)  # planned care on weekdays
    day = np.maximum(day, lo)
    age = age_in_years(people.dob[person], day)
    sex = people.sex[person]
    procs = list(casemix.PROCEDURES.values())
    group = np.where(age < 16, 0, np.where(age < 65, 1, 2))
    weights = np.array([[p.weights[g] for p in procs] for g in range(3)])[group]
    for k, p in enumerate(procs):
        if p.sex is not None:
            weights[sex != p.sex, k] = 0.0
        for name, factor in p.boost:
            col = conditions.names.index(name)
            weights[:, k] *= np.where(conditions.has[person, col], factor, 1.0)
    pick = draw_rows(rng, weights)
    day_case = rng.random(person.size) < np.array([p.day_case for p in procs])[pick]
    los_mean = np.array([p.los_mean for p in procs])[pick] * (
        1 + 0.01 * np.maximum(age - 60, 0)
    )
    los = np.where(day_case, 0, np.maximum(geometric_los(rng, los_mean), 1))
    cost = np.where(
        day_case,
        np.array([p.cost_day_case for p in procs])[pick],
        np.array([p.cost_ordinary for p in procs])[pick],
    )
    cost = cost + np.where(day_case, 0.0, 300.0 * np.maximum(los - 5, 0))
    diag = np.array([p.diagnosis for p in procs])[pick]
    opcs = np.array([p.opcs for p in procs])[pick]
    tf = np.array([p.tf for p in procs])[pick]
    secondary = secondary_codes(conditions, person, day)
    provider = providers.choose(rng, people.lsoa[person])
    return _frame(
        person,
        provider,
        day,
        los,
        "elective",
        day_case,
        diag,
        secondary,
        opcs,
        tf,
        cost,
    )


def maternity_spells(
    rng: np.random.Generator, people: People, births: Births, providers: Providers
) -> pd.DataFrame:
    """A delivery spell for every birth, live or still."""
    person = births.mother
    kind = np.where(births.caesarean, "caesarean", "normal")
    code = casemix.MATERNITY_CODES
    diag = np.array([code[k][0] for k in kind])
    opcs = np.array([code[k][1] for k in kind])
    mean = np.array([code[k][3] for k in kind])
    los = geometric_los(rng, mean)
    cost = np.array([code[k][2] for k in kind]) + 250.0 * np.maximum(los - 3, 0)
    outcome = np.where(births.live, "Z370", "Z371")
    provider = providers.choose(rng, people.lsoa[person])
    n = person.size
    return _frame(
        person,
        provider,
        births.day,
        los,
        "maternity",
        np.zeros(n, bool),
        diag,
        outcome,
        opcs,
        np.full(n, "501"),
        cost,
    )


def _frame(
    person: npt.NDArray[np.int64],
    provider: npt.NDArray[np.str_],
    day: npt.NDArray[np.int64],
    los: npt.NDArray[np.int64],
    method: str,
    day_case: npt.NDArray[np.bool_],
    diag: npt.NDArray[np.object_],
    secondary: npt.NDArray[np.str_],
    opcs: npt.NDArray[np.str_],
    tf: npt.NDArray[np.object_],
    cost: npt.NDArray[np.float64],
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person": person,
            "provider_code": provider,
            "site_code": site_of(provider),
            "admission_day": day,
            "discharge_day": day + los,
            "admission_method": method,
            "day_case": day_case,
            "primary_diagnosis": diag.astype(str),
            "secondary_diagnoses": secondary.astype(str),
            "primary_procedure": opcs.astype(str),
            "length_of_stay": los,
            "treatment_function": tf.astype(str),
            "cost_gbp": np.round(cost, 2),
        }
    )
