"""What an XmR call is given: checked columns and per-KPI options.

Every option can be one value for all KPIs or a mapping from KPI (facet) to value,
so a thousand KPIs with their own improvement direction, target, rebase dates and
fixed-limit periods are charted in one vectorised call. Bad input is refused up front
with :class:`SpcInputError`, naming the column, KPI and date.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from tripleaim.errors import UserError

Direction = Literal["increase", "decrease", "neutral"]
DIRECTIONS: dict[str, int] = {"increase": 1, "decrease": -1, "neutral": 0}
Method = Literal["plotthedots", "excel"]
DateLike = str | pd.Timestamp | np.datetime64
Rebase = Sequence[DateLike] | Mapping[Hashable, Sequence[DateLike]] | None
SHOWN = 5


class SpcInputError(UserError):
    """An SPC chart was given data it cannot use; the message names the field and KPI."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _listed(values: Sequence[object]) -> str:
    shown = ", ".join(repr(v) for v in values[:SHOWN])
    more = len(values) - SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


def require_columns(data: pd.DataFrame, columns: Sequence[str | None]) -> None:
    """Refuse a frame that lacks a named column."""
    missing = [c for c in columns if c is not None and c not in data.columns]
    if missing:
        raise SpcInputError(
            f"the data has no column {_listed(missing)}; columns are {_listed(list(data.columns))}",
            field=str(missing[0]),
        )


def numeric_values(
    data: pd.DataFrame,
    column: str,
    labels: Callable[[npt.NDArray[np.bool_]], list[str]],
) -> npt.NDArray[np.float64]:
    """The column as float64 (missing = NaN), refusing text that is not a number."""
    series = data[column]
    converted = pd.to_numeric(series, errors="coerce")
    bad = converted.isna() & series.notna()
    if bool(bad.any()):
        where = labels(bad.to_numpy())
        raise SpcInputError(
            f"{column} must be a number; not a number at {_listed(where)}", field=column
        )
    values = converted.to_numpy(dtype=np.float64, na_value=np.nan)
    if np.isinf(values).any():
        where = labels(np.isinf(values))
        raise SpcInputError(f"{column} is infinite at {_listed(where)}", field=column)
    return values


def dates(data: pd.DataFrame, column: str) -> pd.Series:
    """The date column as datetimes, refusing missing or unreadable dates."""
    series = data[column]
    converted = pd.to_datetime(series, errors="coerce")
    bad = converted.isna()
    if bool(bad.any()):
        rows = [int(i) + 1 for i in np.flatnonzero(bad.to_numpy())]
        raise SpcInputError(
            f"{column} must be a date; missing or unreadable in rows {_listed(rows)}",
            field=column,
        )
    return converted


def per_facet(
    value: object,
    facets: pd.Index,
    name: str,
    default: object,
) -> list[object]:
    """One value per facet from a scalar or a mapping (facets not named get ``default``)."""
    if isinstance(value, Mapping):
        unknown = [k for k in value if k not in facets]
        if unknown:
            raise SpcInputError(
                f"{name} names KPIs that are not in the data: {_listed(unknown)}",
                field=name,
            )
        return [value.get(f, default) for f in facets]
    return [value] * len(facets)


def directions(value: object, facets: pd.Index) -> npt.NDArray[np.int8]:
    """+1, -1 or 0 per facet from ``increase``, ``decrease`` or ``neutral``."""
    given = per_facet(value, facets, "improvement_direction", "increase")
    bad = [(f, d) for f, d in zip(facets, given, strict=True) if d not in DIRECTIONS]
    if bad:
        raise SpcInputError(
            "improvement_direction must be increase, decrease or neutral; "
            f"got {_listed([d for _, d in bad])} for {_listed([f for f, _ in bad])}",
            field="improvement_direction",
        )
    return np.array([DIRECTIONS[str(d)] for d in given], dtype=np.int8)


def fix_after(value: object, facets: pd.Index) -> npt.NDArray[np.float64]:
    """Points that set the limits per facet (``inf`` when not fixed)."""
    given = per_facet(value, facets, "fix_after_n_points", None)
    out = np.full(len(facets), np.inf)
    for i, n in enumerate(given):
        if n is None or (isinstance(n, float) and np.isnan(n)):
            continue
        if (
            not isinstance(n, int | float)
            or isinstance(n, bool)
            or not float(n).is_integer()
            or n < 1
        ):
            raise SpcInputError(
                f"fix_after_n_points must be a whole number of at least 1; got {n!r} "
                f"for {facets[i]!r}",
                field="fix_after_n_points",
            )
        out[i] = float(n)
    return out


def flags(value: object, facets: pd.Index, name: str) -> npt.NDArray[np.bool_]:
    """A true/false option per facet."""
    given = per_facet(value, facets, name, True)
    bad = [
        f
        for f, v in zip(facets, given, strict=True)
        if not isinstance(v, bool | np.bool_)
    ]
    if bad:
        raise SpcInputError(
            f"{name} must be true or false for {_listed(bad)}", field=name
        )
    return np.array(given, dtype=bool)


def targets(value: object, facets: pd.Index) -> npt.NDArray[np.float64]:
    """Target per facet (NaN when none)."""
    given = per_facet(value, facets, "target", None)
    out = np.full(len(facets), np.nan)
    for i, t in enumerate(given):
        if t is None:
            continue
        try:
            out[i] = float(t)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise SpcInputError(
                f"target must be a number; got {t!r} for {facets[i]!r}", field="target"
            ) from None
    return out


def rebase_pairs(
    value: Rebase, facets: pd.Index
) -> tuple[list[int], list[pd.Timestamp]]:
    """(facet index, date) of every rebase: the first date of each new segment."""
    if value is None:
        return [], []
    mapping = value if isinstance(value, Mapping) else dict.fromkeys(facets, value)
    given = per_facet(mapping, facets, "rebase", ())
    codes: list[int] = []
    when: list[pd.Timestamp] = []
    for i, listed in enumerate(given):
        days = (
            [listed]
            if isinstance(listed, str | pd.Timestamp | np.datetime64)
            else listed
        )
        for day in days:  # type: ignore[attr-defined]
            try:
                stamp = pd.Timestamp(day)
            except ValueError:
                stamp = None
            if stamp is None or pd.isna(stamp):
                raise SpcInputError(
                    f"rebase date {day!r} for {facets[i]!r} is not a date",
                    field="rebase",
                )
            codes.append(i)
            when.append(stamp)
    return codes, when
