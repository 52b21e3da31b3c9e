"""Spec tests: every warehouse query on every engine, against one literal expected result.

Modelled on ehrQL's ``tests/spec``: inputs are small pipe-separated tables typed by
the warehouse schema, the expected result is a literal with its arithmetic visible,
and the ``spec_test`` fixture runs each test on every engine in ``ENGINE_NAMES`` in two
modes: ``execute`` (run the query, compare the rows) and ``sql`` (compile the query
to the engine's SQL without data).

A known engine gap is marked, not skipped (as in Ibis's backend tests)::

    @pytest.mark.notimpl(["spark"], raises=EngineNotSupportedError)

The test is then expected to fail on that engine with that error; when the gap is
fixed it passes and turns red (``xfail_strict``) until the marker goes. A marker
naming an engine not in ``ENGINE_NAMES`` stops the run at collection.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pytest

from tripleaim.errors import EngineNotSupportedError
from tripleaim.warehouse.engines import ENGINE_NAMES, Engine
from tripleaim.warehouse.engines.ddl import arrow_schema
from tripleaim.warehouse.schema import TABLES

SPEC_DIR = Path(__file__).resolve().parent
MODES = ("execute", "sql")

WARNING_FILTERS = (
    # ibis 12's DuckDB backend calls duckdb 2's deprecated fetch_arrow_table().
    r"ignore:fetch_arrow_table\(\) is deprecated:DeprecationWarning",
    # ibis 12 converts Spark results through pandas and reads pandas 3's deprecated
    # future.infer_string option.
    r"ignore:The 'future.infer_string' option is deprecated:DeprecationWarning",
)

Expected = list[dict[str, Any]] | dict[Any, Any]
Query = Callable[[SimpleNamespace], ir.Expr]


# --- collection: warning filters and the notimpl marker ---------------------------


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Add the warning filters and turn ``notimpl`` markers into strict xfails."""
    for item in items:
        if SPEC_DIR not in item.path.resolve().parents:
            continue
        for spec in WARNING_FILTERS:
            item.add_marker(pytest.mark.filterwarnings(spec))
        callspec = getattr(item, "callspec", None)
        engine = callspec.params.get("engine") if callspec else None
        for marker in item.iter_markers("notimpl"):
            engines, raises = _notimpl_arguments(item, marker)
            if engine in engines:
                item.add_marker(
                    pytest.mark.xfail(
                        raises=raises,
                        strict=True,
                        reason=f"{engine} cannot run this (engines/gaps.py)",
                    )
                )


def _notimpl_arguments(
    item: pytest.Item, marker: pytest.Mark
) -> tuple[Sequence[str], type[BaseException]]:
    """The engines and error of a ``notimpl`` marker, refusing unknown engine names."""
    if len(marker.args) != 1 or isinstance(marker.args[0], str):
        raise pytest.UsageError(
            f"{item.nodeid}: write notimpl with a list of engines, "
            'for example @pytest.mark.notimpl(["spark"], raises=EngineNotSupportedError).'
        )
    engines = marker.args[0]
    unknown = [name for name in engines if name not in ENGINE_NAMES]
    if unknown:
        raise pytest.UsageError(
            f"{item.nodeid}: notimpl names unknown engine(s) {', '.join(unknown)}; "
            f"engines are {', '.join(ENGINE_NAMES)}."
        )
    return engines, marker.kwargs.get("raises", EngineNotSupportedError)


# --- engines ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def spark_engine() -> Engine:
    """One local Spark session for the whole run: it takes seconds to start."""
    from tripleaim.warehouse.engines.spark import SparkEngine

    return SparkEngine.local()


@pytest.fixture(
    params=[
        pytest.param(
            name, id=name, marks=[pytest.mark.spark] if name == "spark" else []
        )
        for name in ENGINE_NAMES
    ]
)
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """Each engine in turn: a fresh in-memory DuckDB, or the shared Spark session."""
    if request.param == "duckdb":
        from tripleaim.warehouse.engines.duckdb import DuckDBEngine

        duckdb_engine = DuckDBEngine.in_memory()
        yield duckdb_engine
        duckdb_engine.close()
        return
    spark: Any = request.getfixturevalue("spark_engine")
    before = set(spark.list_tables())
    yield spark
    for name in set(spark.list_tables()) - before:
        spark.session.catalog.dropTempView(name)


# --- input tables -----------------------------------------------------------------


def parse_table(name: str, text: str) -> pa.Table:
    """A pipe-separated table as Arrow, typed by the schema of warehouse table ``name``.

    Only the columns given appear; an empty cell is null.
    """
    lines = [
        line for line in textwrap.dedent(text).strip().splitlines() if line.strip()
    ]
    header = _cells(lines[0])
    schema = arrow_schema(TABLES[name])
    unknown = [column for column in header if column not in schema.names]
    if unknown:
        raise ValueError(f"{name} has no column(s) {', '.join(unknown)}")
    rows = [_cells(line) for line in lines[1:]]
    for number, row in enumerate(rows, start=1):
        if len(row) != len(header):
            raise ValueError(
                f"{name} row {number} has {len(row)} cells, not {len(header)}"
            )
    columns = {}
    for index, column in enumerate(header):
        kind = TABLES[name].column(column).type
        values = [_parse(kind, row[index]) for row in rows]
        columns[column] = pa.array(values, type=schema.field(column).type)
    return pa.table(columns)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("|")]


def _parse(kind: str, cell: str) -> Any:
    if cell == "":
        return None
    parsers: dict[str, Callable[[str], Any]] = {
        "string": str,
        "int": int,
        "float": float,
        "date": date.fromisoformat,
        "timestamp": datetime.fromisoformat,
        "bool": _parse_bool,
    }
    return parsers[kind](cell)


def _parse_bool(cell: str) -> bool:
    value = {"t": True, "true": True, "f": False, "false": False}.get(cell.lower())
    if value is None:
        raise ValueError(f"{cell!r} is not a boolean; write T or F")
    return value


# --- results ----------------------------------------------------------------------


def _same(actual: Any, expected: Any, tolerance: float) -> bool:
    """Equal and of the same Python type; floats within ``tolerance`` (absolute)."""
    if expected is None or actual is None:
        return actual is expected
    if type(actual) is not type(expected):
        return False
    if isinstance(expected, float):
        return math.isclose(actual, expected, rel_tol=0.0, abs_tol=tolerance)
    return bool(actual == expected)


def _sort_key(values: Sequence[Any]) -> tuple[tuple[bool, Any], ...]:
    """Rows sort by each value in turn, nulls first (engines return rows in any order)."""
    return tuple((value is not None, value) for value in values)


def assert_result(actual: pa.Table, expected: Expected, tolerance: float) -> None:
    """Compare an engine's result to the literal ``expected``.

    ``expected`` is a list of rows (dicts keyed by column), or a dict from the first
    column's value to the second's for a two-column result.
    """
    rows = actual.to_pylist()
    if isinstance(expected, dict):
        assert actual.num_columns == 2, (
            f"a dict expects 2 columns, got {actual.column_names}"
        )
        key, value = actual.column_names
        keys = [row[key] for row in rows]
        assert len(set(keys)) == len(keys), f"duplicate {key} values in {keys}"
        got = [(row[key], row[value]) for row in rows]
        want = list(expected.items())
        columns = [key, value]
    else:
        columns = actual.column_names
        for row in expected:
            assert sorted(row) == sorted(columns), (
                f"expected {sorted(row)}, got {columns}"
            )
        got = [tuple(row[c] for c in columns) for row in rows]
        want = [tuple(row[c] for c in columns) for row in expected]
    got, want = sorted(got, key=_sort_key), sorted(want, key=_sort_key)
    matches = len(got) == len(want) and all(
        _same(a, e, tolerance)
        for g, w in zip(got, want, strict=True)
        for a, e in zip(g, w, strict=True)
    )
    if not matches:
        pytest.fail(
            f"result differs (columns {columns}, tolerance {tolerance}):\n"
            f"  got      {got}\n  expected {want}",
            pytrace=False,
        )


# --- the fixture ------------------------------------------------------------------


@pytest.fixture(params=MODES)
def spec_mode(request: pytest.FixtureRequest) -> str:
    """``execute`` runs the query; ``sql`` compiles it to the engine's SQL."""
    return str(request.param)


@pytest.fixture
def spec_test(engine: Engine, spec_mode: str) -> Callable[..., None]:
    """Run a query over small input tables on one engine and check the result.

    Call as ``spec_test(tables, query, expected, tolerance=...)``: ``tables`` maps
    warehouse table names to pipe-separated text, ``query`` takes a namespace of
    those tables (``t.persons``) and returns an Ibis expression, ``expected`` is the
    literal result and ``tolerance`` the absolute tolerance for floats (exact when 0).
    ``requires`` names operations listed in ``engines/gaps.py`` that the query needs:
    an engine with that gap raises ``EngineNotSupportedError`` before any work.
    """

    def run(
        tables: Mapping[str, str],
        query: Query,
        expected: Expected,
        *,
        tolerance: float = 0.0,
        requires: Sequence[str] = (),
    ) -> None:
        for operation in requires:
            engine.require(operation)
        data = {name: parse_table(name, text) for name, text in tables.items()}
        if spec_mode == "sql":
            unbound = {
                name: ibis.table(ibis.Schema.from_pyarrow(table.schema), name=name)
                for name, table in data.items()
            }
            sql = engine.to_sql(_as_table(query(SimpleNamespace(**unbound))))
            assert sql.lstrip().upper().startswith(("SELECT", "WITH")), sql
            return
        for name, table in data.items():
            engine.create_table(name, table)
        bound = {name: engine.table(name) for name in data}
        result = engine.execute(_as_table(query(SimpleNamespace(**bound))))
        assert_result(result, expected, tolerance)

    return run


def _as_table(expr: ir.Expr) -> ir.Table:
    return expr if isinstance(expr, ir.Table) else expr.as_table()
