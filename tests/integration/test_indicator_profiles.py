"""Indicator profiles on the seeded footprint, end to end.

``compute_profiles`` counts on the engine, applies the methods and writes
``indicator_values`` to the warehouse. On the small footprint (scale 0.02) the
table must hold every definition for every area level and year, with comparisons
that agree with the confidence limits, excess counts that add up from practices to
the system, and the same aggregates on DuckDB and Spark. On the real-size footprint
every definition must have a value for the system and each place in every year.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tripleaim import warehouse
from tripleaim.indicators.aggregates import compute_aggregates, financial_years
from tripleaim.indicators.catalogue import definitions
from tripleaim.indicators.comparisons import compare
from tripleaim.indicators.profiles import profiles
from tripleaim.indicators.results import INDICATOR_VALUES, arrow_schema, to_arrow
from tripleaim.indicators.service import ProfileSummary, compute_profiles
from tripleaim.settings import Settings
from tripleaim.warehouse.engines.duckdb import DuckDBEngine
from tripleaim.warehouse.engines.spark import SparkEngine

LEVELS = ("practice", "pcn", "place", "icb")
REL = 1e-9


def _copy(footprint: Settings, target: Path) -> Settings:
    """A private copy of a footprint's warehouse, so writing to it disturbs no one."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(footprint.warehouse_path, target / footprint.warehouse_path.name)
    return footprint.model_copy(update={"data_dir": target})


def _read(settings: Settings) -> pd.DataFrame:
    engine = DuckDBEngine.open(settings, read_only=True)
    try:
        return engine.execute(engine.table(INDICATOR_VALUES.name)).to_pandas()
    finally:
        engine.close()


@pytest.fixture(scope="module")
def profiled(
    small_footprint: Settings, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Settings, ProfileSummary]:
    settings = _copy(small_footprint, tmp_path_factory.mktemp("profiles"))
    return settings, compute_profiles(settings)


@pytest.fixture(scope="module")
def values(profiled) -> pd.DataFrame:
    return _read(profiled[0])


def test_the_summary_counts_every_definition_and_year(profiled, values) -> None:
    _, summary = profiled
    assert summary.indicators == len(definitions())
    assert summary.periods == ("2021/22", "2022/23", "2023/24")
    assert summary.rows == len(values)


def test_the_table_has_the_documented_columns_and_types(profiled) -> None:
    engine = DuckDBEngine.open(profiled[0], read_only=True)
    try:
        schema = engine.execute(engine.table(INDICATOR_VALUES.name).limit(1)).schema
    finally:
        engine.close()
    expected = arrow_schema()
    assert schema.names == expected.names
    assert [f.type for f in schema] == [f.type for f in expected]


def test_every_definition_has_rows_for_every_level_and_year(values) -> None:
    found = values.groupby("indicator_id")[["area_level", "period"]].apply(
        lambda rows: set(zip(rows["area_level"], rows["period"], strict=True))
    )
    every = {
        (level, period) for level in LEVELS for period in values["period"].unique()
    }
    assert set(found.index) == set(definitions())
    assert all(cells == every for cells in found)
    per_year = values.groupby(["indicator_id", "area_level", "period"]).size()
    assert (per_year.xs("icb", level="area_level") == 1).all()
    assert (per_year.xs("place", level="area_level") == 2).all()


def test_a_missing_value_always_says_why(values) -> None:
    missing = values[values["value"].isna()]
    assert missing["value_reason"].notna().all()
    assert set(missing["value_reason"]) <= {
        "total_count_below_10",
        "population_not_positive",
        "total_population_5000_or_less",
        "deaths_exceed_population",
        "ci_wider_than_20_years",
        "no_deaths_in_final_band",
    }
    missing_sii = values[values["sii"].isna()]
    assert missing_sii["sii_reason"].notna().all()


def test_comparisons_agree_with_the_confidence_limits_and_polarity(values) -> None:
    polarity = values["indicator_id"].map(
        {i: s.polarity for i, s in definitions().items()}
    )
    for level in ("95", "99_8"):
        for name, rows in values.groupby(polarity):
            expected = compare(
                rows[f"lower_{level}"],
                rows[f"upper_{level}"],
                rows["benchmark_value"],
                name,
            )
            itself = (rows["area_code"] == rows["benchmark_code"]).to_numpy()
            expected[itself] = "not_compared"
            assert rows[f"compared_{level}"].tolist() == expected.tolist()
    similar = values[values["compared_95"] == "similar"]
    assert (similar["lower_95"] <= similar["benchmark_value"]).all()
    assert (similar["benchmark_value"] <= similar["upper_95"]).all()
    assert set(values["compared_95"]) >= {"similar", "not_compared"}


def test_excess_is_observed_less_expected_and_practices_add_up_to_the_system(
    values,
) -> None:
    assert np.allclose(
        values["excess"], values["numerator"] - values["expected"], rtol=REL, atol=1e-6
    )
    sums = values.groupby(["indicator_id", "period", "area_level"])[
        ["numerator", "expected", "excess"]
    ].sum()
    practices = sums.xs("practice", level="area_level")
    system = sums.xs("icb", level="area_level")
    for column in ("numerator", "expected", "excess"):
        assert np.allclose(practices[column], system[column], rtol=REL, atol=1e-6), (
            column
        )
    benchmark_is_system = values["benchmark"] == "system"
    own = values[benchmark_is_system & (values["area_level"] == "icb")]
    assert np.allclose(own["expected"], own["numerator"], rtol=REL)


def test_ranks_run_from_one_to_the_number_of_areas_with_a_value(values) -> None:
    ranked = values[values["rank"].notna()]
    assert (ranked["rank"] >= 1).all()
    assert (ranked["rank"] <= ranked["rank_of"]).all()
    with_value = values.groupby(["indicator_id", "area_level", "period"])[
        "value"
    ].count()
    rank_of = ranked.groupby(["indicator_id", "area_level", "period"])["rank_of"].max()
    assert (rank_of == with_value.loc[rank_of.index]).all()


def test_places_rank_among_upper_tier_authorities_and_the_system_among_icbs(
    values,
) -> None:
    national = {i for i, s in definitions().items() if s.national is not None}
    ranked = values[values["national_rank"].notna()]
    assert set(ranked["indicator_id"]) <= national
    assert set(ranked["area_level"]) == {"place", "icb"}
    of = ranked.groupby("area_level")["national_rank_of"].max()
    assert of["place"] <= 152
    assert of["icb"] <= 42
    assert (
        values.loc[values["area_level"].isin(["practice", "pcn"]), "national_rank"]
        .isna()
        .all()
    )


def test_a_trend_needs_three_years_so_only_the_latest_has_one(values) -> None:
    latest = values["period"] == values["period"].max()
    assert (values.loc[~latest, "trend"] == "cannot_be_calculated").all()
    assert {"no_significant_change", "increasing"} <= set(values.loc[latest, "trend"])


def test_the_inequality_gap_is_given_for_places_and_the_system(values) -> None:
    small = values["area_level"].isin(["practice", "pcn"])
    assert values.loc[small, "sii"].isna().all()
    assert (values.loc[small, "sii_reason"] == "level_not_covered").all()
    covered = values[~small & values["sii"].notna()]
    assert set(covered["sii_quantiles"]) <= {5, 10}
    assert len(covered) > 0


@pytest.mark.spark
def test_duckdb_and_spark_count_the_same_aggregates_and_give_the_same_profiles(
    small_footprint: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    parquet = tmp_path_factory.mktemp("indicator_parquet")
    warehouse.export_parquet(small_footprint, parquet)
    specs = list(definitions().values())
    duck = DuckDBEngine.open(small_footprint, read_only=True)
    try:
        years = financial_years(duck)
        expected = compute_aggregates(duck, specs, years)
    finally:
        duck.close()
    spark = SparkEngine.local()
    spark.register_parquet(parquet)
    actual = compute_aggregates(spark, specs, years)
    pd.testing.assert_frame_equal(actual.areas, expected.areas)
    assert actual.cubes.keys() == expected.cubes.keys()
    for source, cube in expected.cubes.items():
        keys = [c for c in ("area_id", "year", "imd_decile", "age") if c in cube]
        pd.testing.assert_frame_equal(
            actual.cubes[source].sort_values(keys, ignore_index=True),
            cube.sort_values(keys, ignore_index=True),
            obj=source,
        )
    assert actual.national is not None
    assert expected.national is not None
    keys = ["nat_id", "year", "sex", "age"]
    pd.testing.assert_frame_equal(
        actual.national.sort_values(keys, ignore_index=True),
        expected.national.sort_values(keys, ignore_index=True),
    )
    # Costs are sums of floats, which the engines may add in different orders.
    pd.testing.assert_frame_equal(
        to_arrow(profiles(actual, specs)).to_pandas(),
        to_arrow(profiles(expected, specs)).to_pandas(),
        rtol=REL,
    )


@pytest.mark.slow
def test_at_real_size_every_definition_has_a_value_for_the_system_and_places(
    full_footprint: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    settings = _copy(full_footprint, tmp_path_factory.mktemp("profiles_full"))
    compute_profiles(settings)
    values = _read(settings)
    large = values[values["area_level"].isin(["place", "icb"])]
    counted = large.groupby(["indicator_id", "area_level", "period"])["value"].count()
    assert len(counted) == len(definitions()) * 2 * 3
    assert (counted.xs("icb", level="area_level") == 1).all()
    assert (counted.xs("place", level="area_level") >= 1).all()
