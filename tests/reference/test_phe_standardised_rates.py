"""Directly (Dobson) and indirectly standardised rates against PHEindicatormethods 2.1.0."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from tests.reference.support import assert_matches, read_fixture
from tripleaim.indicators import (
    Confidence,
    directly_standardised_rates,
    directly_standardised_rates_esp2013,
    esp2013_weights,
    indirectly_standardised_rates,
    indirectly_standardised_ratios,
)

BOTH = (0.95, 0.998)
DSR_CASES: dict[str, Confidence] = {
    "calculate_dsr__conf095_mult100000.csv": 0.95,
    "calculate_dsr__conf0998_mult100000.csv": 0.998,
    "calculate_dsr__conf95+998_mult100000.csv": BOTH,
}
NONINDEPENDENT_CASES: dict[str, Confidence] = {
    "calculate_dsr_nonindependent__conf095_mult100000.csv": 0.95,
    "calculate_dsr_nonindependent__conf95+998_mult100000.csv": BOTH,
}
PHE_DSR_CASES: dict[str, Confidence] = {
    "phe_dsr__conf095_mult100000.csv": 0.95,
    "phe_dsr__conf95+998_mult100000.csv": BOTH,
}
RATIO_CASES: dict[str, dict[str, Any]] = {
    "calculate_ISRatio__conf095_ref1.csv": {"confidence": 0.95, "refvalue": 1},
    "calculate_ISRatio__conf095_ref100.csv": {"confidence": 0.95, "refvalue": 100},
    "calculate_ISRatio__conf0998_ref1.csv": {"confidence": 0.998, "refvalue": 1},
    "calculate_ISRatio__conf0998_ref100.csv": {"confidence": 0.998, "refvalue": 100},
    "calculate_ISRatio__conf95+998_ref1.csv": {"confidence": BOTH, "refvalue": 1},
    "calculate_ISRatio__conf95+998_ref100.csv": {"confidence": BOTH, "refvalue": 100},
}
ISRATE_CASES: dict[str, Confidence] = {
    "calculate_ISRate__conf095_mult100000.csv": 0.95,
    "calculate_ISRate__conf0998_mult100000.csv": 0.998,
    "calculate_ISRate__conf95+998_mult100000.csv": BOTH,
}
OBSERVED_TOTALS = (
    "calculate_ISRatio_observed_totals__conf095_ref100.csv",
    "calculate_ISRate_observed_totals__conf95+998_mult100000.csv",
)
INPUTS = [
    "calculate_dsr_input.csv",
    "calculate_dsr_nonindependent_input.csv",
    "esp2013.csv",
    "isr_input.csv",
    "isr_reference.csv",
    "isr_observed_totals.csv",
]
FIXTURES = [
    *DSR_CASES,
    *NONINDEPENDENT_CASES,
    *PHE_DSR_CASES,
    *RATIO_CASES,
    *ISRATE_CASES,
    *OBSERVED_TOTALS,
]
AREA = ["group", "case_kind"]


@pytest.mark.parametrize("fixture", list(DSR_CASES))
def test_dsr_matches_reference(fixture: str) -> None:
    data = read_fixture("calculate_dsr_input.csv").frame()
    expected = read_fixture(fixture)
    result = directly_standardised_rates(data, by=AREA, confidence=DSR_CASES[fixture])
    assert list(result.columns) == [*expected.names, "reason"]
    assert_matches(result, expected, keys=AREA)


@pytest.mark.parametrize("fixture", list(NONINDEPENDENT_CASES))
def test_dsr_for_non_independent_events_matches_reference(fixture: str) -> None:
    data = read_fixture("calculate_dsr_nonindependent_input.csv").frame()
    expected = read_fixture(fixture)
    result = directly_standardised_rates(
        data,
        by=["group"],
        confidence=NONINDEPENDENT_CASES[fixture],
        eventfreq="eventfreq",
        ageband="ageband",
    )
    assert list(result.columns) == [*expected.names, "reason"]
    assert_matches(result, expected, keys=["group"])


def _complete_areas() -> pd.DataFrame:
    data = read_fixture("calculate_dsr_input.csv").frame()
    complete = data.groupby(AREA)["band_index"].transform("size") == 19
    ordered = data[complete].sort_values([*AREA, "band_index"], kind="stable")
    return ordered.drop(columns="stdpop").reset_index(drop=True)


@pytest.mark.parametrize("fixture", list(PHE_DSR_CASES))
@pytest.mark.parametrize("match", ["position", "label"])
def test_esp2013_dsr_matches_phe_dsr(fixture: str, match: str) -> None:
    expected = read_fixture(fixture)
    result = directly_standardised_rates_esp2013(
        _complete_areas(),
        by=AREA,
        ageband="ageband" if match == "label" else None,
        confidence=PHE_DSR_CASES[fixture],
    )
    assert list(result.columns) == [*expected.names, "reason"]
    assert_matches(result, expected, keys=AREA)


def test_shipped_esp2013_equals_the_reference_vector() -> None:
    reference = read_fixture("esp2013.csv").columns["esp2013"].numbers
    assert reference is not None
    assert esp2013_weights().tolist() == reference.tolist()


def _isr_inputs() -> tuple[pd.DataFrame, list[float], list[float]]:
    data = read_fixture("isr_input.csv").frame()
    reference = read_fixture("isr_reference.csv").frame()
    return data, reference["x_ref"].tolist(), reference["n_ref"].tolist()


ISR_AREA = ["area", "case_kind"]


@pytest.mark.parametrize("fixture", list(RATIO_CASES))
def test_indirectly_standardised_ratio_matches_reference(fixture: str) -> None:
    data, x_ref, n_ref = _isr_inputs()
    expected = read_fixture(fixture)
    result = indirectly_standardised_ratios(
        data, x_ref=x_ref, n_ref=n_ref, by=ISR_AREA, **RATIO_CASES[fixture]
    )
    assert list(result.columns) == [*expected.names, "reason"]
    assert_matches(result, expected, keys=ISR_AREA)


@pytest.mark.parametrize("fixture", list(ISRATE_CASES))
def test_indirectly_standardised_rate_matches_reference(fixture: str) -> None:
    data, x_ref, n_ref = _isr_inputs()
    expected = read_fixture(fixture)
    result = indirectly_standardised_rates(
        data, x_ref=x_ref, n_ref=n_ref, by=ISR_AREA, confidence=ISRATE_CASES[fixture]
    )
    assert list(result.columns) == [*expected.names, "reason"]
    assert_matches(result, expected, keys=ISR_AREA)


@pytest.mark.parametrize("fixture", OBSERVED_TOTALS)
def test_isr_with_observed_totals_matches_reference(fixture: str) -> None:
    data, _, _ = _isr_inputs()
    totals = read_fixture("isr_observed_totals.csv").frame()
    expected = read_fixture(fixture)
    if "ISRatio" in fixture:
        result = indirectly_standardised_ratios(
            data.drop(columns="x"), by=ISR_AREA, refvalue=100, observed_totals=totals
        )
    else:
        result = indirectly_standardised_rates(
            data.drop(columns="x"), by=ISR_AREA, confidence=BOTH, observed_totals=totals
        )
    assert list(result.columns) == [*expected.names, "reason"]
    assert_matches(result, expected, keys=ISR_AREA)


def test_area_with_no_expected_events_is_nan_with_a_reason() -> None:
    data, x_ref, n_ref = _isr_inputs()
    result = indirectly_standardised_ratios(data, x_ref=x_ref, n_ref=n_ref, by=ISR_AREA)
    empty = result["expected"] == 0
    assert empty.sum() == 1
    assert (result.loc[empty, "reason"] == "expected_zero").all()


def test_suppressed_dsr_says_why() -> None:
    result = directly_standardised_rates(
        read_fixture("calculate_dsr_input.csv").frame(), by=AREA
    )
    small = result["total_count"] < 10
    assert small.any()
    assert result.loc[small, "value"].isna().all()
    assert (result.loc[small, "reason"] == "total_count_below_10").all()
    assert result.loc[~small, "reason"].isna().all()
