"""Platform settings: the only code that reads the environment.

Build one ``Settings`` at the edge (CLI, web app) and pass it down; nothing creates
settings or connections at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

EngineName = Literal["duckdb", "spark"]

PLACEHOLDER_SECRET = "development-only-secret-change-me"  # noqa: S105  (refused in production)


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

    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL of the operational store (users, audit, programme data); "
        "default: a SQLite file in the data directory. PostgreSQL in production, e.g. "
        "postgresql+psycopg://user@host/tripleaim.",
    )
    secret_key: str = Field(
        PLACEHOLDER_SECRET,
        description="Secret that signs session and CSRF tokens; must be set outside development.",
    )
    session_idle_minutes: int = Field(
        30, gt=0, description="Minutes of inactivity after which a session expires."
    )
    session_max_hours: int = Field(
        12,
        gt=0,
        description="Hours after which a session expires however active it is.",
    )
    login_attempts: int = Field(
        5,
        gt=0,
        description="Failed log-ins allowed per account and address in the window.",
    )
    login_window_minutes: int = Field(
        15, gt=0, description="Window for counting failed log-ins (rate limit)."
    )
    disclosure_threshold: int = Field(
        7,
        ge=0,
        description="Published indicator counts from 1 to this are hidden with what "
        "they give away (HES disclosure control); 0 turns it off.",
    )
    host: str = Field("127.0.0.1", description="Address `tripleaim serve` listens on.")
    port: int = Field(8000, description="Port `tripleaim serve` listens on.")
    node_modules_dir: Path = Field(
        Path("node_modules"),
        description="Where npm installed nhsuk-frontend and the chart libraries (served as assets).",
    )

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        """Outside development, the placeholder secret is refused (FastAPI template rule)."""
        if self.environment == "production" and self.secret_key == PLACEHOLDER_SECRET:
            raise ValueError(
                "TRIPLEAIM_SECRET_KEY is the development placeholder; set a long random secret "
                "for production."
            )
        return self

    @property
    def store_url(self) -> str:
        """The operational store's SQLAlchemy URL."""
        return (
            self.database_url
            or f"sqlite:///{(self.data_dir / 'store.sqlite').as_posix()}"
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
