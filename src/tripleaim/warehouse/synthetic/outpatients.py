"""Outpatient appointments: first appointments by age, follow-ups after them, DNAs."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from tripleaim.warehouse.synthetic import rates
from tripleaim.warehouse.synthetic.calendar import age_in_years
from tripleaim.warehouse.synthetic.conditions import Conditions
from tripleaim.warehouse.synthetic.events import Providers, draw_rows, expand, within
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
    person = expand(rng, base * multiplier**0.6 * exp.years)
    day = within(rng, exp.start[person], exp.end[person])
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

    # Follow-ups: Poisson around the national ratio, more with more conditions, every 6-20 weeks.
    n_follow = rng.poisson(
        rates.FOLLOW_UP_RATIO * (0.7 + 0.15 * conditions.count[person])
    )
    parent = np.repeat(np.arange(person.size), n_follow)
    seq = np.arange(parent.size) - np.repeat(np.cumsum(n_follow) - n_follow, n_follow)
    gap = rng.integers(42, 140, parent.size)
    follow_day = day[parent] + (seq + 1) * gap
    keep = follow_day <= exp.end[person[parent]]
    parent, follow_day = parent[keep], follow_day[keep]

    all_person = np.concatenate([person, person[parent]])
    all_day = np.concatenate([day, follow_day])
    all_tf = np.concatenate([tf, tf[parent]])
    first = np.concatenate([np.ones(person.size, bool), np.zeros(parent.size, bool)])
    all_age = age_in_years(people.dob[all_person], all_day)
    dna_p = (
        rates.DNA_RATE
        * rates.deprivation_factor(people.imd_decile[all_person], 2.0)
        * np.where(
            (all_age >= 16) & (all_age < 35), 1.6, np.where(all_age >= 65, 0.6, 1.0)
        )
    )
    u = rng.random(all_person.size)
    status = np.where(
        u < dna_p,
        "did_not_attend",
        np.where(
            u < dna_p + 0.04,
            "cancelled_by_patient",
            np.where(u < dna_p + 0.10, "cancelled_by_provider", "attended"),
        ),
    )
    cost = np.where(
        status == "attended", np.where(first, FIRST_COST, FOLLOW_UP_COST), 0.0
    )
    # Follow-ups go to the same provider as their first appointment.
    provider_first = providers.choose(rng, people.lsoa[person])
    provider = np.concatenate([provider_first, provider_first[parent]])
    return pd.DataFrame(
        {
            "person": all_person,
            "provider_code": provider,
            "appointment_day": all_day,
            "first_attendance": first,
            "treatment_function": all_tf,
            "attendance_status": status,
            "cost_gbp": cost,
        }
    )
