"""Pounds as a board reads them, and funnel limits worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tripleaim.benchmark.charts import funnel_limits
from tripleaim.benchmark.render import DASH, gbp


@pytest.mark.parametrize(
    ("pounds", "text"),
    [
        (8_470_000.0, "£8.47m"),
        (869_000.0, "£869k"),
        (12_345.0, "£12k"),
        (420.4, "£420"),
        (-1_500_000.0, "£-1.50m"),
        (math.nan, DASH),
        (None, DASH),
    ],
)
def test_pounds_are_shown_in_millions_thousands_or_pounds(pounds, text):
    assert gbp(pounds) == text


def test_proportion_funnel_limits_follow_the_binomial_sd():
    # centre 50%, n = 100: SD = sqrt(50 x 50 / 100) = 5 percentage points
    limits = funnel_limits(50.0, np.array([100.0]), "proportion", 100.0).iloc[0]
    assert limits["lower_95"] == pytest.approx(50 - 1.959964 * 5, abs=1e-5)
    assert limits["upper_99_8"] == pytest.approx(50 + 3.090232 * 5, abs=1e-5)


def test_rate_funnel_limits_follow_the_poisson_sd():
    # centre 20, 400 events expected at it: SD = 20 / sqrt(400) = 1
    limits = funnel_limits(20.0, np.array([400.0]), "isr", 1000.0).iloc[0]
    assert limits["upper_95"] == pytest.approx(20 + 1.959964 * 1.0, abs=1e-5)
    assert limits["lower_95"] == pytest.approx(20 - 1.959964 * 1.0, abs=1e-5)
