"""Means (Student's t) and quantile assignment against PHEindicatormethods 2.1.0."""

from __future__ import annotations

from typing import Any

import pytest

from tests.reference.support import assert_matches, read_fixture
from tripleaim.indicators import assign_quantiles, means

MEAN_CASES: dict[str, Any] = {
    "phe_mean__conf095.csv": 0.95,
    "phe_mean__conf0998.csv": 0.998,
    "phe_mean__conf95+998.csv": (0.95, 0.998),
}
QUANTILE_CASES: dict[str, dict[str, Any]] = {
    "phe_quantile__grouped_n10_invertTRUE.csv": {
        "by": ["region"],
        "nquantiles": 10,
        "invert": True,
    },
    "phe_quantile__grouped_n5_invertFALSE.csv": {
        "by": ["region"],
        "nquantiles": 5,
        "invert": False,
    },
    "phe_quantile__grouped_n4_invertfield.csv": {
        "by": ["region"],
        "nquantiles": 4,
        "invert": "invert",
    },
    "phe_quantile__ungrouped_n10_invertTRUE.csv": {"nquantiles": 10, "invert": True},
}
INPUTS = ["phe_mean_input.csv", "phe_quantile_input.csv"]
FIXTURES = [*MEAN_CASES, *QUANTILE_CASES]


@pytest.mark.parametrize("fixture", list(MEAN_CASES))
def test_mean_matches_reference(fixture: str) -> None:
    data = read_fixture("phe_mean_input.csv").frame()
    expected = read_fixture(fixture)
    result = means(data, "x", by=["group", "case_kind"], confidence=MEAN_CASES[fixture])
    assert list(result.columns) == [*expected.names, "reason"]
    assert_matches(result, expected, keys=["group"])


def test_single_observation_has_nan_limits_and_a_reason() -> None:
    result = means(read_fixture("phe_mean_input.csv").frame(), "x", by=["group"])
    single = result["value_count"] == 1
    assert single.any()
    assert (result.loc[single, "reason"] == "single_observation").all()
    assert result.loc[single, "stdev"].isna().all()


@pytest.mark.parametrize("fixture", list(QUANTILE_CASES))
def test_quantiles_match_reference(fixture: str) -> None:
    data = read_fixture("phe_quantile_input.csv").frame()
    arguments = QUANTILE_CASES[fixture]
    if arguments["invert"] != "invert":
        data = data.drop(columns="invert")
    expected = read_fixture(fixture)
    result = assign_quantiles(data, "value", **arguments)
    assert list(result.columns) == [*expected.names, "reason"]
    assert_matches(result, expected, keys=["area"])


def test_regions_with_too_few_areas_get_no_quantiles_and_say_why() -> None:
    data = read_fixture("phe_quantile_input.csv").frame().drop(columns="invert")
    result = assign_quantiles(data, "value", by=["region"], nquantiles=10)
    missing = result["quantile"].isna()
    assert missing.any()
    assert result.loc[missing, "reason"].isin(["too_few_areas", "value_missing"]).all()
