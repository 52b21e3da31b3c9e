"""Turn the generator's arrays into warehouse-typed Arrow tables."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from tripleaim.warehouse.engines.ddl import arrow_schema
from tripleaim.warehouse.schema import table as schema_table
from tripleaim.warehouse.synthetic.calendar import NO_DATE


def dates(days: npt.NDArray[np.signedinteger[Any]]) -> pa.Array:
    """Days since 1970 as an Arrow date column; ``NO_DATE`` is missing."""
    missing = days == NO_DATE
    return pa.array(days.astype(np.int32), type=pa.date32(), mask=missing)


def categorical(
    indices: npt.NDArray[np.signedinteger[Any]], labels: npt.ArrayLike
) -> pa.Array:
    """Strings from an index array and its labels, built in Arrow (fast for millions of rows)."""
    dictionary = pa.array(np.asarray(labels).astype(str), type=pa.string())
    return pa.DictionaryArray.from_arrays(
        pa.array(np.asarray(indices, dtype=np.int32)), dictionary
    ).cast(pa.string())


def arrow(name: str, frame: pd.DataFrame | dict[str, object]) -> pa.Table:
    """Build table ``name`` from columns, cast to the schema's types and column order."""
    schema = arrow_schema(schema_table(name))
    columns = frame if isinstance(frame, dict) else {c: frame[c] for c in frame.columns}
    arrays = []
    for field in schema:
        value = columns[field.name]
        if isinstance(value, pa.Array | pa.ChunkedArray):
            arrays.append(value.cast(field.type))
            continue
        if isinstance(value, np.ndarray) and value.dtype.kind == "U":
            arrays.append(pa.array(value, type=pa.string()))
            continue
        series = pd.Series(value) if not isinstance(value, pd.Series) else value
        if pa.types.is_string(field.type):
            arr = pa.array(series, type=pa.string(), from_pandas=True)
        else:
            arr = pa.array(series, from_pandas=True).cast(field.type)
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, schema=schema)
