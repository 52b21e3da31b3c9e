"""The warehouse: one data model of the footprint, its engines, loaders and synthetic data.

The only package that knows DuckDB and Spark. Other packages use this public API.
"""

from __future__ import annotations

from tripleaim.warehouse.engines import ENGINE_NAMES, Engine, connect
from tripleaim.warehouse.schema import LOADABLE_TABLES, TABLES, Column, Table, table
from tripleaim.warehouse.service import (
    WarehouseInfo,
    export_parquet,
    generate,
    info,
    warehouse,
)
from tripleaim.warehouse.synthetic.build import STEPS as BUILD_STEPS
from tripleaim.warehouse.synthetic.build import BuildSummary
from tripleaim.warehouse.synthetic.opendata import footprints

__all__ = [
    "BUILD_STEPS",
    "ENGINE_NAMES",
    "LOADABLE_TABLES",
    "TABLES",
    "BuildSummary",
    "Column",
    "Engine",
    "Table",
    "WarehouseInfo",
    "connect",
    "export_parquet",
    "footprints",
    "generate",
    "info",
    "table",
    "warehouse",
]
