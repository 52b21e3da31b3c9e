"""Synthetic people on real registrations: who lives where, is registered where, and how old.

Each real (practice, LSOA, registered patients) count from NHS Digital's July 2022 file
becomes that many synthetic people. Ages follow the LSOA's ONS mid-2020 single-year
structure; sex follows England's mid-2020 sex ratio for the age band (ONS gives LSOA ages
for persons only); ethnic group follows the 2021 Census for England.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tripleaim.warehouse.synthetic.calendar import NO_DATE, START, Days
from tripleaim.warehouse.synthetic.geography import MAX_AGE, Geography

ETHNIC_CODES = np.array(list("ABCDEFGHJKLMNPRSZ"))
ETHNIC_SHARES = np.array(
    # Census 2021, England (ONS, Ethnic group, England and Wales: Census 2021), percent:
    # White British, Irish, other White; Mixed x4; Indian, Pakistani, Bangladeshi, other
    # Asian; Black Caribbean, African, other Black; Chinese; any other; then "not stated"
    # at 8% as in GP records (NHS Digital, ethnic category completeness, 2022).
    [
        73.5,
        0.9,
        6.4,
        0.8,
        0.3,
        0.6,
        0.5,
        3.3,
        2.8,
        1.1,
        1.7,
        1.0,
        2.6,
        0.5,
        0.7,
        1.8,
        0.0,
    ]
)


@dataclass
class People:
    """Column arrays for everyone generated; row ``i`` is one person."""

    person_id: npt.NDArray[np.int64]
    sex: npt.NDArray[np.int8]  # 0 female, 1 male
    dob: Days
    lsoa: npt.NDArray[np.int64]  # index into the footprint LSOA frame
    practice: npt.NDArray[np.int64]  # index into the practices frame
    registration_start: Days
    registration_end: Days  # NO_DATE = still registered
    ethnic: npt.NDArray[np.int64]
    latent: npt.NDArray[np.float64]
    imd_decile: npt.NDArray[np.int64]
    extra: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.person_id.shape[0])

    def append(self, other: People) -> People:
        """Everyone in ``self`` followed by everyone in ``other``."""
        columns: dict[str, Any] = {
            name: np.concatenate([getattr(self, name), getattr(other, name)])
            for name in (
                "person_id",
                "sex",
                "dob",
                "lsoa",
                "practice",
                "registration_start",
                "registration_end",
                "ethnic",
                "latent",
                "imd_decile",
            )
        }
        return People(**columns)


def stochastic_round(
    rng: np.random.Generator, values: npt.NDArray[np.float64]
) -> npt.NDArray[np.int64]:
    """Round each value up with probability equal to its fraction, so totals are unbiased."""
    floor = np.floor(values)
    return (floor + (rng.random(values.shape[0]) < values - floor)).astype(np.int64)


def male_share_by_band(sex_by_age: pd.DataFrame) -> npt.NDArray[np.float64]:
    """England's male share of each five-year band (19 bands)."""
    wide = sex_by_age.pivot_table(
        index="age_min", columns="sex", values="population", aggfunc="sum"
    )
    wide = wide.sort_index()
    share = (wide["Male"] / (wide["Male"] + wide["Female"])).to_numpy(np.float64)
    return share[:19]


def generate_people(
    rng: np.random.Generator,
    geo: Geography,
    registrations: pd.DataFrame,
    practice_codes: list[str],
    male_share: npt.NDArray[np.float64],
    scale: float,
) -> People:
    """One synthetic person per (scaled) real registration."""
    fp = geo.footprint
    lsoa_index = pd.Series(np.arange(len(fp)), index=fp["lsoa_code"])
    practice_index = pd.Series(np.arange(len(practice_codes)), index=practice_codes)
    counts = stochastic_round(
        rng, registrations["number_of_patients"].to_numpy(np.float64) * scale
    )
    lsoa = np.repeat(lsoa_index.loc[registrations["lsoa_code"]].to_numpy(), counts)
    practice = np.repeat(
        practice_index.loc[registrations["practice_code"]].to_numpy(), counts
    )
    n = lsoa.shape[0]

    ages = np.empty(n, dtype=np.int64)
    footprint_ages = geo.ages[geo.footprint_mask]
    order = np.argsort(lsoa, kind="stable")
    bounds = np.searchsorted(lsoa[order], np.arange(len(fp) + 1))
    for i in range(len(fp)):
        members = order[bounds[i] : bounds[i + 1]]
        if members.size:
            dist = footprint_ages[i] / footprint_ages[i].sum()
            ages[members] = rng.choice(MAX_AGE + 1, size=members.size, p=dist)

    sex = (rng.random(n) < male_share[np.minimum(ages // 5, 18)]).astype(np.int8)
    dob = START - np.floor((ages + rng.random(n)) * 365.25).astype(np.int64)
    # Years registered at the current practice: exponential, mean 12 years, not before birth.
    years_registered = rng.exponential(12.0, n)
    registration_start = np.maximum(
        START - np.floor(years_registered * 365.25).astype(np.int64), dob + 14
    )
    registration_start = np.minimum(registration_start, START)
    shares = ETHNIC_SHARES / ETHNIC_SHARES.sum() * 0.92
    shares[-1] = 0.08
    ethnic = rng.choice(ETHNIC_CODES.shape[0], size=n, p=shares)
    person_id = 10_000_000 + rng.permutation(n * 3)[:n].astype(np.int64)
    imd = fp["imd_decile"].to_numpy(np.int64)[lsoa]
    return People(
        person_id=person_id,
        sex=sex,
        dob=dob,
        lsoa=lsoa,
        practice=practice,
        registration_start=registration_start,
        registration_end=np.full(n, NO_DATE, dtype=np.int64),
        ethnic=ethnic,
        latent=rng.standard_normal(n),
        imd_decile=imd,
    )
