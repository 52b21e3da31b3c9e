"""Primary care prescribing by person, BNF section and month (ePACT2 shape).

Repeat medicines follow a person's conditions (NICE first-line treatments mapped to BNF
sections); acute courses (antibacterials) follow age. Cost per item is the rounded England
average for the section in NHSBSA *Prescription Cost Analysis, England 2022/23*.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tripleaim.warehouse.synthetic.calendar import months_of_period
from tripleaim.warehouse.synthetic.conditions import Conditions
from tripleaim.warehouse.synthetic.exposure import Exposure
from tripleaim.warehouse.synthetic.people import People

# condition -> ((BNF section, share of people with it on that treatment, cost per item), ...)
REPEATS: dict[str, tuple[tuple[str, float, float], ...]] = {
    "hypertension": (("0205", 0.6, 3.5), ("0206", 0.45, 2.5)),
    "diabetes": (("0601", 0.9, 28.0), ("0212", 0.7, 2.2)),
    "coronary_heart_disease": (
        ("0212", 0.85, 2.2),
        ("0209", 0.8, 2.0),
        ("0206", 0.4, 2.5),
    ),
    "heart_failure": (("0202", 0.8, 2.5), ("0205", 0.7, 3.5), ("0204", 0.6, 2.8)),
    "atrial_fibrillation": (("0208", 0.85, 45.0), ("0204", 0.6, 2.8)),
    "stroke_tia": (("0209", 0.7, 2.0), ("0212", 0.8, 2.2)),
    "copd": (("0301", 0.9, 22.0), ("0302", 0.55, 30.0)),
    "asthma": (("0301", 0.8, 6.0), ("0302", 0.75, 18.0)),
    "depression": (("0403", 0.65, 3.0),),
    "epilepsy": (("0408", 0.9, 15.0),),
    "dementia": (("0411", 0.6, 8.0),),
    "serious_mental_illness": (("0402", 0.85, 12.0),),
    "hypothyroidism": (("0602", 0.95, 2.5),),
    "osteoporosis": (("0606", 0.6, 2.0),),
    "rheumatoid_arthritis": (("1001", 0.8, 10.0),),
    "parkinsons_disease": (("0409", 0.9, 20.0),),
    "chronic_kidney_disease": (("0205", 0.4, 3.5),),
}
ANTIBACTERIAL = ("0501", 3.5)
SECTIONS = tuple(
    sorted({s for ts in REPEATS.values() for s, _, _ in ts} | {ANTIBACTERIAL[0]})
)
"""Every BNF section generated; rows carry an index into this tuple."""
ANTIBACTERIAL_COURSES_PER_YEAR = 0.55
"""Antibacterial items per person a year in primary care (ESPAUR report 2022-23)."""


@dataclass(frozen=True)
class Prescribing:
    """Prescribing rows as arrays: person index, month start day, section index, items, cost."""

    person: npt.NDArray[np.int64]
    period_start: npt.NDArray[np.int64]
    section: npt.NDArray[np.int64]
    items: npt.NDArray[np.int64]
    cost_gbp: npt.NDArray[np.float64]


def prescriptions(
    rng: np.random.Generator, people: People, exp: Exposure, conditions: Conditions
) -> Prescribing:
    """Monthly items for each person on each treatment, while exposed."""
    months = months_of_period()
    month_start = months.astype("datetime64[D]").astype(np.int64)
    month_end = (months + 1).astype("datetime64[D]").astype(np.int64) - 1
    section_index = {code: i for i, code in enumerate(SECTIONS)}
    keys, rates_, diag, unit = [], [], [], []
    for name, treatments in REPEATS.items():
        col = conditions.names.index(name)
        has = np.flatnonzero(conditions.has[:, col])
        for section_code, share, unit_cost in treatments:
            on = has[rng.random(has.size) < share]
            keys.append(on * len(SECTIONS) + section_index[section_code])
            rates_.append(rng.gamma(4.0, 0.3, on.size))  # mean 1.2 items a month
            diag.append(conditions.diagnosed[on, col])
            unit.append(np.full(on.size, unit_cost))
    # One pair per person and section (two conditions can share a treatment).
    pair, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    rate = np.bincount(inverse, weights=np.concatenate(rates_))
    first = np.full(pair.size, np.iinfo(np.int64).max)
    np.minimum.at(first, inverse, np.concatenate(diag))
    cost = np.zeros(pair.size)
    np.maximum.at(cost, inverse, np.concatenate(unit))
    person, section = pair // len(SECTIONS), pair % len(SECTIONS)
    parts: list[tuple[np.ndarray, ...]] = []
    for m in range(months.size):
        idx = np.flatnonzero(
            (first <= month_end[m])
            & (exp.start[person] <= month_end[m])
            & (exp.end[person] >= month_start[m])
        )
        items = rng.poisson(rate[idx])
        got = items > 0
        idx = idx[got]
        parts.append(
            (person[idx], np.full(idx.size, m), section[idx], items[got], cost[idx])
        )
    # Acute antibacterial courses, summed by person and month.
    exposed_months = np.maximum((exp.end - exp.start + 1) / 30.44, 0)
    courses = rng.poisson(
        ANTIBACTERIAL_COURSES_PER_YEAR
        / 12
        * exposed_months
        * (1 + 0.3 * conditions.count)
    )
    who = np.repeat(np.arange(len(people)), courses)
    when = exp.start[who] + (
        rng.random(who.size) * (exp.end[who] - exp.start[who] + 1)
    ).astype(np.int64)
    course_key, n_items = np.unique(
        who * months.size + np.searchsorted(month_start, when, side="right") - 1,
        return_counts=True,
    )
    parts.append(
        (
            course_key // months.size,
            course_key % months.size,
            np.full(course_key.size, section_index[ANTIBACTERIAL[0]]),
            n_items,
            np.full(course_key.size, ANTIBACTERIAL[1]),
        )
    )
    who_all, month_all, section_all, items_all, unit_all = (
        np.concatenate(col) for col in zip(*parts, strict=True)
    )
    return Prescribing(
        person=who_all,
        period_start=month_start[month_all],
        section=section_all,
        items=items_all.astype(np.int64),
        cost_gbp=np.round(
            items_all * unit_all * rng.lognormal(0, 0.15, who_all.size), 2
        ),
    )
