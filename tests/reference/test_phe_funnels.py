"""Funnel-plot limits, significance and points against PHEindicatormethods 2.1.0.

The ratio and rate limits come from the reference's bisection over an iterative
Poisson sum; tripleaim reproduces the search branch for branch (see
``poisson_search``), so they too are compared at abs 1e-9 / rel 1e-12.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from tests.reference.support import assert_matches, read_fixture, subset
from tripleaim.indicators import funnel_limits, funnel_points, funnel_significance
from tripleaim.indicators.methods.poisson_search import (
    poisson_funnel,
    poisson_interval_probability,
)

LIMIT_FIXTURES = {
    "calculate_funnel_limits_proportion.csv": ("funnel_proportion_input.csv", "FP"),
    "calculate_funnel_limits_ratio.csv": ("funnel_ratio_input.csv", "FR"),
    "calculate_funnel_limits_rate.csv": ("funnel_rate_input.csv", "FT"),
}
INPUTS = [
    "funnel_proportion_input.csv",
    "funnel_ratio_input.csv",
    "funnel_rate_input.csv",
]
FIXTURES = [
    *LIMIT_FIXTURES,
    "assign_funnel_significance_proportion.csv",
    "assign_funnel_significance_ratio.csv",
    "assign_funnel_significance_rate.csv",
    "calculate_funnel_points_rate.csv",
]
SCRIPT_COLUMNS = {
    "dataset_id",
    "multiplier",
    "point",
    "ratio_type",
    "rate_type",
    "years_of_data",
}
LIMIT_CASES = [
    (fixture, f"{prefix}{i}")
    for fixture, (_, prefix) in LIMIT_FIXTURES.items()
    for i in range(1, 6)
]


@pytest.mark.parametrize(("fixture", "dataset"), LIMIT_CASES)
def test_funnel_limits_match_reference(fixture: str, dataset: str) -> None:
    source, _ = LIMIT_FIXTURES[fixture]
    inputs = read_fixture(source).frame()
    data = inputs[inputs["dataset_id"] == dataset]
    expected = subset(read_fixture(fixture), "dataset_id", dataset)
    first = expected.frame().iloc[0]
    if dataset.startswith("FP"):
        result = funnel_limits(
            data,
            "numerator",
            "denominator",
            statistic="proportion",
            multiplier=float(first["multiplier"]),
        )
    elif dataset.startswith("FR"):
        result = funnel_limits(
            data,
            "observed",
            "expected",
            statistic="ratio",
            multiplier=float(first["multiplier"]),
            ratio_type=str(first["ratio_type"]),
        )
    else:
        result = funnel_limits(
            data,
            "events",
            "denominator",
            statistic="rate",
            multiplier=100000,
            rate="rate",
            rate_type=str(first["rate_type"]),
            years_of_data=float(first["years_of_data"]),
        )
    columns = [c for c in expected.names if c not in SCRIPT_COLUMNS]
    assert list(result.columns) == [*columns, "reason"]
    assert_matches(result, expected, columns=columns)


def _per_dataset(
    inputs: pd.DataFrame, call: Callable[[pd.DataFrame], pd.DataFrame]
) -> pd.DataFrame:
    parts = [call(part) for _, part in inputs.groupby("dataset_id", sort=True)]
    return pd.concat(parts, ignore_index=True)


def test_proportion_significance_matches_reference() -> None:
    inputs = read_fixture("funnel_proportion_input.csv").frame()
    result = _per_dataset(
        inputs,
        lambda d: funnel_significance(
            d, "numerator", "denominator", statistic="proportion"
        ),
    )
    expected = read_fixture("assign_funnel_significance_proportion.csv")
    assert_matches(result, expected, keys=["dataset_id", "area"])


def test_ratio_significance_matches_reference() -> None:
    inputs = read_fixture("funnel_ratio_input.csv").frame()
    result = _per_dataset(
        inputs,
        lambda d: funnel_significance(d, "observed", "expected", statistic="ratio"),
    )
    expected = read_fixture("assign_funnel_significance_ratio.csv")
    assert_matches(result, expected, keys=["dataset_id", "area"])


def test_rate_significance_matches_reference() -> None:
    inputs = read_fixture("funnel_rate_input.csv").frame()
    result = _per_dataset(
        inputs,
        lambda d: funnel_significance(
            d,
            "events",
            "denominator",
            statistic="rate",
            rate="rate",
            rate_type=d["rate_type"].iloc[0],
            multiplier=100000,
        ),
    )
    expected = read_fixture("assign_funnel_significance_rate.csv")
    assert_matches(result, expected, keys=["dataset_id", "area"])
    few = (result["rate_type"] == "dsr") & (result["events"] < 10)
    assert (result.loc[few, "reason"] == "events_below_10").all()


def test_rate_funnel_points_match_reference() -> None:
    inputs = read_fixture("funnel_rate_input.csv").frame()
    result = _per_dataset(
        inputs,
        lambda d: funnel_points(
            d,
            "events",
            "denominator",
            rate="rate",
            rate_type=d["rate_type"].iloc[0],
            years_of_data=float(d["years_of_data"].iloc[0]),
            multiplier=100000,
        ),
    )
    expected = read_fixture("calculate_funnel_points_rate.csv")
    assert_matches(result, expected, keys=["dataset_id", "area"])


def _scalar_search(observed: float, p: float, side: str) -> float:
    v, dv = 0.5, 0.5
    while dv > 1e-7:
        dv /= 2
        z = (1 + observed) * v / (1 - v)
        if side == "low":
            step_down = poisson_interval_probability(z, observed, 1e10) > p
        else:
            step_down = poisson_interval_probability(z, 0, observed) < p
        v = v - dv if step_down else v + dv
    return (1 + observed) * v / (1 - v)


@pytest.mark.parametrize("side", ["low", "high"])
def test_a_probability_on_the_knife_edge_is_decided_by_the_reference_sum(
    side: str,
) -> None:
    observed = 5.0
    z = 1 + observed  # the first step evaluates the tail at v = 0.5
    bounds = (observed, 1e10) if side == "low" else (0.0, observed)
    p = poisson_interval_probability(z, *bounds)
    assert float(poisson_funnel([observed], p, side)[0]) == _scalar_search(
        observed, p, side
    )


@pytest.mark.parametrize("observed", [1.0, 2.0, 9.0, 57.0, 431.0])
@pytest.mark.parametrize(("p", "side"), [(0.025, "low"), (0.001, "high")])
def test_vectorised_search_equals_the_term_by_term_search(
    observed: float, p: float, side: str
) -> None:
    expected = _scalar_search(observed, p, side)
    assert float(poisson_funnel([observed], p, side)[0]) == expected
