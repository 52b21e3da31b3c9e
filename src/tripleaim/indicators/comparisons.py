"""Comparing an area with its benchmark: significance, excess counts and ranks.

Significance follows Fingertips' default comparator method, "single overlapping
confidence intervals" (OHID, *Fingertips technical guidance: RAG rating indicator
values*; fingertips-open ``IndicatorComparer``): the area is **similar** when the
benchmark value lies within the area's interval (ends included), otherwise
**higher** or **lower** by which side it lies. Polarity turns higher/lower into
**better**/**worse**; an indicator with no polarity keeps higher/lower (Fingertips'
blue-orange-blue). An area with no value or no limits, or compared with itself, is
**not_compared**.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from tripleaim.indicators.spec import Polarity
from tripleaim.warehouse.schema.derived import COMPARISONS, NOT_COMPARED

__all__ = [
    "COMPARISONS",
    "NOT_COMPARED",
    "compare",
    "expected_from_bands",
    "expected_from_rate",
    "rank_among",
    "rank_values",
]


def compare(
    lower: npt.ArrayLike,
    upper: npt.ArrayLike,
    benchmark: npt.ArrayLike,
    polarity: Polarity,
) -> npt.NDArray[np.object_]:
    """The comparison label of each area with its benchmark value.

    Args:
        lower: Lower confidence limits (95% or 99.8%).
        upper: Upper confidence limits at the same level.
        benchmark: The benchmark's value for each area's period.
        polarity: Which way is good.

    Returns:
        One of ``COMPARISONS`` per area.
    """
    low = np.asarray(lower, dtype=np.float64)
    high = np.asarray(upper, dtype=np.float64)
    bench = np.asarray(benchmark, dtype=np.float64)
    labels = np.full(low.shape, NOT_COMPARED, dtype=object)
    known = ~(np.isnan(low) | np.isnan(high) | np.isnan(bench))
    above = known & (low > bench)
    below = known & (high < bench)
    labels[known & ~above & ~below] = "similar"
    up, down = {
        "higher_is_better": ("better", "worse"),
        "lower_is_better": ("worse", "better"),
        "neither": ("higher", "lower"),
    }[polarity]
    labels[above] = up
    labels[below] = down
    return labels


def rank_values(
    frame: pd.DataFrame, by: list[str], polarity: Polarity, value: str = "value"
) -> tuple[pd.Series, pd.Series]:
    """Rank of each row among rows of the same ``by`` group, and how many were ranked.

    Rank 1 is the best (highest for ``higher_is_better``, lowest for
    ``lower_is_better``, highest where there is no polarity); ties share the better
    rank; rows with no value are not ranked.
    """
    ascending = polarity == "lower_is_better"
    grouped = frame.groupby(by, sort=False)[value]
    rank = grouped.rank(method="min", ascending=ascending).astype("Int64")
    ranked_of = grouped.transform("count").astype("Int64")
    ranked_of = ranked_of.where(rank.notna())
    return rank, ranked_of


def rank_among(
    areas: pd.DataFrame, others: pd.DataFrame, polarity: Polarity
) -> tuple[pd.Series, pd.Series]:
    """Rank of each of ``areas`` among ``others`` of the same year (and themselves).

    Args:
        areas: ``area_code``, ``year``, ``value`` of the areas to rank (the
            footprint's places or system).
        others: ``area_code``, ``year``, ``value`` of the comparator areas; any of
            ``areas`` found there is replaced by the footprint's own value.
        polarity: Which way is good.

    Returns:
        Rank and number ranked, aligned with ``areas``; missing where the area has no
        value. Ties share the better rank, as in :func:`rank_values`.
    """
    rest = others[~others["area_code"].isin(areas["area_code"])]
    rank = np.full(len(areas), -1, dtype=np.int64)
    ranked_of = np.full(len(areas), -1, dtype=np.int64)
    values = areas["value"].to_numpy(dtype=np.float64)
    years = areas["year"].to_numpy()
    rest_years = rest["year"].to_numpy()
    rest_values = rest["value"].to_numpy(dtype=np.float64)
    for year in np.unique(years):
        pool = np.sort(rest_values[(rest_years == year) & ~np.isnan(rest_values)])
        rows = (years == year) & ~np.isnan(values)
        if polarity == "lower_is_better":
            better = np.searchsorted(pool, values[rows], side="left")
        else:
            better = len(pool) - np.searchsorted(pool, values[rows], side="right")
        rank[rows] = better + 1
        ranked_of[rows] = len(pool) + 1
    as_series = [
        pd.Series(a, index=areas.index, dtype="Int64").where(a > 0)
        for a in (rank, ranked_of)
    ]
    return as_series[0], as_series[1]


def expected_from_rate(
    benchmark: npt.ArrayLike, denominator: npt.ArrayLike, multiplier: float
) -> npt.NDArray[np.float64]:
    """Events expected at the benchmark's value: ``benchmark / multiplier * denominator``."""
    bench = np.asarray(benchmark, dtype=np.float64)
    return bench / multiplier * np.asarray(denominator, dtype=np.float64)


def expected_from_bands(
    populations: pd.DataFrame, rates: pd.DataFrame, by: list[str]
) -> pd.DataFrame:
    """Events expected at the benchmark's age-specific rates (indirect standardisation).

    Args:
        populations: ``by`` columns, ``year``, ``age`` (band) and ``n`` (the area's
            population in the band).
        rates: ``year``, ``age`` and ``rate`` (benchmark events per person).
        by: Area key columns (``year`` is added).

    Returns:
        ``by`` columns, ``year`` and ``expected``: the sum over bands of the
        benchmark rate times the area's population, as OHID computes the expected
        count of an indirectly standardised ratio.
    """
    joined = populations.merge(rates, on=["year", "age"], how="left")
    joined["expected"] = joined["n"] * joined["rate"].fillna(0.0)
    keys = [*by, "year"]
    return joined.groupby(keys)["expected"].sum().reset_index()
