"""A&E attendances (ECDS shape), calibrated to the footprint's real monthly performance.

Most emergency admissions arrive through A&E: each gets an attendance at the admitting
trust, ending 'admitted'. Other attendances follow ``rates.AE_PER_1000``. Monthly volume
shape and the share waiting over 4 hours follow the ICB's real NHS England *A&E
Attendances and Emergency Admissions* figures (../shared/data/uec_activity), so the
4-hour series has the real level and seasonality.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import ndtri

from tripleaim.warehouse.synthetic import rates
from tripleaim.warehouse.synthetic.calendar import END, START, age_in_years, month_index
from tripleaim.warehouse.synthetic.events import Providers, draw_rows, expand, site_of
from tripleaim.warehouse.synthetic.exposure import Exposure
from tripleaim.warehouse.synthetic.people import People

VIA_AE_SHARE = 0.72
"""Emergency admissions that come through A&E (NHS Digital HES 2019-20: about 70%)."""

LOG_SD_MINUTES = 0.75
"""Spread of time in department (log-normal); ECDS time-in-department distributions."""

ADMITTED_ODDS = 2.6
"""Admitted patients breach 4 hours more often than discharged ones (NHS England, 2022-23)."""


def monthly_profile(
    ae_monthly: pd.DataFrame,
) -> tuple[npt.NDArray[np.float64], dict[str, float]]:
    """Relative volume by calendar month (mean 1) and the share over 4 hours by 'YYYY-MM'."""
    frame = ae_monthly.copy()
    frame["cal"] = frame["month"].str.slice(5, 7).astype(int)
    by_cal = frame.groupby("cal")["total_attendances"].mean()
    volume = (
        (by_cal / by_cal.mean()).reindex(range(1, 13)).fillna(1.0).to_numpy(np.float64)
    )
    share = (frame["attendances_over_4hours"] / frame["total_attendances"]).to_numpy(
        np.float64
    )
    breach = dict(zip(frame["month"], share, strict=True))
    # Months before the published series start take the same calendar month's first value.
    first_by_cal = dict(zip(frame["cal"], share, strict=False))
    for m in np.arange(np.datetime64("2021-04"), np.datetime64("2024-04")):
        label = str(m)
        breach.setdefault(
            label, first_by_cal.get(int(label[5:7]), float(np.mean(share)))
        )
    return volume, breach


def _days_by_month(
    rng: np.random.Generator,
    start: npt.NDArray[np.int64],
    end: npt.NDArray[np.int64],
    volume: npt.NDArray[np.float64],
) -> npt.NDArray[np.int64]:
    """A day in each window, weighted by the calendar month's relative volume."""
    out = np.empty(start.size, dtype=np.int64)
    todo = np.arange(start.size)
    top = volume.max()
    while todo.size:
        cand = start[todo] + (
            rng.random(todo.size) * (end[todo] - start[todo] + 1)
        ).astype(np.int64)
        keep = rng.random(todo.size) < volume[month_index(cand) - 1] / top
        out[todo[keep]] = cand[keep]
        todo = todo[~keep]
    return out


def _arrival_minutes(rng: np.random.Generator, n: int) -> npt.NDArray[np.int64]:
    """Minute of the day of arrival: most between 10:00 and 20:00 (ECDS arrival profile)."""
    hourly = np.array(
        [
            2,
            1.5,
            1.2,
            1,
            1,
            1,
            1.5,
            2.5,
            4,
            5.5,
            6.5,
            6.5,
            6.5,
            6.5,
            6.2,
            6,
            6,
            6,
            5.8,
            5.5,
            5,
            4.2,
            3.5,
            2.6,
        ]
    )
    hour = rng.choice(24, size=n, p=hourly / hourly.sum())
    return (hour * 60 + rng.integers(0, 60, n)).astype(np.int64)


def attendances(
    rng: np.random.Generator,
    people: People,
    exp: Exposure,
    emergency: pd.DataFrame,
    providers: Providers,
    multiplier: npt.NDArray[np.float64],
    ae_monthly: pd.DataFrame,
) -> pd.DataFrame:
    """Admitted attendances (linked to emergency spells) plus the rest."""
    volume, breach = monthly_profile(ae_monthly)
    via = emergency[rng.random(len(emergency)) < VIA_AE_SHARE]
    admitted = pd.DataFrame(
        {
            "person": via["person"].to_numpy(),
            "provider_code": via["provider_code"].to_numpy(),
            "day": via["admission_day"].to_numpy(),
            "department_type": 1,
            "disposal": "admitted",
        }
    )
    age0 = age_in_years(people.dob, exp.start)
    base = rates.by_band(rates.AE_PER_1000, age0) / 1000
    dep = rates.deprivation_factor(people.imd_decile, rates.AE_DEPRIVATION_RATIO)
    expected = base * dep * multiplier**0.7 * exp.years
    # The admitted attendances are part of the national rate: take them off.
    admitted_count = np.bincount(admitted["person"].to_numpy(), minlength=len(people))
    person = expand(rng, np.maximum(expected - admitted_count, 0.25 * expected))
    day = _days_by_month(rng, exp.start[person], exp.end[person], volume)
    dept = np.array([1, 3, 2])[
        draw_rows(rng, np.tile([0.62, 0.36, 0.02], (person.size, 1)))
    ]
    disposal = np.array(
        ["discharged", "referred", "transferred", "left_before_treatment", "died"]
    )[draw_rows(rng, np.tile([0.75, 0.155, 0.02, 0.074, 0.001], (person.size, 1)))]
    provider = providers.choose(rng, people.lsoa[person])
    others = pd.DataFrame(
        {
            "person": person,
            "provider_code": provider,
            "day": day,
            "department_type": dept,
            "disposal": disposal,
        }
    )
    frame = pd.concat([admitted, others], ignore_index=True)
    frame = frame[(frame["day"] >= START) & (frame["day"] <= END)].reset_index(
        drop=True
    )
    return _times(rng, frame, breach)


def _times(
    rng: np.random.Generator, frame: pd.DataFrame, breach: dict[str, float]
) -> pd.DataFrame:
    """Arrival and departure times with the month's real 4-hour breach share."""
    n = len(frame)
    day = frame["day"].to_numpy()
    admitted = (frame["disposal"] == "admitted").to_numpy()
    dept = frame["department_type"].to_numpy()
    month = day.astype("datetime64[D]").astype("datetime64[M]").astype(str)
    labels, group = np.unique(month, return_inverse=True)
    target = np.array([breach[m] for m in labels])
    # Relative odds of breaching by kind; a per-month factor (bisection on its log) makes the
    # month's expected share equal the real one.
    kind = np.log(np.where(admitted, ADMITTED_ODDS, np.where(dept == 1, 1.0, 0.08)))
    lo, hi = np.full(labels.size, -10.0), np.full(labels.size, 10.0)
    counts = np.bincount(group, minlength=labels.size)
    for _ in range(40):
        mid = (lo + hi) / 2
        share = np.bincount(
            group, weights=1 / (1 + np.exp(-(mid[group] + kind))), minlength=labels.size
        ) / np.maximum(counts, 1)
        lo, hi = np.where(share < target, mid, lo), np.where(share < target, hi, mid)
    p = np.clip(1 / (1 + np.exp(-((lo + hi)[group] / 2 + kind))), 0.001, 0.98)
    mu = np.log(240.0) - LOG_SD_MINUTES * ndtri(1 - p)
    minutes = np.maximum(
        np.round(np.exp(mu + LOG_SD_MINUTES * rng.standard_normal(n))), 5
    ).astype(np.int64)
    acuity_p = np.where(
        admitted[:, None],
        [0.06, 0.34, 0.45, 0.13, 0.02],
        [0.01, 0.10, 0.42, 0.36, 0.11],
    )
    acuity = draw_rows(rng, acuity_p) + 1
    arrival = day.astype("datetime64[D]").astype("datetime64[m]") + _arrival_minutes(
        rng, n
    ).astype("timedelta64[m]")
    departure = arrival + minutes.astype("timedelta64[m]")
    return pd.DataFrame(
        {
            "person": frame["person"].to_numpy(),
            "provider_code": frame["provider_code"].to_numpy(),
            "site_code": site_of(frame["provider_code"].to_numpy(str)),
            "arrival_time": arrival.astype("datetime64[us]"),
            "departure_time": departure.astype("datetime64[us]"),
            "department_type": dept.astype(np.int64),
            "acuity": acuity.astype(np.int64),
            "disposal": frame["disposal"].to_numpy(),
            "breach_4h": minutes > 240,
        }
    )
