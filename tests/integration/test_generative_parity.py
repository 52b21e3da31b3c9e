"""Generative parity: Hypothesis builds small warehouses; DuckDB and Spark must agree.

Derandomised with a fixed number of examples in CI; widen locally with
``TRIPLEAIM_GENTEST_EXAMPLES=500`` (ehrQL's GENTEST_EXAMPLES habit).
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tripleaim.warehouse import queries as q
from tripleaim.warehouse.engines.ddl import arrow_schema
from tripleaim.warehouse.engines.duckdb import DuckDBEngine
from tripleaim.warehouse.engines.spark import SparkEngine
from tripleaim.warehouse.schema import TABLES

pytestmark = pytest.mark.spark

EXAMPLES = int(os.environ.get("TRIPLEAIM_GENTEST_EXAMPLES", "25"))
AT = date(2023, 3, 1)
DAY0 = date(1915, 1, 1)

dates = st.integers(min_value=0, max_value=40_000).map(
    lambda n: DAY0 + timedelta(days=n)
)
person_rows = st.lists(
    st.tuples(
        st.sampled_from(["F", "M"]),
        dates,
        st.sampled_from(["A81001", "A81002", "B82003"]),
        st.integers(min_value=-5_000, max_value=8_000),
        st.one_of(st.none(), st.integers(min_value=0, max_value=9_000)),
    ),
    min_size=1,
    max_size=40,
)


def _persons(rows: list[tuple[Any, ...]]) -> pa.Table:
    schema = arrow_schema(TABLES["persons"])
    columns: dict[str, list[Any]] = {f.name: [] for f in schema}
    for i, (sex, dob, practice, start_offset, end_offset) in enumerate(rows, start=1):
        start = dob + timedelta(days=abs(start_offset))
        columns["person_id"].append(i)
        columns["sex"].append(sex)
        columns["date_of_birth"].append(dob)
        columns["lsoa_code"].append("E01000001")
        columns["practice_code"].append(practice)
        columns["registration_start"].append(start)
        columns["registration_end"].append(
            None if end_offset is None else start + timedelta(days=end_offset)
        )
        columns["ethnic_group"].append("Z")
    return pa.table(columns, schema=schema)


def _sorted(table: pa.Table) -> list[tuple[Any, ...]]:
    return sorted(
        (tuple(r.values()) for r in table.to_pylist()),
        key=lambda r: tuple((v is not None, str(v)) for v in r),
    )


@pytest.fixture(scope="module")
def engines() -> Any:
    duck = DuckDBEngine.in_memory()
    yield duck, SparkEngine.local()
    duck.close()


GENERATED = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _on_every_engine(engines: Any, rows: list[tuple[Any, ...]], query: Any) -> None:
    """Run ``query(persons)`` on DuckDB and Spark over the same generated table."""
    data = _persons(rows)
    results = []
    for engine in engines:
        engine.create_table("persons", data)
        results.append(_sorted(engine.execute(query(engine.table("persons")))))
    assert results[0] == results[1]


@GENERATED
@given(rows=person_rows)
def test_registered_population_by_practice_sex_and_age_band_agrees_on_every_engine(
    engines: Any, rows: list[tuple[Any, ...]]
) -> None:
    _on_every_engine(
        engines,
        rows,
        lambda t: q.registered_population(
            t, AT, by=("practice_code", "sex", "age_band")
        ),
    )


@GENERATED
@given(rows=person_rows)
def test_ages_and_financial_years_agree_on_every_engine(
    engines: Any, rows: list[tuple[Any, ...]]
) -> None:
    _on_every_engine(
        engines,
        rows,
        lambda t: t.select(
            "person_id",
            age=q.age_at(t.date_of_birth, t.registration_start),
            band=q.age_band(q.age_at(t.date_of_birth, AT)),
            year=q.financial_year(t.registration_start),
        ),
    )
