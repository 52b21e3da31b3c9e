"""Segmented array arithmetic: means and runs over contiguous groups of rows.

An XmR chart is computed for many KPIs at once by sorting the rows by KPI, rebase
group and date, so that every group is a contiguous slice. These helpers work on
that layout with whole-array numpy operations (no loop over groups).

References:
    R Core Team. R 4.2.2 ``src/main/summary.c`` (``mean``: a long double sum, divided
    by n, then one correction pass). https://svn.r-project.org/R/tags/R-4-2-2/
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Scalar = TypeVar("Scalar", bound=np.generic)


def r_mean(values: FloatArray, group: IntArray, groups: int) -> FloatArray:
    """R's ``mean(x, na.rm = TRUE)`` of each group (NaN for a group with no values).

    R sums in 80-bit long double, divides by n and adds the mean residual (a second
    pass), so the centre line agrees with NHSRplotthedots to the last bit; this keeps
    a point lying exactly on the mean on it (``relative_to_mean`` = 0).

    Args:
        values: One value per row; NaN is missing and left out.
        group: Group index (0 .. ``groups`` - 1) of each row.
        groups: Number of groups.
    """
    valid = ~np.isnan(values)
    where = group[valid]
    kept = values[valid].astype(np.longdouble)
    count = np.bincount(where, minlength=groups).astype(np.longdouble)
    total = np.zeros(groups, dtype=np.longdouble)
    np.add.at(total, where, kept)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
        finite = np.isfinite(mean)
        residual = np.zeros(groups, dtype=np.longdouble)
        np.add.at(residual, where, kept - mean[where])
        mean = np.where(finite, mean + residual / count, mean)
    return np.asarray(mean, dtype=np.float64)


def run_lengths(condition: BoolArray, breaks: BoolArray) -> IntArray:
    """Length of the run of consecutive ``True`` that each row belongs to (0 if ``False``).

    Args:
        condition: Per row, whether it can belong to a run.
        breaks: Per row, whether a new run must start there even if the previous row
            qualified (the first row of a group, or a change of value).
    """
    if condition.size == 0:
        return np.zeros(0, dtype=np.int64)
    starts = breaks | ~condition
    run_id = np.cumsum(starts) - 1
    sizes = np.bincount(run_id, weights=condition.astype(np.float64)).astype(np.int64)
    return np.where(condition, sizes[run_id], 0)


def shift(values: npt.NDArray[Scalar], by: int, fill: object) -> npt.NDArray[Scalar]:
    """``values`` moved ``by`` places (positive: later rows see earlier values)."""
    out = np.empty_like(values)
    if by > 0:
        out[:by] = fill
        out[by:] = values[:-by]
    elif by < 0:
        out[by:] = fill
        out[:by] = values[-by:]
    else:
        out[:] = values
    return out


def same_group(group: IntArray, by: int) -> BoolArray:
    """Whether the row ``by`` places away (positive: later) is in the same group."""
    other = shift(group, -by, -1)
    return np.asarray(other == group)
