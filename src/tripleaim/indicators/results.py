"""Rows of ``indicator_values`` as Arrow, typed by its warehouse schema.

The table is defined in ``warehouse/schema/derived.py``; the indicators capability
writes it whole on each run.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from tripleaim.warehouse.schema.derived import INDICATOR_VALUES

__all__ = ["INDICATOR_VALUES", "LEVEL_NOT_COVERED", "arrow_schema", "to_arrow"]

LEVEL_NOT_COVERED = "level_not_covered"
"""``sii_reason`` of practices and PCNs: the SII is given for places and the system."""

ARROW_TYPES = {
    "string": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
}


def arrow_schema() -> pa.Schema:
    """The Arrow schema of ``indicator_values`` (types and nullability)."""
    return pa.schema(
        [
            pa.field(c.name, ARROW_TYPES[c.type], nullable=c.nullable)
            for c in INDICATOR_VALUES.columns
        ]
    )


def to_arrow(frame: pd.DataFrame) -> pa.Table:
    """``frame`` as an Arrow table with exactly the columns and types of the table."""
    schema = arrow_schema()
    arrays = [
        pa.array(frame[field.name], type=field.type, from_pandas=True)
        for field in schema
    ]
    return pa.Table.from_arrays(arrays, schema=schema)
