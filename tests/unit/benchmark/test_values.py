"""Measure values: the ISR matches PHEindicatormethods' fixtures; proportions use Wilson."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.reference.support import read_fixture
from tripleaim.benchmark.catalogue import measures
from tripleaim.benchmark.values import measure_values
from tripleaim.indicators import wilson_lower, wilson_upper


def test_standardised_rates_match_the_phe_reference_fixture():
    data = read_fixture("isr_input.csv").frame()
    data = data[data["case_kind"] == "random"]
    reference = read_fixture("isr_reference.csv").frame()
    expected = read_fixture("calculate_ISRate__conf095_mult100000.csv").frame()
    expected = expected.set_index("area").loc[sorted(data["area"].unique())]
    cube = pd.DataFrame(
        {
            "area_code": data["area"],
            "period": "2023/24",
            "sex": "F",
            "age_band": data["ageband"],
            "numerator": data["x"].astype(float),
            "denominator": data["n"].astype(float),
            "events": data["x"].astype(float),
            "bed_days": 0.0,
            "cost_gbp": 0.0,
            "reference": False,
        }
    )
    ref = pd.DataFrame(
        {
            "area_code": "ENGLAND",
            "period": "2023/24",
            "sex": "F",
            "age_band": reference["ageband"],
            "numerator": reference["x_ref"].astype(float),
            "denominator": reference["n_ref"].astype(float),
            "events": 0.0,
            "bed_days": 0.0,
            "cost_gbp": 0.0,
            "reference": True,
        }
    )
    spec = measures()["national_emergency_admissions"].model_copy(
        update={"multiplier": 100000}
    )
    got = measure_values(pd.concat([cube, ref]), spec).set_index("area_code")
    assert got.index.tolist() == expected.index.tolist()
    assert got["value"].to_numpy() == pytest.approx(
        expected["value"].to_numpy(), rel=1e-12
    )
    assert got["lower_95"].to_numpy() == pytest.approx(
        expected["lowercl"].to_numpy(), rel=1e-12
    )
    assert got["upper_95"].to_numpy() == pytest.approx(
        expected["uppercl"].to_numpy(), rel=1e-12
    )
    # one more event moves the value by ref_rate / expected
    assert got["scale"].to_numpy() == pytest.approx(
        (expected["ref_rate"] / expected["expected"]).to_numpy()
    )


def test_a_proportion_has_wilson_limits_and_a_missing_value_at_zero_denominator():
    spec = measures()["day_case_rate_lap_chole"]
    cube = pd.DataFrame(
        {
            "area_code": ["A", "A", "B"],
            "period": "2023/24",
            "sex": ["F", "M", "F"],
            "age_band": "40-44",
            "numerator": [3.0, 4.0, 0.0],
            "denominator": [4.0, 6.0, 0.0],
            "events": [3.0, 4.0, 0.0],
            "bed_days": 0.0,
            "cost_gbp": 0.0,
        }
    )
    got = measure_values(cube, spec).set_index("area_code")
    assert got.loc["A", "value"] == pytest.approx(70.0)  # 7 of 10
    assert got.loc["A", "lower_95"] == pytest.approx(100 * wilson_lower(7, 10, 0.95))
    assert got.loc["A", "upper_95"] == pytest.approx(100 * wilson_upper(7, 10, 0.95))
    assert pd.isna(got.loc["B", "value"])


def test_spend_limits_follow_the_events_behind_the_pounds():
    spec = measures()["outpatient_spend"]
    cube = pd.DataFrame(
        {
            "area_code": ["A", "B"],
            "period": "2023/24",
            "sex": "F",
            "age_band": "40-44",
            "numerator": [10_000.0, 10_000.0],
            "denominator": [1000.0, 1000.0],
            "events": [100.0, 50.0],
            "bed_days": 0.0,
            "cost_gbp": 0.0,
        }
    )
    got = measure_values(cube, spec).set_index("area_code")
    assert got.loc["A", "value"] == pytest.approx(got.loc["B", "value"])
    width = got["upper_95"] - got["lower_95"]
    assert width["B"] > width["A"]  # fewer events, wider interval
