"""Outpatient appointments: first appointments by age, follow-ups after them, DNAs.

First appointments are drawn from up to two years before the period (for people
registered then) so that follow-ups in the first year come from earlier first
appointments as they do in later years; only appointments in the period are kept, so
the follow-up ratio is steady from the first year.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from tripleaim.warehouse.synthetic import rates
from tripleaim.warehouse.synthetic.calendar import age_in_years
from tripleaim.warehouse.synthetic.conditions import Conditions
from tripleaim.warehouse.synthetic.events import (
    YEAR_STARTS,
    Providers,
    draw_rows,
    expand,
    within,
)
from tripleaim.warehouse.synthetic.exposure import Exposure
from tripleaim.warehouse.synthetic.people import People

# Treatment functions and their weights for children, adults and older people (HES OP
# 2019-20 attendances by treatment function), with the condition that raises each.
SPECIALTIES = (
    ("130", (0.6, 1.0, 2.6), "diabetes"),  # ophthalmology
    ("110", (0.8, 1.6, 1.6), "osteoporosis"),  # trauma and orthopaedics
    ("100", (0.2, 0.9, 0.8), None),  # general surgery
    ("101", (0.1, 0.6, 1.0), None),  # urology
    ("502", (0.0, 1.2, 0.3), None),  # gynaecology
    ("320", (0.1, 0.6, 1.4), "coronary_heart_disease"),  # cardiology
    ("300", (0.0, 0.5, 0.8), None),  # general medicine
    ("301", (0.1, 0.7, 0.8), None),  # gastroenterology
    ("330", (0.4, 0.8, 0.9), None),  # dermatology
    ("340", (0.1, 0.3, 0.7), "copd"),  # respiratory medicine
    ("420", (3.5, 0.0, 0.0), "asthma"),  # paediatrics
    ("370", (0.0, 0.4, 0.8), "cancer"),  # medical oncology
    ("361", (0.0, 0.1, 0.4), "chronic_kidney_disease"),  # nephrology
    ("400", (0.2, 0.5, 0.5), "epilepsy"),  # neurology
    ("410", (0.0, 0.4, 0.5), "rheumatoid_arthritis"),  # rheumatology
    ("120", (0.8, 0.6, 0.6), None),  # ENT
    ("307", (0.0, 0.3, 0.4), "diabetes"),  # diabetic medicine
)

LEAD_IN_DAYS = 730
"""How far before the period first appointments are drawn (their follow-ups, every 6-20
weeks, reach into the period)."""
FOLLOW_UP_SURPLUS = 1.05
"""Follow-ups drawn over the ratio, to make up those lost when people die or move away."""
FIRST_COST, FOLLOW_UP_COST = 190.0, 105.0
"""Average 2022/23 National Tariff prices, consultant-led first and follow-up attendances."""


def appointments(
    rng: np.random.Generator,
    people: People,
    exp: Exposure,
    conditions: Conditions,
    providers: Providers,
    multiplier: npt.NDArray[np.float64],
) -> pd.DataFrame:
    """First appointments, their follow-ups, and whether each was attended."""
    age0 = age_in_years(people.dob, exp.start)
    base = rates.by_band(rates.OUTPATIENT_FIRST_PER_1000, age0) / 1000
    lead_in = np.where(
        exp.active,
        np.minimum(
            np.maximum(
                np.maximum(people.registration_start, exp.start - LEAD_IN_DAYS),
                people.dob,
            ),
            exp.start,
        ),
        exp.start,
    )
    window = Exposure(start=lead_in, end=exp.end)
    use = rates.normalise_within_bands(multiplier**0.6, age0)
    person = expand(rng, base * use * window.years)
    day = within(rng, window.start[person], window.end[person])
    age = age_in_years(people.dob[person], day)
    group = np.where(age < 16, 0, np.where(age < 65, 1, 2))
    weights = np.array([[w[g] for _, w, _ in SPECIALTIES] for g in range(3)])[group]
    for k, (_, _, condition) in enumerate(SPECIALTIES):
        if condition is not None:
            weights[:, k] *= np.where(
                conditions.has[person, conditions.names.index(condition)], 4.0, 1.0
            )
    weights[people.sex[person] == 1, 4] = 0.0  # gynaecology
    tf = np.array([t for t, _, _ in SPECIALTIES])[draw_rows(rng, weights)]

    # Follow-ups: Poisson around the national ratio, more with more conditions (the factor
    # averages 1 over first appointments), every 6-20 weeks. A few more are drawn than the
    # ratio, and those left after deaths and moves away are thinned to it.
    more = 0.7 + 0.15 * conditions.count[person]
    n_follow = rng.poisson(
        FOLLOW_UP_SURPLUS * rates.FOLLOW_UP_RATIO * more / max(more.mean(), 1e-9)
    )
    parent = np.repeat(np.arange(person.size), n_follow)
    seq = np.arange(parent.size) - np.repeat(np.cumsum(n_follow) - n_follow, n_follow)
    gap = rng.integers(42, 140, parent.size)
    follow_day = day[parent] + (seq + 1) * gap
    keep = (follow_day >= exp.start[person[parent]]) & (
        follow_day <= exp.end[person[parent]]
    )
    parent, follow_day = parent[keep], follow_day[keep]
    # Thinned within each financial year, so each year's ratio is the national one.
    first_year = np.searchsorted(YEAR_STARTS, day, side="right") - 1
    follow_year = np.searchsorted(YEAR_STARTS, follow_day, side="right") - 1
    n_years = YEAR_STARTS.size - 1
    firsts = np.bincount(first_year[first_year >= 0], minlength=n_years)[:n_years]
    follows = np.bincount(follow_year, minlength=n_years)[:n_years]
    share = np.minimum(rates.FOLLOW_UP_RATIO * firsts / np.maximum(follows, 1), 1.0)
    thin = rng.random(parent.size) < share[np.minimum(follow_year, n_years - 1)]
    parent, follow_day = parent[thin], follow_day[thin]

    all_person = np.concatenate([person, person[parent]])
    all_day = np.concatenate([day, follow_day])
    all_tf = np.concatenate([tf, tf[parent]])
    first = np.concatenate([np.ones(person.size, bool), np.zeros(parent.size, bool)])
    all_age = age_in_years(people.dob[all_person], all_day)
    # Cancelled appointments are neither attended nor missed; of the rest, DNAs make up
    # ``rates.dna_share`` (the measure the national comparators model).
    cancelled = rates.CANCELLED_BY_PATIENT + rates.CANCELLED_BY_PROVIDER
    dna_p = (1 - cancelled) * rates.dna_share(
        rates.band_of(all_age), people.imd_decile[all_person]
    )
    u = rng.random(all_person.size)
    status = np.where(
        u < dna_p,
        "did_not_attend",
        np.where(
            u < dna_p + rates.CANCELLED_BY_PATIENT,
            "cancelled_by_patient",
            np.where(u < dna_p + cancelled, "cancelled_by_provider", "attended"),
        ),
    )
    cost = np.where(
        status == "attended", np.where(first, FIRST_COST, FOLLOW_UP_COST), 0.0
    )
    # Follow-ups go to the same provider as their first appointment.
    provider_first = providers.choose(rng, people.lsoa[person])
    provider = np.concatenate([provider_first, provider_first[parent]])
    in_period = all_day >= exp.start[all_person]  # drops the lead-in first appointments
    return pd.DataFrame(
        {
            "person": all_person[in_period],
            "provider_code": provider[in_period],
            "appointment_day": all_day[in_period],
            "first_attendance": first[in_period],
            "treatment_function": all_tf[in_period],
            "attendance_status": status[in_period],
            "cost_gbp": cost[in_period],
        }
    )
