"""Proportions (Wilson) and crude rates (exact / Byar's) against PHEindicatormethods 2.1.0.

One test per fixture file (one R call); every output column is compared with
abs <= 1e-9 or rel <= 1e-12, text and NA/NaN patterns exactly.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.reference.support import assert_matches, read_fixture
from tripleaim.indicators import crude_rates, proportions

BOTH = (0.95, 0.998)
PROPORTION_CASES: dict[str, dict[str, Any]] = {
    "phe_proportion__conf095_mult1.csv": {"confidence": 0.95, "multiplier": 1},
    "phe_proportion__conf095_mult100.csv": {"confidence": 0.95, "multiplier": 100},
    "phe_proportion__conf0998_mult1.csv": {"confidence": 0.998, "multiplier": 1},
    "phe_proportion__conf0998_mult100.csv": {"confidence": 0.998, "multiplier": 100},
    "phe_proportion__conf95+998_mult1.csv": {"confidence": BOTH, "multiplier": 1},
    "phe_proportion__conf95+998_mult100.csv": {"confidence": BOTH, "multiplier": 100},
    "phe_proportion__confNA_mult100.csv": {"confidence": None, "multiplier": 100},
}
RATE_CASES: dict[str, dict[str, Any]] = {
    "phe_rate__conf095_mult100000.csv": {"confidence": 0.95},
    "phe_rate__conf0998_mult100000.csv": {"confidence": 0.998},
    "phe_rate__conf95+998_mult100000.csv": {"confidence": BOTH},
}
INPUTS = [
    "phe_proportion_input.csv",
    "phe_proportion_grouped_input.csv",
    "phe_rate_input.csv",
    "phe_rate_grouped_input.csv",
]
FIXTURES = [
    *PROPORTION_CASES,
    "phe_proportion_grouped__conf95+998_mult100.csv",
    *RATE_CASES,
    "phe_rate_grouped__conf95+998_mult100000.csv",
]


@pytest.mark.parametrize("fixture", list(PROPORTION_CASES))
def test_proportion_matches_reference(fixture: str) -> None:
    data = read_fixture("phe_proportion_input.csv").frame()
    expected = read_fixture(fixture)
    result = proportions(data, "x", "n", **PROPORTION_CASES[fixture])
    assert list(result.columns) == [*expected.names, "reason"]
    assert_matches(result, expected, keys=["case_id"])


def test_grouped_proportion_sums_within_groups_then_matches_reference() -> None:
    data = read_fixture("phe_proportion_grouped_input.csv").frame()
    expected = read_fixture("phe_proportion_grouped__conf95+998_mult100.csv")
    result = proportions(data, "x", "n", by=["group"], confidence=BOTH, multiplier=100)
    assert list(result.columns) == [*expected.names, "reason"]
    assert_matches(result, expected, keys=["group"])


@pytest.mark.parametrize("fixture", list(RATE_CASES))
def test_crude_rate_matches_reference(fixture: str) -> None:
    data = read_fixture("phe_rate_input.csv").frame()
    expected = read_fixture(fixture)
    result = crude_rates(data, "x", "n", **RATE_CASES[fixture])
    assert list(result.columns) == [*expected.names, "reason"]
    assert_matches(result, expected, keys=["case_id"])


def test_grouped_crude_rate_sums_within_groups_then_matches_reference() -> None:
    data = read_fixture("phe_rate_grouped_input.csv").frame()
    expected = read_fixture("phe_rate_grouped__conf95+998_mult100000.csv")
    result = crude_rates(data, "x", "n", by=["group"], confidence=BOTH)
    assert list(result.columns) == [*expected.names, "reason"]
    assert_matches(result, expected, keys=["group"])


def test_missing_numerators_are_missing_with_a_reason_not_silent() -> None:
    data = read_fixture("phe_rate_input.csv").frame()
    result = crude_rates(data, "x", "n")
    missing = result["x"].isna().to_numpy()
    assert missing.any()
    assert result.loc[missing, "value"].isna().all()
    assert (result.loc[missing, "reason"] == "numerator_missing").all()
    assert result.loc[~missing, "reason"].isna().all()
