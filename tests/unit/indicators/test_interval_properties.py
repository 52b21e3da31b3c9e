"""Properties every confidence interval must have, on Hypothesis-generated inputs.

For each method (Wilson; crude rates by Byar's and, below 10 events, exact Poisson;
DSR by Dobson, also for non-independent events; ISR ratios and rates; means; life
expectancy; funnel limits): the interval contains the estimate, the 99.8% interval
contains the 95% one, and the interval narrows as the counts grow (every count and
denominator multiplied by the same factor). The limit functions themselves widen
monotonically with any confidence level between 50% and 99.9%. Derandomised, so
CI runs the same examples every time. "Contains" allows a few units in the last place: the limits
are computed in floating point and meet the estimate exactly at the boundary
cases (0 of n, n of n).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tripleaim.indicators import (
    byars_lower,
    byars_upper,
    crude_rates,
    directly_standardised_rates,
    directly_standardised_rates_esp2013,
    exact_poisson_lower,
    exact_poisson_upper,
    funnel_limits,
    indirectly_standardised_rates,
    indirectly_standardised_ratios,
    life_expectancy,
    means,
    proportions,
    wilson_lower,
    wilson_upper,
)
from tripleaim.indicators.methods.life_expectancy import START_AGES

BOTH = (0.95, 0.998)
SLACK = 1e-12
EXAMPLES = settings(derandomize=True, max_examples=60, deadline=None)


def _floats(frame: pd.DataFrame, column: str) -> np.ndarray:
    return np.asarray(frame[column].to_numpy(dtype=np.float64, na_value=np.nan))


def _check_nesting(frame: pd.DataFrame, value: str = "value") -> None:
    estimate = _floats(frame, value)
    lo95, hi95 = _floats(frame, "lower95_0cl"), _floats(frame, "upper95_0cl")
    lo998, hi998 = _floats(frame, "lower99_8cl"), _floats(frame, "upper99_8cl")
    scale = np.maximum(np.abs(estimate), 1.0) * SLACK
    assert np.all(lo95 <= estimate + scale)
    assert np.all(estimate <= hi95 + scale)
    assert np.all(lo998 <= lo95 + scale)
    assert np.all(hi95 <= hi998 + scale)


def _width(frame: pd.DataFrame) -> np.ndarray:
    return np.asarray(_floats(frame, "uppercl") - _floats(frame, "lowercl"))


counts = st.integers(min_value=0, max_value=5_000)
growth = st.integers(min_value=2, max_value=50)


@EXAMPLES
@given(x=counts, extra=st.integers(min_value=0, max_value=5_000), k=growth)
def test_wilson_interval_contains_nests_and_narrows(x: int, extra: int, k: int) -> None:
    n = max(x + extra, 1)
    small = pd.DataFrame({"x": [x], "n": [n]})
    _check_nesting(proportions(small, confidence=BOTH))
    large = pd.DataFrame({"x": [x * k], "n": [n * k]})
    assert _width(proportions(large))[0] < _width(proportions(small))[0]


@EXAMPLES
@given(x=counts, n=st.integers(min_value=1, max_value=10**7), k=growth)
def test_rate_interval_contains_nests_and_narrows(x: int, n: int, k: int) -> None:
    small = pd.DataFrame({"x": [x], "n": [n]})
    _check_nesting(crude_rates(small, confidence=BOTH))
    large = pd.DataFrame({"x": [x * k], "n": [n * k]})
    assert _width(crude_rates(large))[0] < _width(crude_rates(small))[0]


band_counts = st.lists(
    st.integers(min_value=0, max_value=400), min_size=19, max_size=19
)
band_pops = st.lists(
    st.integers(min_value=50, max_value=20_000), min_size=19, max_size=19
)


@EXAMPLES
@given(x=band_counts, n=band_pops, k=growth)
def test_dsr_interval_contains_nests_and_narrows(
    x: list[int], n: list[int], k: int
) -> None:
    frame = pd.DataFrame({"x": x, "n": n})
    result = directly_standardised_rates_esp2013(frame, confidence=BOTH)
    if sum(x) < 10:
        assert result["value"].isna().all()
        return
    _check_nesting(result)
    bigger = pd.DataFrame({"x": [v * k for v in x], "n": [v * k for v in n]})
    assert (
        _width(directly_standardised_rates_esp2013(bigger))[0]
        < _width(directly_standardised_rates_esp2013(frame))[0]
    )


@EXAMPLES
@given(x=band_counts, n=band_pops, k=growth)
def test_isr_interval_contains_nests_and_narrows(
    x: list[int], n: list[int], k: int
) -> None:
    reference = {"x_ref": [v * 3 + 1 for v in x[::-1]], "n_ref": [v * 40 for v in n]}
    frame = pd.DataFrame({"x": x, "n": n, **reference})
    _check_nesting(indirectly_standardised_ratios(frame, confidence=BOTH))
    bigger = frame.assign(x=frame["x"] * k, n=frame["n"] * k)
    assert (
        _width(indirectly_standardised_ratios(bigger))[0]
        < _width(indirectly_standardised_ratios(frame))[0]
    )


@EXAMPLES
@given(
    values=st.lists(
        st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
        min_size=2,
        max_size=60,
    ).filter(lambda v: len(set(v)) > 1),
    k=growth,
)
def test_mean_interval_contains_nests_and_narrows(values: list[float], k: int) -> None:
    frame = pd.DataFrame({"x": values})
    _check_nesting(means(frame, confidence=BOTH))
    repeated = pd.DataFrame({"x": values * k})
    assert _width(means(repeated))[0] < _width(means(frame))[0]


rates_by_age = st.lists(
    st.floats(min_value=0.0005, max_value=0.2), min_size=20, max_size=20
).map(sorted)


@EXAMPLES
@given(
    rates=rates_by_age, size=st.integers(min_value=2_000, max_value=50_000), k=growth
)
def test_life_expectancy_interval_contains_nests_and_narrows(
    rates: list[float], size: int, k: int
) -> None:
    pops = np.full(20, float(size))
    deaths = np.maximum(np.round(pops * np.asarray(rates)), 1.0)
    frame = pd.DataFrame({"startage": START_AGES, "deaths": deaths, "pops": pops})
    result = life_expectancy(frame, confidence=BOTH)
    computed = result["reason"].isna()
    _check_nesting(result[computed])
    bigger = frame.assign(deaths=deaths * k, pops=pops * k)
    narrow = _width(life_expectancy(bigger)) <= _width(life_expectancy(frame)) + SLACK
    assert narrow[computed.to_numpy()].all()


@EXAMPLES
@given(
    numerators=st.lists(
        st.integers(min_value=0, max_value=900), min_size=3, max_size=30
    ),
    extra=st.integers(min_value=1, max_value=5_000),
)
def test_funnel_limits_contain_the_baseline_and_narrow(
    numerators: list[int], extra: int
) -> None:
    frame = pd.DataFrame({"x": numerators, "n": [v + extra for v in numerators]})
    table = funnel_limits(frame, "x", "n", statistic="proportion", multiplier=100)
    baseline = _floats(table, "baseline")
    lower2, upper2 = _floats(table, "lower_2s_limit"), _floats(table, "upper_2s_limit")
    lower3, upper3 = _floats(table, "lower_3s_limit"), _floats(table, "upper_3s_limit")
    assert np.all(lower3 <= lower2 + SLACK) and np.all(lower2 <= baseline + SLACK)
    assert np.all(baseline <= upper2 + SLACK) and np.all(upper2 <= upper3 + SLACK)
    assert np.all(np.diff(upper2 - lower2) <= SLACK)


small_counts = st.integers(min_value=0, max_value=9)


@EXAMPLES
@given(x=small_counts, n=st.integers(min_value=1, max_value=10**6), k=growth)
def test_exact_poisson_rate_interval_contains_nests_and_narrows(
    x: int, n: int, k: int
) -> None:
    small = pd.DataFrame({"x": [x], "n": [n]})
    result = crude_rates(small, confidence=BOTH)
    assert result["method"].tolist() == ["Exact"]
    _check_nesting(result)
    large = pd.DataFrame({"x": [x * k], "n": [n * k]})
    assert _width(crude_rates(large))[0] < _width(crude_rates(small))[0]


levels = st.tuples(
    st.floats(min_value=0.5, max_value=0.999), st.floats(min_value=0.5, max_value=0.999)
).map(sorted)


@EXAMPLES
@given(x=counts, extra=st.integers(min_value=0, max_value=5_000), pair=levels)
def test_every_limit_widens_with_the_confidence_level(
    x: int, extra: int, pair: list[float]
) -> None:
    low, high = pair
    n = max(x + extra, 1)
    slack = max(x, 1) * SLACK
    pairs = [
        (wilson_lower(x, n, high), wilson_lower(x, n, low)),
        (wilson_upper(x, n, low), wilson_upper(x, n, high)),
        (exact_poisson_lower(x, high), exact_poisson_lower(x, low)),
        (exact_poisson_upper(x, low), exact_poisson_upper(x, high)),
        (byars_upper(x, low), byars_upper(x, high)),
    ]
    if x >= 10:
        pairs.append((byars_lower(x, high), byars_lower(x, low)))
    for narrower, wider in pairs:
        assert float(narrower) <= float(wider) + slack


@EXAMPLES
@given(x=band_counts, n=band_pops, k=growth)
def test_isr_rate_interval_contains_nests_and_narrows(
    x: list[int], n: list[int], k: int
) -> None:
    reference = {"x_ref": [v * 2 + 3 for v in x], "n_ref": [v * 25 for v in n]}
    frame = pd.DataFrame({"x": x, "n": n, **reference})
    _check_nesting(indirectly_standardised_rates(frame, confidence=BOTH))
    bigger = frame.assign(x=frame["x"] * k, n=frame["n"] * k)
    assert (
        _width(indirectly_standardised_rates(bigger))[0]
        < _width(indirectly_standardised_rates(frame))[0]
    )


@EXAMPLES
@given(
    x=band_counts,
    n=band_pops,
    frequency=st.integers(min_value=1, max_value=4),
    k=growth,
)
def test_dsr_for_non_independent_events_contains_nests_and_narrows(
    x: list[int], n: list[int], frequency: int, k: int
) -> None:
    bands = [f"b{i:02d}" for i in range(19)]
    persons = pd.DataFrame({"ageband": bands, "x": x, "n": n, "stdpop": 1000.0})
    # each person in a band had ``frequency`` events: the events are not independent
    frame = persons.assign(eventfreq=frequency)
    arguments = {"eventfreq": "eventfreq", "ageband": "ageband"}
    result = directly_standardised_rates(frame, confidence=BOTH, **arguments)
    if sum(x) * frequency < 10:
        assert result["reason"].notna().all()
        return
    _check_nesting(result)
    bigger = frame.assign(x=frame["x"] * k, n=frame["n"] * k)
    assert (
        _width(directly_standardised_rates(bigger, **arguments))[0]
        < _width(directly_standardised_rates(frame, **arguments))[0]
    )
