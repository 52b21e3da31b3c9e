"""Shared mechanics for activity: expanding rates to events and choosing providers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from tripleaim.warehouse.synthetic import rates
from tripleaim.warehouse.synthetic.calendar import (
    FINANCIAL_YEARS,
    PERIOD_START,
    age_in_years,
)
from tripleaim.warehouse.synthetic.calendar import day as day_number
from tripleaim.warehouse.synthetic.exposure import Exposure
from tripleaim.warehouse.synthetic.opendata import Footprint

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

YEAR_STARTS = np.array(
    [
        day_number(date(PERIOD_START.year + k, 4, 1))
        for k in range(len(FINANCIAL_YEARS) + 1)
    ]
)
"""First day of each financial year of the period, and the day after it ends."""


@dataclass(frozen=True)
class YearWindow:
    """Each person's exposure within one financial year, and their age in the middle of it."""

    start: Ints
    end: Ints
    years: Floats
    age: Ints


def year_windows(exp: Exposure, dob: Ints) -> Iterator[YearWindow]:
    """Each financial year's part of the exposure windows (``years`` is 0 when outside)."""
    for first, last in zip(YEAR_STARTS[:-1], YEAR_STARTS[1:] - 1, strict=True):
        lo, hi = np.maximum(exp.start, first), np.minimum(exp.end, last)
        years = np.maximum(hi - lo + 1, 0) / 365.25
        age = np.maximum(age_in_years(dob, lo + np.maximum(hi - lo, 0) // 2), 0)
        yield YearWindow(start=lo, end=hi, years=np.asarray(years), age=age)


def yearly_events(
    rng: np.random.Generator,
    exp: Exposure,
    dob: Ints,
    rate_at: Callable[[Ints], Floats],
    multiplier: Floats,
) -> tuple[Ints, Ints, Ints]:
    """Poisson events drawn year by year at each year's age.

    ``rate_at(age)`` is each person's expected events per year at that age (baseline x
    deprivation). The person multiplier is renormalised every year over the person-years
    at risk in each band (``rates.normalise_per_exposure``), so expected events per
    person-year equal the rate model in every band and year, however the people with
    high multipliers die or leave. Returns the person of each event and the window
    (first and last day) of the year it falls in.
    """
    persons, starts, ends = [], [], []
    for w in year_windows(exp, dob):
        expected = rate_at(w.age) * w.years
        use = rates.normalise_per_exposure(multiplier, w.age, expected)
        person = expand(rng, expected * use)
        persons.append(person)
        starts.append(w.start[person])
        ends.append(w.end[person])
    return np.concatenate(persons), np.concatenate(starts), np.concatenate(ends)


def expand(rng: np.random.Generator, expected: npt.NDArray[np.float64]) -> Ints:
    """Poisson counts per person, returned as one person index per event."""
    counts = rng.poisson(np.maximum(expected, 0.0))
    return np.repeat(np.arange(expected.shape[0]), counts)


def within(rng: np.random.Generator, start: Ints, end: Ints) -> Ints:
    """A uniformly random day in each [start, end] window."""
    return start + (rng.random(start.shape[0]) * (end - start + 1)).astype(np.int64)


def draw_rows(rng: np.random.Generator, weights: npt.NDArray[np.float64]) -> Ints:
    """One column index per row, with probability proportional to the row's weights."""
    cum = np.cumsum(weights, axis=1)
    u = rng.random(weights.shape[0]) * cum[:, -1]
    return np.asarray(
        np.minimum((u[:, None] > cum).sum(axis=1), weights.shape[1] - 1),
        dtype=np.int64,
    )


@dataclass(frozen=True)
class Providers:
    """Chooses the trust that treats each event: home trust, or out of area."""

    home: npt.NDArray[np.str_]  # home trust per footprint LSOA
    others: npt.NDArray[np.str_]
    other_weights: npt.NDArray[np.float64]
    out_share: float

    @classmethod
    def build(
        cls, fp: Footprint, lsoas: pd.DataFrame, acute: pd.DataFrame
    ) -> Providers:
        """Home trust per LSOA from the footprint's district mapping."""
        home = np.array([fp.home_trust(c) for c in lsoas["lad_code"]])
        others = acute[~acute["home"]]
        weights = others["share"].to_numpy(np.float64)
        return cls(
            home=home,
            others=others["trust_code"].to_numpy(str),
            other_weights=weights / weights.sum() if weights.size else weights,
            out_share=fp.out_of_area_share if weights.size else 0.0,
        )

    def choose(self, rng: np.random.Generator, lsoa: Ints) -> npt.NDArray[np.str_]:
        """Provider trust code per event for people living in ``lsoa``."""
        out = self.home[lsoa].astype(object)
        away = rng.random(int(lsoa.shape[0])) < self.out_share
        if away.any():
            out[away] = self.others[
                rng.choice(self.others.size, size=int(away.sum()), p=self.other_weights)
            ]
        return np.asarray(out.astype(str))


def site_of(provider: npt.NDArray[np.str_]) -> npt.NDArray[np.str_]:
    """The (synthetic) main site code of each provider."""
    return np.char.add(provider.astype(str), "01")


def geometric_los(rng: np.random.Generator, mean: npt.NDArray[np.float64]) -> Ints:
    """Length of stay with the given mean: geometric on 0, 1, 2 ... (many short stays, long tail)."""
    p = 1.0 / (1.0 + np.maximum(mean, 0.01))
    return (rng.geometric(p) - 1).astype(np.int64)
