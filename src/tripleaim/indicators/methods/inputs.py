"""Checking what a method is given: the error it raises and the confidence levels it accepts.

A method refuses bad input up front with :class:`MethodInputError`, whose message
names the field, the areas affected (the first few) and how to fix it, as ehrQL's
file readers do. It never returns a silent NaN: a value that cannot be computed is
missing with a reason code (see ``suppression.ReasonCode``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from tripleaim.errors import UserError
from tripleaim.indicators.methods.r_numerics import r_number_label

Confidence = float | Sequence[float] | None
"""One level (0.95 or 95), the pair (0.95, 0.998), or ``None`` for no limits."""


class MethodInputError(UserError):
    """An indicator method was given data it cannot use (names the area and field)."""

    def __init__(
        self, message: str, *, field: str | None = None, areas: str | None = None
    ) -> None:
        super().__init__(message)
        self.field = field
        self.areas = areas


@dataclass(frozen=True)
class ConfidenceLevels:
    """Validated confidence levels, as fractions (0.95, 0.998).

    Attributes:
        levels: The levels, in the order given; empty for "no limits".
    """

    levels: tuple[float, ...]

    @property
    def label(self) -> str:
        """The reference's ``confidence`` text: ``95%`` or ``95%, 99.8%``."""
        return ", ".join(f"{r_number_label(level * 100)}%" for level in self.levels)

    def suffix(self, level: float) -> str:
        """Column suffix of a level when several are asked for: ``95_0`` or ``99_8``."""
        return f"{level * 100:.1f}".replace(".", "_")

    def limit_columns(self, side: str) -> list[str]:
        """Names of the ``side`` (``lower``/``upper``) limit columns, as R names them."""
        if len(self.levels) == 1:
            return [f"{side}cl"]
        return [f"{side}{self.suffix(level)}cl" for level in self.levels]


def confidence_levels(
    confidence: Confidence, *, allow_none: bool = False, any_pair: bool = False
) -> ConfidenceLevels:
    """Validate ``confidence`` as PHEindicatormethods does.

    Args:
        confidence: A level between 0.9 and 1 (or 90 and 100), the pair
            ``(0.95, 0.998)``, or ``None`` when ``allow_none``.
        allow_none: ``None`` means no confidence limits (``phe_proportion`` allows it).
        any_pair: Accept any levels in range, not only the pair 0.95 and 0.998 (life
            expectancy and the SII accept several levels).

    Returns:
        The levels as fractions.

    Raises:
        MethodInputError: The levels are outside the allowed range.
    """
    if confidence is None:
        if allow_none:
            return ConfidenceLevels(())
        raise MethodInputError("confidence is required", field="confidence")
    values = (
        [float(confidence)]
        if isinstance(confidence, int | float)
        else [float(c) for c in confidence]
    )
    if not values:
        raise MethodInputError(
            "confidence needs at least one level", field="confidence"
        )
    for value in values:
        if value < 0.9 or 1 < value < 90 or value > 100:
            raise MethodInputError(
                f"confidence level {value:g} must be between 0.9 and 1 or between 90 and 100",
                field="confidence",
            )
    scaled = tuple(v / 100 if v >= 90 else v for v in values)
    if len(scaled) > 1 and not any_pair and scaled != (0.95, 0.998):
        raise MethodInputError(
            "two confidence levels can only be 0.95 and 0.998, in that order",
            field="confidence",
        )
    return ConfidenceLevels(scaled)


def require_columns(data: pd.DataFrame, columns: Sequence[str | None]) -> None:
    """Raise if a named column is absent from ``data``."""
    missing = [c for c in columns if c is not None and c not in data.columns]
    if missing:
        raise MethodInputError(
            f"column(s) {', '.join(map(repr, missing))} not in the data; "
            f"available: {', '.join(map(str, data.columns))}",
            field=missing[0],
        )


def numeric_column(data: pd.DataFrame, name: str) -> npt.NDArray[np.float64]:
    """A column as float64, missing values as NaN; raises if it is not numeric."""
    column = data[name]
    if not (
        pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)
    ):
        if bool(column.isna().all()):
            return np.full(len(column), np.nan)
        raise MethodInputError(
            f"field {name!r} must be numeric (it is {column.dtype})", field=name
        )
    return np.asarray(column.to_numpy(dtype=np.float64, na_value=np.nan))


def row_labels(
    data: pd.DataFrame, rows: npt.ArrayLike, keys: Sequence[str], *, limit: int = 5
) -> str:
    """Readable names of offending rows: their key columns, or their row numbers."""
    positions = np.flatnonzero(np.asarray(rows, dtype=bool))
    names = []
    for position in positions[:limit]:
        if keys:
            record = data.iloc[int(position)]
            names.append(", ".join(f"{k}={record[k]!r}" for k in keys))
        else:
            names.append(f"row {int(position) + 1}")
    extra = len(positions) - limit
    return "; ".join(names) + (f" and {extra} more" if extra > 0 else "")


def reject_rows(
    data: pd.DataFrame,
    bad: npt.ArrayLike,
    *,
    field: str,
    problem: str,
    fix: str,
    keys: Sequence[str] = (),
) -> None:
    """Raise :class:`MethodInputError` naming the rows where ``bad`` is true, if any.

    Args:
        data: The frame the rows come from.
        bad: One flag per row.
        field: The offending field, named in the message.
        problem: What is wrong (``"is negative"``).
        fix: How to fix it.
        keys: Columns that name an area (used to name the rows).
    """
    flags = np.asarray(bad, dtype=bool)
    if not flags.any():
        return
    where = row_labels(data, flags, keys)
    raise MethodInputError(
        f"field {field!r} {problem} for {int(flags.sum())} row(s) ({where}); {fix}",
        field=field,
        areas=where,
    )
