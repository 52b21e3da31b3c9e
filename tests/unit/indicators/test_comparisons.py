"""Comparison with a benchmark, ranks and expected counts.

Fingertips' single overlapping confidence interval rule: **similar** when the
benchmark lies inside the area's interval (ends included), otherwise **higher** or
**lower**; polarity turns these into **better** or **worse**. Rank 1 is the best,
ties share the better rank. Expected counts apply the benchmark's rates to the area.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tripleaim.indicators.comparisons import (
    compare,
    expected_from_bands,
    expected_from_rate,
    rank_among,
    rank_values,
)

title = "Comparisons, ranks and excess"

LOWER = [10.0, 10.0, 10.0, 10.0, np.nan]
UPPER = [20.0, 20.0, 20.0, 20.0, 30.0]
BENCHMARK = [20.0, 9.0, 21.0, np.nan, 25.0]


@pytest.mark.parametrize(
    ("polarity", "expected"),
    [
        (
            "higher_is_better",
            ["similar", "better", "worse", "not_compared", "not_compared"],
        ),
        (
            "lower_is_better",
            ["similar", "worse", "better", "not_compared", "not_compared"],
        ),
        ("neither", ["similar", "higher", "lower", "not_compared", "not_compared"]),
    ],
)
def test_the_benchmark_inside_the_interval_is_similar_and_outside_by_polarity(
    polarity, expected
) -> None:
    assert compare(LOWER, UPPER, BENCHMARK, polarity).tolist() == expected


def test_ranks_put_the_best_first_and_share_ties_among_areas_of_a_level() -> None:
    frame = pd.DataFrame(
        {
            "level": [0, 0, 0, 0, 1],
            "year": [2023] * 5,
            "value": [5.0, 7.0, 5.0, np.nan, 1.0],
        }
    )
    rank, of = rank_values(frame, ["level", "year"], "lower_is_better")
    assert rank.tolist() == [1, 3, 1, pd.NA, 1]
    assert of.tolist() == [3, 3, 3, pd.NA, 1]
    rank, _ = rank_values(frame, ["level", "year"], "higher_is_better")
    assert rank.tolist() == [2, 1, 2, pd.NA, 1]


def test_an_area_ranks_among_the_others_with_its_own_value_replacing_theirs() -> None:
    areas = pd.DataFrame({"area_code": ["P1"], "year": [2023], "value": [4.0]})
    others = pd.DataFrame(
        {
            "area_code": ["P1", "A", "B", "C", "D"],
            "year": [2023] * 5,
            "value": [99.0, 3.0, 4.0, 5.0, np.nan],
        }
    )
    rank, of = rank_among(areas, others, "lower_is_better")
    # A (3.0) is lower; B ties; D has no value; P1's own national value is ignored
    assert (rank.tolist(), of.tolist()) == ([2], [4])
    rank, of = rank_among(areas, others, "higher_is_better")
    assert (rank.tolist(), of.tolist()) == ([2], [4])


def test_expected_events_are_the_benchmark_rate_times_the_denominator() -> None:
    assert expected_from_rate([40.0], [5000.0], 100000).tolist() == [40 / 100000 * 5000]


def test_expected_events_sum_benchmark_band_rates_times_band_populations() -> None:
    populations = pd.DataFrame(
        {"area_id": [1, 1], "year": [2023, 2023], "age": [0, 5], "n": [100.0, 300.0]}
    )
    rates = pd.DataFrame({"year": [2023, 2023], "age": [0, 5], "rate": [0.01, 0.002]})
    result = expected_from_bands(populations, rates, ["area_id"])
    assert result["expected"].tolist() == pytest.approx([100 * 0.01 + 300 * 0.002])
