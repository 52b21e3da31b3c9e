"""What the CLI and web call: build, load, inspect and export the warehouse.

Each function opens the warehouse named by the settings, does one job and closes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from tripleaim.errors import NotFoundError
from tripleaim.settings import Settings
from tripleaim.warehouse.engines.duckdb import DuckDBEngine, open_connection
from tripleaim.warehouse.queries.coverage import warehouse_coverage
from tripleaim.warehouse.schema import LOADABLE_TABLES, TABLES
from tripleaim.warehouse.synthetic.build import BuildSummary, build_footprint

Progress = Callable[[str], None]


@contextmanager
def warehouse(
    settings: Settings, *, read_only: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """An open connection to the embedded warehouse, closed afterwards."""
    if read_only and not settings.warehouse_path.exists():
        raise NotFoundError(
            f"There is no warehouse at {settings.warehouse_path}; run `tripleaim generate` first."
        )
    con = open_connection(
        settings.warehouse_path,
        read_only=read_only,
        threads=settings.duckdb_threads,
        memory_limit=settings.duckdb_memory_limit,
    )
    try:
        yield con
    finally:
        con.close()


def generate(
    settings: Settings,
    *,
    footprint: str | None = None,
    seed: int | None = None,
    scale: float | None = None,
    progress: Progress | None = None,
) -> BuildSummary:
    """Build the synthetic footprint into the warehouse, replacing what it held."""
    with warehouse(settings) as con:
        return build_footprint(
            con,
            footprint_key=footprint or settings.footprint,
            seed=settings.seed if seed is None else seed,
            scale=settings.scale if scale is None else scale,
            open_data_dir=settings.open_data_dir,
            progress=progress,
        )


@dataclass(frozen=True)
class WarehouseInfo:
    """Build facts, per-table rows and date coverage, and quarantine counts."""

    path: Path
    facts: dict[str, str]
    tables: list[dict[str, Any]]
    quarantine: list[dict[str, Any]]


def info(settings: Settings) -> WarehouseInfo:
    """Summarise the warehouse: what it holds, over which dates, and what was rejected."""
    with warehouse(settings, read_only=True) as con:
        engine = DuckDBEngine(con)
        present = set(engine.list_tables())
        names = [n for n in LOADABLE_TABLES if n in present]
        coverage = engine.execute(
            warehouse_coverage({n: engine.table(n) for n in names})
        )
        by_name = {row["table_name"]: row for row in coverage.to_pylist()}
        tables = [by_name[n] | {"group": TABLES[n].group} for n in names]
        facts = dict(
            con.execute("SELECT key, value FROM build_facts ORDER BY key").fetchall()
        )
        quarantine = [
            {"table_name": t, "reason": r, "rows": n}
            for t, r, n in con.execute(
                "SELECT table_name, reason, count(DISTINCT (batch_id, row_number)) FROM quarantine "
                "GROUP BY ALL ORDER BY 1, 3 DESC"
            ).fetchall()
        ]
    return WarehouseInfo(
        path=settings.warehouse_path, facts=facts, tables=tables, quarantine=quarantine
    )


def export_parquet(settings: Settings, directory: Path | None = None) -> list[Path]:
    """Write every warehouse table as Parquet, for the Spark engine."""
    target = directory or settings.parquet_dir
    with warehouse(settings, read_only=True) as con:
        engine = DuckDBEngine(con)
        present = set(engine.list_tables())
        return engine.export_parquet(target, [n for n in TABLES if n in present])
