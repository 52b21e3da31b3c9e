"""Apache Spark through Ibis: the same pipelines at national scale.

Spark reads the warehouse as Parquet (one file per table, written by
``tripleaim export``); local mode in tests, a cluster URL from settings in production.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ibis

from tripleaim.warehouse.engines.base import Engine

if TYPE_CHECKING:
    import pyarrow as pa

    from tripleaim.settings import Settings


@functools.cache
def spark_session(master: str) -> Any:
    """One Spark session per process: it takes seconds to start."""
    os.environ.setdefault("PYSPARK_PYTHON", "python3")
    from pyspark.sql import SparkSession  # noqa: PLC0415

    session = (
        SparkSession.builder.master(master)
        .appName("tripleaim")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.ansi.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


class SparkEngine(Engine):
    """Ibis over a Spark session with warehouse tables registered as views."""

    name = "spark"

    def __init__(self, session: Any) -> None:
        self.session = session
        self.backend = ibis.pyspark.connect(session)

    @classmethod
    def open(cls, settings: Settings) -> SparkEngine:
        """Connect and register every Parquet table in the settings' Parquet directory."""
        engine = cls(spark_session(settings.spark_master))
        engine.register_parquet(settings.parquet_dir)
        return engine

    @classmethod
    def local(cls, master: str = "local[2]") -> SparkEngine:
        """An engine on a local session with no tables, for spec tests."""
        return cls(spark_session(master))

    @property
    def dialect(self) -> str:
        """Ibis's name for Spark's SQL dialect."""
        return "pyspark"

    def register_parquet(self, directory: Path) -> list[str]:
        """Expose each ``<table>.parquet`` in ``directory`` as a temporary view."""
        names = []
        for path in sorted(Path(directory).glob("*.parquet")):
            self.session.read.parquet(str(path)).createOrReplaceTempView(path.stem)
            names.append(path.stem)
        return names

    def create_table(self, name: str, data: pa.Table) -> None:
        """Replace the view ``name`` with the rows of ``data``."""
        # Spark 4 takes Arrow directly: int columns keep their nulls and timestamps stay
        # wall-clock (the pandas route shifts them by the process's local time zone).
        self.session.createDataFrame(data).createOrReplaceTempView(name)
