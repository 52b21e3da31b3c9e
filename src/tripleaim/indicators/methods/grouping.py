"""Grouping rows by area, vectorised, with sums that round as R's do.

Every method works on one data frame holding many areas. :func:`group_rows` assigns
each row to a group once (sorted by the key columns, as ``dplyr::group_by`` orders
them); :class:`Groups` then sums, counts and reshapes per group with numpy, never
with a Python loop over areas. Sums accumulate in 80-bit long double, which is what
R's ``sum()`` does on x86-64, so totals agree with the reference to the last bit in
all but tie-breaking cases.

Source: R 4.2.2 ``src/main/summary.c`` (``rsum`` accumulates in ``LDOUBLE``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tripleaim.indicators.methods.inputs import MethodInputError, numeric_column

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Groups:
    """Rows of a frame assigned to groups.

    Attributes:
        keys: One row per group (the key columns), in sorted key order.
        codes: Group number of each input row (0-based, in key order).
        order: Row positions sorted by group, stable within a group.
        starts: Position in ``order`` where each group begins.
        by: The key column names.
    """

    keys: pd.DataFrame
    codes: IntArray
    order: IntArray
    starts: IntArray
    by: tuple[str, ...]

    @property
    def count(self) -> int:
        """Number of groups."""
        return len(self.starts)

    @property
    def sizes(self) -> IntArray:
        """Rows in each group."""
        return np.diff(np.append(self.starts, len(self.order)))

    def sum(self, values: npt.ArrayLike, *, skipna: bool = False) -> FloatArray:
        """Per-group sum, accumulated in long double as R's ``sum()`` is.

        Args:
            values: One value per input row.
            skipna: Drop missing values (R's ``na.rm = TRUE``); otherwise a missing
                value makes the group's sum missing.

        Returns:
            One float per group.
        """
        if self.count == 0:
            return np.empty(0)
        ordered = np.asarray(values, dtype=np.float64)[self.order]
        missing = np.isnan(ordered)
        filled = np.where(missing, 0.0, ordered).astype(np.longdouble)
        totals = np.add.reduceat(filled, self.starts).astype(np.float64)
        if not skipna:
            any_missing = np.add.reduceat(missing.astype(np.intp), self.starts) > 0
            totals[any_missing] = np.nan
        return totals

    def any(self, flags: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """Per-group logical OR of a boolean row flag."""
        if self.count == 0:
            return np.zeros(0, dtype=bool)
        ordered = np.asarray(flags, dtype=bool)[self.order].astype(np.intp)
        return np.asarray(np.add.reduceat(ordered, self.starts) > 0)

    def position(self) -> IntArray:
        """Position of each input row within its group (0-based, input order)."""
        positions = np.empty(len(self.order), dtype=np.intp)
        within = np.arange(len(self.order)) - np.repeat(self.starts, self.sizes)
        positions[self.order] = within
        return positions

    def label(self, group: int) -> str:
        """A readable name of one group for error messages: ``area='E001'``."""
        if not self.by:
            return "the whole table"
        row = self.keys.iloc[group]
        return ", ".join(f"{name}={row[name]!r}" for name in self.by)

    def labels(self, groups: npt.ArrayLike, *, limit: int = 5) -> str:
        """Readable names of several groups, the first ``limit`` of them."""
        chosen = [int(g) for g in np.asarray(groups).ravel()]
        text = "; ".join(self.label(g) for g in chosen[:limit])
        extra = len(chosen) - limit
        return text + (f" and {extra} more" if extra > 0 else "")


def _sorted_boundaries(
    columns: list[npt.NDArray[Any]],
) -> npt.NDArray[np.bool_] | None:
    """Where the key changes between consecutive rows, if rows are already sorted.

    Returns ``None`` when the rows are not in ascending key order (or cannot be
    compared), so the caller sorts them.
    """
    n = len(columns[0])
    ascending = np.ones(max(n - 1, 0), dtype=bool)
    tied = np.ones(max(n - 1, 0), dtype=bool)
    changed = np.zeros(max(n - 1, 0), dtype=bool)
    try:
        for column in columns:
            later, earlier = column[1:], column[:-1]
            less = np.asarray(np.less(earlier, later), dtype=np.bool_)
            equal = np.asarray(np.equal(earlier, later), dtype=np.bool_)
            ascending &= ~tied | less | equal
            changed |= ~equal
            tied &= equal
    except TypeError:
        return None
    if not bool(ascending.all()):
        return None
    return changed


def group_rows(data: pd.DataFrame, by: Sequence[str] | None) -> Groups:
    """Assign rows to groups sorted by ``by`` (one group when ``by`` is empty).

    Args:
        data: The input frame.
        by: Key columns (for example ``["area"]``); ``None`` or empty for one group.

    Returns:
        The grouping; rows already in key order take a fast path with no sort.

    Raises:
        MethodInputError: A key column is missing or has missing values.
    """
    names = tuple(by or ())
    n = len(data)
    for name in names:
        if name not in data.columns:
            raise MethodInputError(f"grouping column {name!r} is not in the data")
        if bool(data[name].isna().any()):
            raise MethodInputError(
                f"grouping column {name!r} has missing values; every row needs an area key"
            )
    if not names or n == 0:
        starts = np.zeros(1 if n else 0, dtype=np.intp)
        return Groups(
            keys=pd.DataFrame(index=range(len(starts))),
            codes=np.zeros(n, dtype=np.intp),
            order=np.arange(n, dtype=np.intp),
            starts=starts,
            by=names,
        )
    columns = [data[name].to_numpy() for name in names]
    changed = _sorted_boundaries(columns)
    if changed is not None:
        codes = np.concatenate(([0], np.cumsum(changed))).astype(np.intp)
        order = np.arange(n, dtype=np.intp)
    else:
        codes = (
            data.groupby(list(names), sort=True, dropna=False)
            .ngroup()
            .to_numpy()
            .astype(np.intp)
        )
        order = np.argsort(codes, kind="stable").astype(np.intp)
    sorted_codes = codes[order]
    starts = np.flatnonzero(
        np.concatenate(([True], sorted_codes[1:] != sorted_codes[:-1]))
    ).astype(np.intp)
    keys = data.iloc[order[starts]][list(names)].reset_index(drop=True)
    return Groups(keys=keys, codes=codes, order=order, starts=starts, by=names)


def summed_counts(
    data: pd.DataFrame, columns: Sequence[str], by: Sequence[str] | None
) -> tuple[pd.DataFrame, dict[str, FloatArray]]:
    """The frame a count method works on, and its count columns as floats.

    Ungrouped, every row is its own case and all input columns pass through. Grouped,
    the counts are summed within each group first (a missing count makes the sum
    missing, as R's ``sum`` does) and only the keys and the sums are returned, as
    ``dplyr::summarise`` would.

    Args:
        data: The input frame.
        columns: The count columns (numerator, denominator).
        by: Key columns, or ``None``.

    Returns:
        The base frame (input rows, or one row per group) and the count arrays.
    """
    raw = {name: numeric_column(data, name) for name in columns}
    if not by:
        return data.reset_index(drop=True), raw
    groups = group_rows(data, by)
    sums = {name: groups.sum(values) for name, values in raw.items()}
    base = groups.keys.copy()
    for name, values in sums.items():
        base[name] = values
    return base, sums
