"""Trend markers.

Fingertips' test on the points to each period (the latest five, at least three):
chi-squared above 9.5495 (99.8%) and a slope of the same sign with every point
left out in turn. Rates use a weighted regression on the 95% limits; proportions
the chi-squared test for trend on counts.
"""

from __future__ import annotations

import numpy as np

from tripleaim.indicators.trends import trend_assessment, trend_markers

title = "Trend markers"


def _rates(values, half_width):
    values = np.asarray(values, dtype=float)
    return values, values - half_width, values + half_width


def test_a_steady_rise_with_narrow_limits_is_increasing() -> None:
    values, lower, upper = _rates([[10.0, 20.0, 30.0]], 1.0)
    markers, chi = trend_markers(values, lower, upper, values, values, proportion=False)
    assert markers.tolist() == ["increasing"]
    # slope 10 a year; each point's se is (upper - lower) / 3.92 = 2 / 3.92, and
    # with equal weights at t = 1, 2, 3 the slope's se is se / sqrt(2)
    se = 2 / 3.92
    assert np.isclose(chi[0], (10 / (se / np.sqrt(2))) ** 2, rtol=1e-12)


def test_wide_limits_give_no_significant_change() -> None:
    values, lower, upper = _rates([[10.0, 11.0, 12.0]], 10.0)
    markers, _ = trend_markers(values, lower, upper, values, values, proportion=False)
    assert markers.tolist() == ["no_significant_change"]


def test_a_slope_that_turns_when_a_point_is_left_out_is_not_a_trend() -> None:
    values, lower, upper = _rates([[10.0, 30.0, 11.0]], 0.1)
    markers, chi = trend_markers(values, lower, upper, values, values, proportion=False)
    # significant on all three points, but leaving out the first turns the slope
    assert chi[0] > 9.5495
    assert markers.tolist() == ["no_significant_change"]


def test_proportions_use_the_chi_squared_test_for_trend_on_counts() -> None:
    x = np.array([[100.0, 150.0, 200.0], [100.0, 101.0, 99.0]])
    n = np.full((2, 3), 1000.0)
    markers, chi = trend_markers(x / n, x / n, x / n, x, n, proportion=True)
    assert markers.tolist() == ["increasing", "no_significant_change"]
    # Cochran-Armitage: N (N sum(O t) - O sum(N t))^2 / (O (N - O) (N sum(N t^2) - sum(N t)^2))
    big_n, big_o = 3000.0, 450.0
    numerator = big_n * (big_n * (100 + 300 + 600) - big_o * 6000) ** 2
    denominator = big_o * (big_n - big_o) * (big_n * 14000 - 6000**2)
    assert np.isclose(chi[0], numerator / denominator, rtol=1e-12)


def test_fewer_than_three_points_or_a_missing_one_cannot_be_calculated() -> None:
    values, lower, upper = _rates([[10.0, 20.0]], 1.0)
    markers, _ = trend_markers(values, lower, upper, values, values, proportion=False)
    assert markers.tolist() == ["cannot_be_calculated"]
    values, lower, upper = _rates([[10.0, np.nan, 30.0]], 1.0)
    markers, _ = trend_markers(values, lower, upper, values, values, proportion=False)
    assert markers.tolist() == ["cannot_be_calculated"]


def test_polarity_says_whether_a_trend_is_getting_better_or_worse() -> None:
    markers = np.array(
        ["increasing", "decreasing", "no_significant_change"], dtype=object
    )
    assert trend_assessment(markers, "lower_is_better").tolist() == [
        "getting_worse",
        "getting_better",
        "no_significant_change",
    ]
    assert trend_assessment(markers, "neither").tolist() == [None, None, None]
