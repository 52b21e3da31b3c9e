"""Shared mechanics for activity: expanding rates to events and choosing providers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from tripleaim.warehouse.synthetic.opendata import Footprint

Ints = npt.NDArray[np.int64]


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
