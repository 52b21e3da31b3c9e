"""Primary care prescribing by person, BNF section and month (ePACT2 shape).

Items per person-year follow ``rates.items_per_person_year`` (age band and deprivation),
the model the national comparators apply to every LSOA. Within it, repeat medicines
follow a person's conditions (NICE first-line treatments mapped to BNF sections) and
acute courses (antibacterials) follow conditions; the rest of each band's items (pain
relief, ulcer-healing drugs, emollients, vitamins, antihistamines) go to everyone in the
band, weighted by deprivation and the person multiplier. Cost per item is the rounded
England average for the section in NHSBSA *Prescription Cost Analysis, England 2022/23*.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from tripleaim.warehouse.synthetic import rates
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
OTHER: tuple[tuple[str, float, float], ...] = (
    ("0103", 0.30, 1.6),  # proton pump inhibitors and other ulcer-healing drugs
    ("0407", 0.30, 5.5),  # analgesics
    ("1302", 0.15, 5.0),  # emollients and barrier preparations
    ("0906", 0.15, 3.0),  # vitamins
    ("0304", 0.10, 2.0),  # antihistamines
)
"""Sections for items beyond repeats and antibacterials: (section, share of people, cost
per item). Each person's other items are in one of them."""
SECTIONS = tuple(
    sorted(
        {s for ts in REPEATS.values() for s, _, _ in ts}
        | {ANTIBACTERIAL[0]}
        | {s for s, _, _ in OTHER}
    )
)
"""Every BNF section generated; rows carry an index into this tuple."""
ANTIBACTERIAL_COURSES_PER_YEAR = 0.55
"""Antibacterial items per person a year in primary care (ESPAUR report 2022-23)."""


class Repeats(NamedTuple):
    """Repeat treatments: one per person and section."""

    person: npt.NDArray[np.int64]
    section: npt.NDArray[np.int64]
    rate: npt.NDArray[np.float64]
    first: npt.NDArray[np.int64]
    cost: npt.NDArray[np.float64]


@dataclass(frozen=True)
class Prescribing:
    """Prescribing rows as arrays: person index, month start day, section index, items, cost.

    Compact integer types: at full size there are about 25 million rows.
    """

    person: npt.NDArray[np.int32]
    period_start: npt.NDArray[np.int32]
    section: npt.NDArray[np.int16]
    items: npt.NDArray[np.int32]
    cost_gbp: npt.NDArray[np.float64]


def _repeats(rng: np.random.Generator, conditions: Conditions) -> Repeats:
    """Who is on which repeat section, from when, at what monthly rate and unit cost."""
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
    rate = np.bincount(inverse, weights=np.concatenate(rates_)).astype(np.float64)
    first = np.full(pair.size, np.iinfo(np.int64).max)
    np.minimum.at(first, inverse, np.concatenate(diag))
    cost = np.zeros(pair.size)
    np.maximum.at(cost, inverse, np.concatenate(unit))
    return Repeats(
        person=pair // len(SECTIONS),
        section=pair % len(SECTIONS),
        rate=rate,
        first=first,
        cost=cost,
    )


def prescriptions(
    rng: np.random.Generator, people: People, exp: Exposure, conditions: Conditions
) -> Prescribing:
    """Monthly items for each person on each treatment, while exposed.

    Each month the expected items of the people exposed in each age band add up to
    ``rates.items_per_person_year`` over their exposure: repeats and antibacterials
    first (scaled down in a band where they alone exceed it), then other items.
    """
    months = months_of_period()
    month_start = months.astype("datetime64[D]").astype(np.int64)
    month_end = (months + 1).astype("datetime64[D]").astype(np.int64) - 1
    section_index = {code: i for i, code in enumerate(SECTIONS)}
    person, section, rate, first, cost = _repeats(rng, conditions)
    n = len(people)
    # Each person's section for other items, and their weight within the band.
    other_pick = rng.choice(len(OTHER), size=n, p=[share for _, share, _ in OTHER])
    other_section = np.array([section_index[code] for code, _, _ in OTHER])[other_pick]
    other_cost = np.array([c for _, _, c in OTHER])[other_pick]
    weight = np.sqrt(rates.person_multiplier(people.latent, conditions.count))
    antibacterial = ANTIBACTERIAL_COURSES_PER_YEAR * (1 + 0.3 * conditions.count)
    everyone = np.arange(n)
    # Age at the first of each month from the month and day of birth: whole-array date
    # arithmetic once rather than every month.
    birth_month = people.dob.astype("datetime64[D]").astype("datetime64[M]")
    born_after_first = people.dob > birth_month.astype("datetime64[D]").astype(np.int64)
    birth_month_number = birth_month.astype(np.int64) + born_after_first
    month_number = months.astype(np.int64)
    parts: list[tuple[np.ndarray, ...]] = []
    for m in range(months.size):
        lo = np.maximum(exp.start, month_start[m])
        hi = np.minimum(exp.end, month_end[m])
        years = np.maximum(hi - lo + 1, 0) / 365.25
        age = (month_number[m] - birth_month_number) // 12
        band = rates.band_of(np.maximum(age, 0))
        target = rates.items_per_person_year(band * 5, people.imd_decile) * years
        on = np.flatnonzero((first <= month_end[m]) & (years[person] > 0))
        repeat = rate[on] * years[person[on]] * 12
        acute = antibacterial * years
        drawn = np.bincount(band[person[on]], weights=repeat, minlength=19)
        drawn += np.bincount(band, weights=acute, minlength=19)
        wanted = np.bincount(band, weights=target, minlength=19)
        scale = np.minimum(wanted / np.maximum(drawn, 1e-9), 1.0)
        rest = np.maximum(wanted - drawn, 0.0)
        spread = target * weight
        share = (
            spread
            / np.maximum(np.bincount(band, weights=spread, minlength=19), 1e-9)[band]
        )
        for who, sec, expected, unit_cost in (
            (person[on], section[on], repeat * scale[band[person[on]]], cost[on]),
            (
                everyone,
                np.full(n, section_index[ANTIBACTERIAL[0]]),
                acute * scale[band],
                np.full(n, ANTIBACTERIAL[1]),
            ),
            (everyone, other_section, rest[band] * share, other_cost),
        ):
            items = rng.poisson(expected)
            got = np.flatnonzero(items > 0)
            # Compact types: tens of millions of rows are concatenated below.
            parts.append(
                (
                    who[got].astype(np.int32),
                    np.full(got.size, m, dtype=np.int16),
                    sec[got].astype(np.int16),
                    items[got].astype(np.int32),
                    unit_cost[got].astype(np.float32),
                )
            )
    columns = [np.concatenate(col) for col in zip(*parts, strict=True)]
    parts.clear()
    who_all, month_all, section_all, items_all, unit_all = columns
    del columns
    cost = items_all * unit_all.astype(np.float64)
    del unit_all
    cost *= rng.lognormal(0, 0.15, who_all.size)
    return Prescribing(
        person=who_all,
        period_start=month_start.astype(np.int32)[month_all],
        section=section_all,
        items=items_all,
        cost_gbp=np.round(cost, 2),
    )
