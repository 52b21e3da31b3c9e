"""Platform settings: the only code that reads the environment.

Build one ``Settings`` at the edge (CLI, web app) and pass it down; nothing creates
settings or connections at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

EngineName = Literal["duckdb", "spark"]


def _default_shared_dir() -> Path:
    """``../shared`` beside the project root, where the open data lives."""
    return Path(__file__).resolve().parents[3] / "shared"


class Settings(BaseSettings):
    """Every setting has a default that runs the demo with no configuration."""

    model_config = SettingsConfigDict(env_prefix="TRIPLEAIM_", extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        "development",
        description="Where the platform runs; production refuses unsafe defaults.",
    )
    data_dir: Path = Field(
        Path("var"),
        description="Directory for the DuckDB warehouse, extracts and other local files.",
    )
    shared_dir: Path = Field(
        default_factory=_default_shared_dir,
        description="Directory holding the open data (data/) the synthetic footprint is built on.",
    )
    engine: EngineName = Field(
        "duckdb",
        description="Analytics engine: embedded DuckDB, or Apache Spark for national scale.",
    )
    spark_master: str = Field(
        "local[2]",
        description="Spark master URL used when engine is spark (local mode, or a cluster URL).",
    )
    spark_warehouse_dir: Path | None = Field(
        None,
        description="Parquet directory the Spark engine reads warehouse tables from "
        "(defaults to <data_dir>/parquet).",
    )
    footprint: str = Field(
        "herefordshire_worcestershire",
        description="Footprint the synthetic population is built on (see `tripleaim generate --help`).",
    )
    seed: int = Field(
        20161, description="Seed for the synthetic footprint: same seed, same data."
    )
    scale: float = Field(
        1.0,
        gt=0,
        description="Population scale for the synthetic footprint (1.0 = real size).",
    )
    duckdb_threads: int | None = Field(
        None, description="Threads DuckDB may use (default: all cores)."
    )
    duckdb_memory_limit: str = Field(
        "4GB", description="Memory DuckDB may use before spilling to disk."
    )

    @property
    def warehouse_path(self) -> Path:
        """The embedded DuckDB warehouse file."""
        return self.data_dir / "warehouse.duckdb"

    @property
    def parquet_dir(self) -> Path:
        """Where warehouse tables are exported as Parquet for Spark."""
        return self.spark_warehouse_dir or self.data_dir / "parquet"

    @property
    def open_data_dir(self) -> Path:
        """The real open data folder (``<shared_dir>/data``)."""
        return self.shared_dir / "data"
