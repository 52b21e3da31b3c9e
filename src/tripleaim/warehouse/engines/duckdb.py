"""DuckDB: the embedded analytics engine, one file in the data directory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import ibis

from tripleaim.warehouse.engines.base import Engine
from tripleaim.warehouse.engines.ddl import all_create_statements

if TYPE_CHECKING:
    import pyarrow as pa

    from tripleaim.settings import Settings


def open_connection(
    path: Path | str,
    *,
    read_only: bool = False,
    threads: int | None = None,
    memory_limit: str = "4GB",
) -> duckdb.DuckDBPyConnection:
    """A raw DuckDB connection with the warehouse tables created (unless read-only)."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": memory_limit
    }
    if threads:
        config["threads"] = threads
    con = duckdb.connect(str(path), read_only=read_only, config=config)
    if not read_only:
        for statement in all_create_statements():
            con.execute(statement)
    return con


class DuckDBEngine(Engine):
    """Ibis over one DuckDB connection."""

    name = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.backend = ibis.duckdb.from_connection(con)

    @classmethod
    def open(cls, settings: Settings, *, read_only: bool = False) -> DuckDBEngine:
        """Open the warehouse file named by ``settings``."""
        return cls(
            open_connection(
                settings.warehouse_path,
                read_only=read_only,
                threads=settings.duckdb_threads,
                memory_limit=settings.duckdb_memory_limit,
            )
        )

    @classmethod
    def in_memory(cls) -> DuckDBEngine:
        """An empty in-memory warehouse, for spec tests."""
        return cls(open_connection(":memory:"))

    def list_tables(self) -> list[str]:
        """Table names, read directly: ibis 12 calls ``fetch_arrow_table()``, gone in duckdb 2."""
        rows = self.con.execute(
            "SELECT DISTINCT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
        return sorted(row[0] for row in rows)

    @property
    def dialect(self) -> str:
        """DuckDB's sqlglot dialect."""
        return "duckdb"

    def create_table(self, name: str, data: pa.Table) -> None:
        """Replace ``name`` with the rows of ``data``."""
        self.con.register("_tripleaim_incoming", data)
        try:
            self.con.execute(
                f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _tripleaim_incoming'
            )
        finally:
            self.con.unregister("_tripleaim_incoming")

    def export_parquet(self, directory: Path, tables: list[str]) -> list[Path]:
        """Write each table to ``directory/<table>.parquet`` for the Spark engine."""
        directory.mkdir(parents=True, exist_ok=True)
        paths = []
        for name in tables:
            target = directory / f"{name}.parquet"
            self.con.execute(
                f"COPY \"{name}\" TO '{target.as_posix()}' (FORMAT parquet, COMPRESSION zstd)"
            )
            paths.append(target)
        return paths

    def close(self) -> None:
        """Close the DuckDB connection."""
        self.con.close()
