"""Means with Student's t confidence limits.

Matches ``PHEindicatormethods::phe_mean`` (2.1.0): the standard deviation is R's
two-pass ``sd()`` in long double, so values agree with the reference to the last
bits. See ``docs/methods/means.md``.

References:
    Student. The probable error of a mean. Biometrika 1908;6:1-25.
    https://doi.org/10.1093/biomet/6.1.1
    R Core Team. R 4.2.2 ``src/library/stats/src/cov.c`` (two-pass variance).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from tripleaim.indicators.methods.frames import (
    assemble,
    constant_text,
    float_column,
    reason_column,
)
from tripleaim.indicators.methods.grouping import Groups, group_rows
from tripleaim.indicators.methods.inputs import (
    Confidence,
    confidence_levels,
    numeric_column,
    require_columns,
)
from tripleaim.indicators.methods.suppression import ReasonCode


def _standard_deviation(groups: Groups, xs: np.ndarray) -> np.ndarray:
    """R's ``sd()`` per group: two-pass, long double, n - 1 divisor (NaN if n < 2)."""
    ordered = xs[groups.order].astype(np.longdouble)
    sizes = groups.sizes.astype(np.longdouble)
    mean = np.add.reduceat(ordered, groups.starts) / sizes
    expanded = np.repeat(mean, groups.sizes)
    mean = mean + np.add.reduceat(ordered - expanded, groups.starts) / sizes
    centre = np.repeat(mean.astype(np.float64).astype(np.longdouble), groups.sizes)
    deviation = ordered - centre
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = (
            np.add.reduceat(deviation * deviation, groups.starts) / (sizes - 1)
        ).astype(np.float64)
    variance[groups.sizes < 2] = np.nan
    return np.sqrt(variance)


def means(
    data: pd.DataFrame,
    x: str = "x",
    *,
    by: Sequence[str] | None = None,
    confidence: Confidence = 0.95,
) -> pd.DataFrame:
    """Mean of ``x`` per group with limits ``mean -/+ t(1 - a/2, n - 1) * sd / sqrt(n)``.

    Args:
        data: One row per observation.
        x: The observed values.
        by: Key columns; ``None`` for one mean of all rows.
        confidence: 0.95, 0.998 or the pair ``(0.95, 0.998)``.

    Returns:
        Keys, ``value_sum``, ``value_count``, ``stdev``, ``value``, limits,
        ``confidence``, ``statistic`` (``mean``), ``method`` and ``reason``. One
        observation gives a missing ``stdev`` and NaN limits (reason
        ``single_observation``); a missing observation makes the group's results
        missing (``observation_missing``), as R's ``sum`` and ``sd`` do.

    Source: PHEindicatormethods 2.1.0 ``phe_mean``; Student (1908),
    doi:10.1093/biomet/6.1.1.
    """
    keys = list(by or [])
    require_columns(data, [x, *keys])
    levels = confidence_levels(confidence)
    xs = numeric_column(data, x)
    groups = group_rows(data, keys)
    total = groups.sum(xs)
    count = groups.sizes.astype(np.float64)
    has_missing = groups.any(np.isnan(xs))
    stdev = _standard_deviation(groups, np.where(np.isnan(xs), 0.0, xs))
    stdev_missing = has_missing | (groups.sizes < 2)
    value = total / count
    columns: dict[str, object] = {
        "value_sum": float_column(total, has_missing),
        "value_count": float_column(count),
        "stdev": float_column(stdev, stdev_missing),
        "value": float_column(value, has_missing),
    }
    for level, lower_name, upper_name in zip(
        levels.levels,
        levels.limit_columns("lower"),
        levels.limit_columns("upper"),
        strict=True,
    ):
        with np.errstate(invalid="ignore"):
            t = np.abs(stats.t.ppf((1 - level) / 2, count - 1))
            lower = value - t * stdev / np.sqrt(count)
            upper = value + t * stdev / np.sqrt(count)
        single = groups.sizes < 2
        columns[lower_name] = float_column(np.where(single, np.nan, lower), has_missing)
        columns[upper_name] = float_column(np.where(single, np.nan, upper), has_missing)
    size = groups.count
    columns["confidence"] = constant_text(levels.label, size)
    columns["statistic"] = constant_text("mean", size)
    columns["method"] = constant_text("Student's t-distribution", size)
    reasons = np.full(size, None, dtype=object)
    reasons[groups.sizes < 2] = ReasonCode.SINGLE_OBSERVATION.value
    reasons[has_missing] = ReasonCode.OBSERVATION_MISSING.value
    columns["reason"] = reason_column(reasons)
    return assemble(groups.keys, columns)
