"""Building result frames: nullable floats that keep R's NA and NaN apart, and text columns.

Results use pandas' nullable ``Float64`` for computed numbers so that *missing*
(R's ``NA``: not computed, suppressed, or missing input) and *not a number* (R's
``NaN``: an undefined result such as 0/0) stay distinct, as they are in the
reference. ``frame[col].isna()`` is true only for missing cells; use
``numpy.isnan(frame[col].to_numpy(dtype=float, na_value=numpy.nan))`` for both.
Text columns use pandas' default string dtype, built through Arrow in one step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

_STR_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)


def float_column(
    values: npt.ArrayLike, missing: npt.ArrayLike | None = None
) -> pd.api.extensions.ExtensionArray:
    """A nullable float column: ``missing`` cells are NA, NaN cells stay NaN.

    Args:
        values: The numbers (NaN allowed).
        missing: True where the value is *missing* (R's NA) rather than NaN.
    """
    data = np.array(values, dtype=np.float64, copy=True)
    mask = (
        np.zeros(data.shape, dtype=bool)
        if missing is None
        else np.array(missing, dtype=bool, copy=True)
    )
    data[mask] = 0.0
    return pd.arrays.FloatingArray(data, mask)


def text_column(
    codes: npt.ArrayLike, labels: Sequence[str | None]
) -> pd.api.extensions.ExtensionArray:
    """A string column built from integer codes into ``labels`` (``None`` is missing)."""
    table = pa.array(list(labels), type=pa.large_string())
    taken = table.take(pa.array(np.asarray(codes, dtype=np.int64)))
    column: pd.api.extensions.ExtensionArray = pd.array(taken, dtype=_STR_DTYPE)
    return column


def constant_text(label: str | None, n: int) -> pd.api.extensions.ExtensionArray:
    """A string column repeating one label ``n`` times."""
    return text_column(np.zeros(n, dtype=np.int64), [label])


def choose_text(
    conditions: Sequence[npt.ArrayLike],
    labels: Sequence[str | None],
    default: str | None,
) -> pd.api.extensions.ExtensionArray:
    """A string column: the first label whose condition holds, else ``default``."""
    n = len(np.asarray(conditions[0])) if conditions else 0
    codes = np.full(n, len(labels), dtype=np.int64)
    for index in range(len(conditions) - 1, -1, -1):
        codes[np.asarray(conditions[index], dtype=bool)] = index
    return text_column(codes, [*labels, default])


def reason_column(reasons: npt.NDArray[np.object_]) -> pd.api.extensions.ExtensionArray:
    """The ``reason`` column from an object array of codes (``None`` where complete)."""
    values = pa.array(reasons.tolist(), type=pa.large_string())
    column: pd.api.extensions.ExtensionArray = pd.array(values, dtype=_STR_DTYPE)
    return column


def assemble(
    base: pd.DataFrame, columns: Mapping[str, object], *, drop: Sequence[str] = ()
) -> pd.DataFrame:
    """``base`` (kept columns, fresh index) followed by the new ``columns``, in order.

    A new column replaces a ``base`` column of the same name in place, as
    ``dplyr::mutate`` does.
    """
    kept = base.drop(columns=list(drop)).reset_index(drop=True)
    existing: dict[str, object] = {name: kept[name] for name in kept.columns}
    existing.update(columns)
    return pd.DataFrame(existing, copy=False)
