"""The generated period and day arithmetic (days since 1970-01-01 as int64)."""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt

EPOCH = date(1970, 1, 1)

PERIOD_START = date(2021, 4, 1)
"""First day of the generated activity: three full financial years, 2021/22 to 2023/24."""

PERIOD_END = date(2024, 3, 31)
"""Last day of the generated activity."""

FINANCIAL_YEARS = ("2021/22", "2022/23", "2023/24")

Days = npt.NDArray[np.int64]

NO_DATE = -100_000_000
"""Marks a missing date in day arrays (far before any real date; negative days are pre-1970)."""


def day(d: date) -> int:
    """Days since 1970-01-01."""
    return (d - EPOCH).days


START = day(PERIOD_START)
END = day(PERIOD_END)


def month_index(days: Days) -> npt.NDArray[np.int64]:
    """Calendar month number 1..12 of each day."""
    months = days.astype("datetime64[D]").astype("datetime64[M]")
    return (months.astype(np.int64) % 12) + 1


def months_of_period() -> npt.NDArray[np.datetime64]:
    """The 36 months of the period as ``datetime64[M]``."""
    return np.arange(
        np.datetime64(PERIOD_START, "M"), np.datetime64(PERIOD_END, "M") + 1
    )


def _ymd(days: npt.NDArray[np.datetime64]) -> tuple[Days, Days, Days]:
    years = days.astype("datetime64[Y]")
    months = days.astype("datetime64[M]")
    return (
        years.astype(np.int64),
        (months - years.astype("datetime64[M]")).astype(np.int64),
        (days - months.astype("datetime64[D]")).astype(np.int64),
    )


def age_in_years(dob: Days, on: Days | int) -> Days:
    """Completed years of age on ``on``; month-day comparison keeps leap-day birthdays right."""
    b = np.asarray(dob).astype("datetime64[D]")
    o = np.broadcast_to(np.asarray(on), b.shape).astype("datetime64[D]")
    by, bm, bd = _ymd(b)
    oy, om, od = _ymd(o)
    before = (om < bm) | ((om == bm) & (od < bd))
    return np.asarray(oy - by - before, dtype=np.int64)


def seasonal_days(
    rng: np.random.Generator, start: Days, end: Days, amplitude: float
) -> Days:
    """A day uniformly in [start, end], thinned to a winter peak of relative size ``amplitude``.

    Emergency activity and deaths peak in January; the weight of a day is
    ``1 + amplitude * cos(2*pi*(doy - 15)/365)``. Rejection sampling keeps it vectorised.
    """
    n = start.shape[0]
    out = np.empty(n, dtype=np.int64)
    todo = np.arange(n)
    span = np.maximum(end - start, 0) + 1
    while todo.size:
        cand = start[todo] + (rng.random(todo.size) * span[todo]).astype(np.int64)
        doy = (cand - 0) % 365  # epoch day 0 is 1 January; close enough for a weight
        weight = (1 + amplitude * np.cos(2 * np.pi * (doy - 15) / 365.25)) / (
            1 + amplitude
        )
        keep = rng.random(todo.size) < weight
        out[todo[keep]] = cand[keep]
        todo = todo[~keep]
    return out
