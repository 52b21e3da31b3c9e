"""Values from counts: each definition's method over every area at once.

An area a method cannot take keeps its counts and gets no value, with a reason:
a denominator of zero, or (for a standardised rate) a band with nobody in it.
Standardised rates use the ESP2013 bands of the definition's ages, the under-1 and
1-4 groups making 0-4. A numerator that exceeds its denominator in a proportion is
a definition error naming the indicator.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tripleaim.errors import DefinitionError
from tripleaim.indicators import directly_standardised_rates_esp2013
from tripleaim.indicators.catalogue import definitions
from tripleaim.indicators.values import evaluate

title = "Values from counts"


def test_a_zero_denominator_gives_no_value_and_says_why() -> None:
    spec = definitions()["stillbirth_rate"]
    counts = pd.DataFrame({"area_id": [1, 2], "x": [1.0, 0.0], "n": [250.0, 0.0]})
    result = evaluate(spec, counts, ["area_id"]).set_index("area_id")
    assert result.loc[1, "value"] == pytest.approx(1 / 250 * 1000)
    assert result.loc[1, "method"] == "Exact"
    assert np.isnan(result.loc[2, "value"])
    assert result.loc[2, "reason"] == "population_not_positive"


def test_a_ratio_has_a_value_and_no_limits() -> None:
    spec = definitions()["prescribing_cost_per_head"]
    counts = pd.DataFrame({"area_id": [1], "x": [2500.0], "n": [100.0]})
    result = evaluate(spec, counts, ["area_id"])
    assert result["value"].tolist() == [25.0]
    assert result[["lower_95", "upper_99_8"]].isna().all(axis=None)


def test_a_standardised_rate_merges_the_first_two_life_table_groups() -> None:
    spec = definitions()["premature_mortality_all_causes_dsr"]
    ages = [0, 1, *range(5, 95, 5)]
    counts = pd.DataFrame({"area_id": 1, "age": ages, "x": 2.0, "n": 1000.0})
    result = evaluate(spec, counts, ["area_id"])
    # the reference: 15 ESP2013 bands under 75, 0-4 holding both groups
    bands = pd.DataFrame(
        {
            "band": ["0-4", *(f"{a}-{a + 4}" for a in range(5, 75, 5))],
            "x": [4.0, *[2.0] * 14],
            "n": [2000.0, *[1000.0] * 14],
        }
    )
    expected = directly_standardised_rates_esp2013(
        bands,
        "x",
        "n",
        ageband="band",
        bands=bands["band"].tolist(),
        confidence=(0.95, 0.998),
    )
    assert result["value"].iloc[0] == pytest.approx(
        expected["value"].iloc[0], rel=1e-12
    )
    assert result["numerator"].iloc[0] == 4 + 2 * 14


def test_a_standardised_rate_with_an_empty_band_has_no_value() -> None:
    spec = definitions()["premature_mortality_all_causes_dsr"]
    counts = pd.DataFrame({"area_id": 1, "age": [0, 5, 10], "x": 5.0, "n": 100.0})
    result = evaluate(spec, counts, ["area_id"])
    assert np.isnan(result["value"].iloc[0])
    assert result["reason"].iloc[0] == "population_not_positive"
    assert result["numerator"].iloc[0] == 15


def test_a_numerator_larger_than_its_denominator_names_the_indicator() -> None:
    spec = definitions()["deaths_in_hospital"]
    counts = pd.DataFrame({"area_id": [7], "x": [5.0], "n": [4.0]})
    with pytest.raises(DefinitionError, match="Indicator deaths_in_hospital: "):
        evaluate(spec, counts, ["area_id"])
