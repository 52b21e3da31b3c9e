"""Rows of ``benchmark_peers`` and ``benchmark_opportunities`` as Arrow, typed by their schema."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from tripleaim.warehouse.schema import Table
from tripleaim.warehouse.schema.benchmark import (
    BENCHMARK_OPPORTUNITIES,
    BENCHMARK_PEERS,
)

__all__ = ["BENCHMARK_OPPORTUNITIES", "BENCHMARK_PEERS", "to_arrow"]

_TYPES = {
    "string": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
}


def to_arrow(frame: pd.DataFrame, table: Table) -> pa.Table:
    """``frame`` as an Arrow table with exactly the columns and types of ``table``."""
    fields = [
        pa.field(c.name, _TYPES[c.type], nullable=c.nullable) for c in table.columns
    ]
    arrays = []
    for field in fields:
        column = frame[field.name]
        if pa.types.is_floating(field.type):
            column = column.astype(float).replace(
                [float("inf"), float("-inf")], float("nan")
            )
        arrays.append(pa.array(column, type=field.type, from_pandas=True))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))
