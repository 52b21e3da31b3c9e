"""Every warehouse pipeline gives the same answer on DuckDB and on Spark.

The small seeded footprint is exported to Parquet, registered on a local Spark session,
and each pipeline's result is compared with DuckDB's, row for row.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

import pyarrow as pa
import pytest

from tripleaim import warehouse
from tripleaim.settings import Settings
from tripleaim.warehouse import queries as q
from tripleaim.warehouse.engines.duckdb import DuckDBEngine
from tripleaim.warehouse.engines.spark import SparkEngine

pytestmark = pytest.mark.spark

AT = date(2022, 9, 30)
YEARS = ("2021/22", "2022/23", "2023/24")


def _areas(t: Any) -> Any:
    return q.person_areas(t("persons"), t("organisations"), t("lsoas"))


PIPELINES: dict[str, Callable[[Callable[[str], Any]], Any]] = {
    "registered_population_by_practice": lambda t: q.registered_population(
        t("persons"), AT, by=("practice_code", "sex")
    ),
    "registered_population_by_pcn": lambda t: q.registered_population_by_area(
        t("persons"), t("organisations"), t("lsoas"), AT, level="pcn"
    ),
    "mid_year_population_by_place": lambda t: q.mid_year_population(
        _areas(t), YEARS, by=("place_code",)
    ),
    "inpatient_activity_by_place": lambda t: q.inpatient_activity(
        t("inpatient_spells"), _areas(t), level="place"
    ),
    "emergency_admissions_by_practice_month": lambda t: q.emergency_admissions(
        t("inpatient_spells"), _areas(t), level="practice", period="month"
    ),
    "ae_activity_by_imd_decile": lambda t: q.ae_activity(
        t("ae_attendances"), _areas(t), level="imd_decile", by=("department_type",)
    ),
    "outpatient_activity_by_pcn": lambda t: q.outpatient_activity(
        t("outpatient_appointments"), _areas(t), level="pcn"
    ),
    "deaths_by_resident_place": lambda t: q.death_counts(
        t("deaths"), _areas(t), level="resident_place"
    ),
    "births_by_lad": lambda t: q.birth_counts(t("births"), _areas(t), level="lad"),
    "diabetes_prevalence_by_practice": lambda t: q.recorded_prevalence(
        t("persons"), t("conditions"), "diabetes", AT
    ),
    "coverage": lambda t: q.warehouse_coverage(
        {
            n: t(n)
            for n in ("persons", "inpatient_spells", "ae_attendances", "prescribing")
        }
    ),
}


@pytest.fixture(scope="module")
def engines(small_footprint: Settings, tmp_path_factory: pytest.TempPathFactory) -> Any:
    parquet = tmp_path_factory.mktemp("parquet")
    warehouse.export_parquet(small_footprint, parquet)
    duck = DuckDBEngine.open(small_footprint, read_only=True)
    spark = SparkEngine.local()
    spark.register_parquet(parquet)
    yield duck, spark
    duck.close()


def _rows(table: pa.Table) -> list[tuple[Any, ...]]:
    def norm(
        v: Any,
    ) -> Any:  # floats compared to 12 significant digits (summation order)
        if isinstance(v, float):
            return (
                None if math.isnan(v) else float(f"{v:.12g}")
            )  # sums differ in the last bits
        return v

    rows = [tuple(norm(v) for v in row.values()) for row in table.to_pylist()]
    return sorted(rows, key=lambda r: tuple((x is not None, str(x)) for x in r))


@pytest.mark.parametrize("name", sorted(PIPELINES))
def test_pipeline_gives_identical_results_on_duckdb_and_spark(
    engines: Any, name: str
) -> None:
    duck, spark = engines
    build = PIPELINES[name]
    on_duck = duck.execute(build(duck.table))
    on_spark = spark.execute(build(spark.table))
    assert on_duck.num_rows > 0
    assert on_duck.column_names == on_spark.column_names
    assert _rows(on_duck) == _rows(on_spark)
