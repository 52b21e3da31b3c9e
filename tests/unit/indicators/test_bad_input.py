"""Bad input gets a clear error naming the area and field, or a documented reason code.

Never a silent NaN: on every fixture input, each missing or not-a-number result
cell sits in a row whose ``reason`` says why.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reference.support import read_fixture
from tripleaim.errors import NotFoundError, UserError
from tripleaim.indicators import (
    DEFAULT_RULE,
    MethodInputError,
    ReasonCode,
    SuppressionRule,
    crude_rates,
    directly_standardised_rates,
    directly_standardised_rates_esp2013,
    funnel_limits,
    indirectly_standardised_ratios,
    life_expectancy,
    means,
    proportions,
    slope_index_of_inequality,
    suppress_small_counts,
)
from tripleaim.indicators.methods.life_expectancy import START_AGES
from tripleaim.indicators.reading import Profiles, area


def _areas(**columns: list[object]) -> pd.DataFrame:
    return pd.DataFrame({"area": ["E06000001", "E06000002"], **columns})


def test_method_input_error_is_a_user_error() -> None:
    assert issubclass(MethodInputError, UserError)


def test_negative_numerator_names_the_area_and_field() -> None:
    frame = _areas(x=[3, -1], n=[10, 10])
    with pytest.raises(
        MethodInputError, match=r"field 'x' is negative .*E06000002"
    ) as err:
        proportions(frame, by=["area"])
    assert err.value.field == "x"
    assert err.value.areas is not None and "E06000002" in err.value.areas


def test_numerator_above_denominator_is_refused_for_a_proportion() -> None:
    frame = _areas(x=[11, 2], n=[10, 10])
    with pytest.raises(
        MethodInputError, match=r"exceeds the denominator 'n'.*E06000001"
    ):
        proportions(frame, by=["area"])


def test_numerator_above_denominator_is_fine_for_a_rate() -> None:
    result = crude_rates(_areas(x=[11, 2], n=[10, 10]), by=["area"])
    assert result["reason"].isna().all()


@pytest.mark.parametrize("method", [proportions, crude_rates])
def test_zero_denominator_names_the_area(method: Callable[..., pd.DataFrame]) -> None:
    with pytest.raises(
        MethodInputError, match=r"field 'n' is zero or negative.*E06000002"
    ):
        method(_areas(x=[1, 0], n=[10, 0]), by=["area"])


def test_zero_population_band_is_refused_by_a_dsr() -> None:
    frame = pd.DataFrame({"area": ["A"] * 19, "x": [5] * 19, "n": [100] * 18 + [0]})
    with pytest.raises(
        MethodInputError, match=r"field 'n' is zero or negative.*area='A'"
    ):
        directly_standardised_rates_esp2013(frame, by=["area"])


def test_missing_age_band_is_named_with_its_area() -> None:
    labels = [
        "0-4",
        "5-9",
        "10-14",
        "15-19",
        "20-24",
        "25-29",
        "30-34",
        "35-39",
        "40-44",
    ]
    labels += ["45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84"]
    labels += ["85-89", "90+"]
    rows = [("A", band) for band in labels] + [
        ("B", band) for band in labels if band != "90+"
    ]
    frame = pd.DataFrame(rows, columns=["area", "ageband"]).assign(x=4, n=1000)
    with pytest.raises(MethodInputError, match=r"area='B' missing \['90\+'\]"):
        directly_standardised_rates_esp2013(frame, by=["area"], ageband="ageband")


def test_under_75_dsr_needs_only_the_listed_bands() -> None:
    bands = ["0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39"]
    bands += ["40-44", "45-49", "50-54", "55-59", "60-64", "65-69", "70-74"]
    frame = pd.DataFrame({"ageband": bands, "x": 4, "n": 1000})
    result = directly_standardised_rates_esp2013(frame, ageband="ageband", bands=bands)
    assert float(result["value"].iloc[0]) == pytest.approx(400.0)


def test_dsr_by_position_needs_19_bands_per_area() -> None:
    with pytest.raises(MethodInputError, match="exactly 19 age bands"):
        directly_standardised_rates_esp2013(
            pd.DataFrame({"x": [1] * 18, "n": [9] * 18})
        )


def test_negative_population_is_refused_by_an_isr() -> None:
    frame = pd.DataFrame({"x": [1, 2], "n": [5, -5], "x_ref": [1, 1], "n_ref": [9, 9]})
    with pytest.raises(MethodInputError, match="field 'n' is negative"):
        indirectly_standardised_ratios(frame)


def test_missing_population_is_refused_by_a_dsr() -> None:
    frame = pd.DataFrame({"x": [1, 2], "n": [5.0, np.nan], "stdpop": [1, 1]})
    with pytest.raises(MethodInputError, match="field 'n' is missing"):
        directly_standardised_rates(frame)


DEATHS = [20.0, 2, 1, 1, 2, 3, 4, 5, 8, 12, 18, 25, 40, 60, 90, 140, 220, 330, 450, 600]


def _life_table_rows(area: str, deaths: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {"area": area, "startage": START_AGES, "deaths": deaths, "pops": 5_000.0}
    )


def test_life_expectancy_suppresses_an_area_with_negative_deaths_and_says_why() -> None:
    good = _life_table_rows("A", DEATHS)
    bad = _life_table_rows("B", [*DEATHS[:19], -1.0])
    result = life_expectancy(pd.concat([good, bad]), by=["area"])
    assert (result.loc[result["area"] == "B", "reason"] == "negative_deaths").all()
    assert result.loc[result["area"] == "B", "value"].isna().all()
    assert result.loc[result["area"] == "A", "value"].notna().all()


def test_life_expectancy_refuses_missing_deaths() -> None:
    frame = _life_table_rows("A", [*DEATHS[:19], np.nan])
    with pytest.raises(MethodInputError, match=r"field 'deaths' is missing.*area='A'"):
        life_expectancy(frame, by=["area"])


def test_sii_refuses_too_few_quantiles_and_bad_populations() -> None:
    frame = pd.DataFrame({"quantile": [1, 2, 3], "population": [10, 10, 10]})
    frame = frame.assign(value=[1.0, 2.0, 3.0], se=[0.1, 0.1, 0.1])
    with pytest.raises(MethodInputError, match="3 quantiles found"):
        slope_index_of_inequality(frame, value="value", se="se", seed=1)
    zero = pd.DataFrame({"quantile": range(1, 6), "population": [10, 0, 10, 10, 10]})
    zero = zero.assign(value=1.0, se=0.1)
    with pytest.raises(MethodInputError, match="field 'population' is zero"):
        slope_index_of_inequality(zero, value="value", se="se", seed=1)


def test_funnels_refuse_missing_numerators() -> None:
    frame = pd.DataFrame({"x": [1.0, np.nan], "n": [10, 10]})
    with pytest.raises(MethodInputError, match="field 'x' is missing"):
        funnel_limits(frame, "x", "n", statistic="proportion", multiplier=100)


@pytest.mark.parametrize("confidence", [0.5, 1.5, (0.9, 0.95), (0.95, 0.998, 0.999)])
def test_unsupported_confidence_levels_are_refused(confidence: object) -> None:
    with pytest.raises(MethodInputError, match="confidence"):
        proportions(_areas(x=[1, 2], n=[10, 10]), confidence=confidence)  # type: ignore[arg-type]


def test_missing_grouping_key_is_refused() -> None:
    frame = pd.DataFrame({"area": ["A", None], "x": [1, 2], "n": [5, 5]})
    with pytest.raises(
        MethodInputError, match="grouping column 'area' has missing values"
    ):
        crude_rates(frame, by=["area"])


def test_default_suppression_hides_one_to_seven_and_what_is_built_on_them() -> None:
    frame = proportions(pd.DataFrame({"x": [0, 1, 7, 8], "n": [50, 50, 50, 50]}))
    shown = suppress_small_counts(
        frame, counts=["x"], values=["value", "lowercl", "uppercl"]
    )
    hidden = shown["x"].isna().tolist()
    assert hidden == [False, True, True, False]
    assert shown.loc[hidden, ["value", "lowercl", "uppercl"]].isna().all().all()
    assert shown["reason"].tolist()[1:3] == ["small_count", "small_count"]
    assert (
        SuppressionRule(threshold=7, suppress_zero=False, round_to=None) == DEFAULT_RULE
    )


def test_suppression_is_configurable() -> None:
    frame = crude_rates(pd.DataFrame({"x": [0, 4, 6, 12], "n": [900, 900, 900, 900]}))
    rule = SuppressionRule(threshold=5, suppress_zero=True, round_to=5)
    shown = suppress_small_counts(frame, counts=["x"], values=["value"], rule=rule)
    assert shown["x"].isna().tolist() == [True, True, False, False]
    assert shown["x"].tolist()[2:] == [5.0, 10.0]


def test_suppression_refuses_negative_counts() -> None:
    with pytest.raises(MethodInputError, match="negative counts"):
        suppress_small_counts(pd.DataFrame({"x": [-1]}), counts=["x"])


def _run(name: str) -> pd.DataFrame:
    by = ["group", "case_kind"]
    if name == "proportions":
        return proportions(read_fixture("phe_proportion_input.csv").frame())
    if name == "crude_rates":
        return crude_rates(read_fixture("phe_rate_input.csv").frame())
    if name == "dsr":
        return directly_standardised_rates(
            read_fixture("calculate_dsr_input.csv").frame(), by=by
        )
    if name == "isr":
        data = read_fixture("isr_input.csv").frame()
        return indirectly_standardised_ratios(data, by=["area", "case_kind"])
    if name == "means":
        return means(read_fixture("phe_mean_input.csv").frame(), by=by)
    data = read_fixture("phe_life_expectancy_input.csv").frame().drop(columns="ageband")
    return life_expectancy(
        data.assign(startage=data["startage"].astype(int)), by=["area"]
    )


@pytest.mark.parametrize(
    "method", ["proportions", "crude_rates", "dsr", "isr", "means", "life_expectancy"]
)
def test_no_result_is_missing_or_nan_without_a_reason(method: str) -> None:
    result = _run(method)
    numeric = [
        c for c in result.columns if isinstance(result[c].dtype, pd.Float64Dtype)
    ]
    blank = np.zeros(len(result), dtype=bool)
    for column in numeric:
        blank |= np.isnan(result[column].to_numpy(dtype=np.float64, na_value=np.nan))
    reasons = result["reason"]
    assert blank.any()
    assert reasons[blank].notna().all(), result[blank & reasons.isna().to_numpy()]
    assert set(reasons.dropna()) <= {code.value for code in ReasonCode}


def _bands(area: str, x: int = 4, n: int = 1000) -> pd.DataFrame:
    return pd.DataFrame({"area": area, "band": range(19), "x": x, "n": n})


NEGATIVE_COUNT_CALLS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "proportions": lambda d: proportions(d, by=["area"]),
    "crude_rates": lambda d: crude_rates(d, by=["area"]),
    "dsr": lambda d: directly_standardised_rates_esp2013(d, by=["area"]),
    "isr": lambda d: indirectly_standardised_ratios(
        d.assign(x_ref=3, n_ref=900), by=["area"]
    ),
}


@pytest.mark.parametrize("method", list(NEGATIVE_COUNT_CALLS))
def test_a_negative_count_is_refused_naming_the_field_and_the_area(
    method: str,
) -> None:
    frame = pd.concat([_bands("E06000001"), _bands("E06000002")], ignore_index=True)
    frame.loc[len(frame) - 1, "x"] = -2
    with pytest.raises(MethodInputError, match=r"field 'x' is negative") as err:
        NEGATIVE_COUNT_CALLS[method](frame)
    assert "E06000002" in str(err.value)
    assert "E06000001" not in str(err.value)


def test_life_expectancy_with_a_missing_age_band_says_why() -> None:
    complete = _life_table_rows("A", DEATHS)
    short = _life_table_rows("B", DEATHS).iloc[:-1]
    result = life_expectancy(pd.concat([complete, short]), by=["area"])
    b = result[result["area"] == "B"]
    assert (b["reason"] == "wrong_age_bands").all()
    assert b["value"].isna().all()
    assert result.loc[result["area"] == "A", "reason"].isna().all()


def test_life_expectancy_with_a_zero_population_band_says_why() -> None:
    zero = _life_table_rows("A", DEATHS)
    zero.loc[zero["startage"] == 40, "pops"] = 0.0
    result = life_expectancy(zero, by=["area"])
    assert (result["reason"] == "population_not_positive").all()
    assert result["value"].isna().all()


def test_a_zero_population_in_an_isr_band_is_not_a_silent_nan() -> None:
    frame = _bands("A").assign(x_ref=3, n_ref=900)
    frame["n"] = 0
    frame["x"] = 0
    result = indirectly_standardised_ratios(frame, by=["area"])
    assert result["reason"].tolist() == ["expected_zero"]


def test_an_unknown_area_is_a_not_found_error_naming_it() -> None:
    areas = pd.DataFrame(
        {"area_level": ["icb"], "area_code": ["QHM"], "area_name": ["System"]}
    )
    profiles = Profiles(values=pd.DataFrame(), areas=areas, periods=("2023/24",))
    assert area(profiles, "icb", "QHM")["area_name"] == "System"
    with pytest.raises(NotFoundError, match=r"no system 'QZZ' in the footprint"):
        area(profiles, "icb", "QZZ")
    with pytest.raises(NotFoundError, match=r"no area level 'ward'"):
        area(profiles, "ward", "QHM")


def _missing_without_reason(result: pd.DataFrame) -> pd.DataFrame:
    """Rows with a NA or NaN number and no reason: must always be empty."""
    numeric = [
        c for c in result.columns if isinstance(result[c].dtype, pd.Float64Dtype)
    ]
    blank = np.zeros(len(result), dtype=bool)
    for column in numeric:
        blank |= np.isnan(result[column].to_numpy(dtype=np.float64, na_value=np.nan))
    return result[blank & result["reason"].isna().to_numpy()]


cells = st.one_of(st.just(np.nan), st.integers(min_value=0, max_value=60).map(float))


@settings(derandomize=True, max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(cells, st.integers(min_value=1, max_value=200)),
        min_size=1,
        max_size=12,
    )
)
def test_no_silent_nan_on_generated_input(rows: list[tuple[float, int]]) -> None:
    frame = pd.DataFrame(rows, columns=["x", "n"])
    frame["x"] = np.minimum(frame["x"], frame["n"])
    frame["area"] = [f"E{i % 3}" for i in range(len(frame))]
    for result in (
        proportions(frame, confidence=(0.95, 0.998)),
        crude_rates(frame, confidence=(0.95, 0.998)),
        proportions(frame, by=["area"]),
        crude_rates(frame, by=["area"]),
    ):
        assert _missing_without_reason(result).empty, result
