"""XmR charts for many KPIs at once, as NHSRplotthedots' ``ptd_spc`` computes them.

:func:`xmr` takes one row per KPI (facet) and date and returns the reference's columns
for every point: the rebase group, the short-group warning, the centre line and
process limits, the point tests, the special-cause rule that flags the point and its
type (improvement, concern, neutral). Every KPI is computed in the same whole-array
pass: rows are sorted by KPI, rebase group and date, and the groups are contiguous
slices (see :mod:`tripleaim.delivery.spc.segments`).

References:
    NHS England and NHS Improvement. Making Data Count (2019).
    https://www.england.nhs.uk/publication/making-data-count/
    NHS-R Community. NHSRplotthedots 0.2.2, ``ptd_spc()``.
    https://github.com/nhs-r-community/NHSRplotthedots
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import numpy as np
import pandas as pd

from tripleaim.delivery.spc import options
from tripleaim.delivery.spc.limits import process_limits
from tripleaim.delivery.spc.options import Method, Rebase, SpcInputError
from tripleaim.delivery.spc.rules import (
    POINT_TYPES,
    point_types,
    special_cause_codes,
    special_cause_labels,
)

NO_FACET = "no facet"
WARNING_THRESHOLD = 13
"""Groups with fewer points than this have trial limits (NHSRplotthedots' default)."""
DIRECTION_NAMES = ("neutral", "increase", "decrease")  # indexed by direction % 3
COLUMNS = (
    "y",
    "x",
    "f",
    "trajectory",
    "rebase_group",
    "short_group_warning",
    "fix_y",
    "mean_col",
    "lpl",
    "upl",
    "outside_limits",
    "relative_to_mean",
    "close_to_limits",
    "special_cause_type",
    "special_cause_flag",
    "point_type",
    "target",
    "improvement_direction",
)
"""Output columns: the reference's, in its order, then the KPI's improvement direction."""


def xmr(
    data: pd.DataFrame,
    *,
    value: str = "y",
    date: str = "x",
    facet: str | None = None,
    trajectory: str | None = None,
    improvement_direction: str | Mapping[Hashable, str] = "increase",
    target: float | Mapping[Hashable, float] | None = None,
    rebase: Rebase = None,
    fix_after_n_points: int | Mapping[Hashable, int | None] | None = None,
    screen_outliers: bool | Mapping[Hashable, bool] | None = None,
    method: Method = "plotthedots",
    warning_threshold: int = WARNING_THRESHOLD,
    run_length: int = 7,
    trend_length: int = 7,
) -> pd.DataFrame:
    """An XmR chart of every KPI in ``data`` (one row per KPI and date).

    Args:
        data: One row per point.
        value: Column of values (missing allowed: the point is not tested).
        date: Column of dates; at most one row per KPI and date.
        facet: Column naming the KPI; ``None`` for a single series (``f`` is
            ``"no facet"``, as in the reference).
        trajectory: Optional column passed through (the planned value per point).
        improvement_direction: ``increase``, ``decrease`` or ``neutral``, for all KPIs
            or per KPI.
        target: Target for all KPIs or per KPI (drives the assurance icon).
        rebase: Dates on which the limits are recalculated (the first point of the
            new segment), for all KPIs or per KPI.
        fix_after_n_points: Limits from the first n points of each segment only.
        screen_outliers: Leave large moving ranges out of the limits; by default on
            for ``method="plotthedots"`` and off for ``method="excel"``.
        method: ``plotthedots`` (NHSRplotthedots' defaults) or ``excel`` (the Making
            Data Count Excel tool, which does not screen moving ranges).
        warning_threshold: Segments shorter than this get ``short_group_warning``.
        run_length: Points on one side of the mean that make a shift (7).
        trend_length: Rising or falling points that make a trend (7).

    Returns:
        One row per point sorted by KPI and date, with :data:`COLUMNS`.

    Raises:
        SpcInputError: A column is missing, a value is not a number, a date is
            missing or repeated for a KPI, or an option is invalid.
    """
    if method not in ("plotthedots", "excel"):
        raise SpcInputError(
            f"method must be plotthedots or excel; got {method!r}", field="method"
        )
    options.require_columns(data, [value, date, facet, trajectory])
    when = options.dates(data, date)
    if facet is None:
        keys = pd.Series(NO_FACET, index=data.index)
    else:
        keys = data[facet]
        if bool(keys.isna().any()):
            rows = [int(i) + 1 for i in np.flatnonzero(keys.isna().to_numpy())]
            raise SpcInputError(f"{facet} is missing in rows {rows[:5]}", field=facet)
    codes, uniques = pd.factorize(keys, sort=True)
    facets = pd.Index(uniques)

    def labels(rows: np.ndarray) -> list[str]:
        """The KPI and date of the rows marked (built only for an error message)."""
        picked = keys[rows].astype(str) + " " + when[rows].dt.strftime("%Y-%m-%d")
        return [str(label) for label in picked]

    y = options.numeric_values(data, value, labels)
    planned = (
        options.numeric_values(data, trajectory, labels)
        if trajectory is not None
        else np.full(len(data), np.nan)
    )
    stamps = when.to_numpy(dtype="datetime64[ns]")
    order = np.lexsort((stamps, codes))
    codes, stamps, y, planned = codes[order], stamps[order], y[order], planned[order]
    same = (codes[1:] == codes[:-1]) & (stamps[1:] == stamps[:-1])
    if same.any():
        repeated = np.zeros(len(order), dtype=bool)
        repeated[order[1:][same]] = True
        twice = labels(repeated)
        raise SpcInputError(
            f"{date} is repeated for a KPI: {options._listed(twice)}", field=date
        )

    direction = options.directions(improvement_direction, facets)
    if screen_outliers is None:
        screen_outliers = method == "plotthedots"
    screen = options.flags(screen_outliers, facets, "screen_outliers")
    fix = options.fix_after(fix_after_n_points, facets)
    goal = options.targets(target, facets)

    first_of_facet = np.ones(len(codes), dtype=bool)
    first_of_facet[1:] = codes[1:] != codes[:-1]
    rebased = _rebase_flags(rebase, facets, codes, stamps)
    rebase_group = _within_facet_cumsum(rebased, first_of_facet)
    boundary = first_of_facet | rebased
    group = np.cumsum(boundary) - 1
    groups = int(group[-1]) + 1 if len(group) else 0
    starts = np.flatnonzero(boundary)
    position = np.arange(len(group)) - starts[group]
    group_facet = codes[starts]
    sizes = np.bincount(group, minlength=groups)

    limits = process_limits(
        y, group, groups, position, fix[group_facet], screen[group_facet]
    )
    special = special_cause_codes(
        y,
        group,
        limits.outside,
        limits.close,
        limits.unknown,
        limits.relative,
        run=run_length,
        trend=trend_length,
    )
    kinds = point_types(special, direction[codes])
    return pd.DataFrame(
        {
            "y": y,
            "x": stamps,
            "f": facets.take(codes),
            "trajectory": planned,
            "rebase_group": rebase_group,
            "short_group_warning": sizes[group] < warning_threshold,
            "fix_y": limits.fix_y,
            "mean_col": limits.mean,
            "lpl": limits.lpl,
            "upl": limits.upl,
            "outside_limits": pd.arrays.BooleanArray(limits.outside, limits.unknown),
            "relative_to_mean": limits.relative,
            "close_to_limits": pd.arrays.BooleanArray(limits.close, limits.unknown),
            "special_cause_type": _text(
                special, special_cause_labels(run_length, trend_length)
            ),
            "special_cause_flag": special != 0,
            "point_type": _text(kinds, POINT_TYPES),
            "target": goal[codes],
            "improvement_direction": _text(direction[codes] % 3, DIRECTION_NAMES),
        }
    )


def _text(codes: np.ndarray, labels: tuple[str, ...]) -> pd.Categorical[str]:
    """Codes as a categorical column of ``labels`` (cheap for many rows)."""
    return pd.Categorical.from_codes(codes.astype(np.int64), pd.Index(labels))


def _rebase_flags(
    rebase: Rebase, facets: pd.Index, codes: np.ndarray, stamps: np.ndarray
) -> np.ndarray:
    """Rows whose (KPI, date) is a rebase date; dates not in the data have no effect."""
    facet_of, when = options.rebase_pairs(rebase, facets)
    if not facet_of:
        return np.zeros(len(codes), dtype=bool)
    wanted = np.array([w.to_datetime64() for w in when], dtype="datetime64[ns]")
    days, found = np.unique(stamps, return_inverse=True)
    where = np.searchsorted(days, wanted)
    where = np.minimum(where, max(len(days) - 1, 0))
    hit = (len(days) > 0) & (days[where] == wanted)
    keys = np.asarray(facet_of)[hit] * len(days) + where[hit]
    return np.isin(codes * len(days) + found.ravel(), keys)


def _within_facet_cumsum(flags: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Running count of ``flags`` restarting at each KPI (R's ``cumsum`` per facet)."""
    total = np.cumsum(flags)
    before = (total - flags)[first]
    return np.asarray(
        total - np.repeat(before, np.diff(np.append(np.flatnonzero(first), len(flags))))
    )
