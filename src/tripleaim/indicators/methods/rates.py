"""Crude rates with exact Poisson limits below 10 events and Byar's limits from 10 up.

Matches ``PHEindicatormethods::phe_rate`` (version 2.1.0, ``type = "full"``); see
``docs/methods/crude-rates.md``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from tripleaim.indicators.methods.confidence import poisson_count_limits
from tripleaim.indicators.methods.frames import (
    assemble,
    choose_text,
    constant_text,
    float_column,
    reason_column,
)
from tripleaim.indicators.methods.grouping import summed_counts
from tripleaim.indicators.methods.inputs import (
    Confidence,
    confidence_levels,
    numeric_column,
    reject_rows,
    require_columns,
)
from tripleaim.indicators.methods.r_numerics import r_plain_label
from tripleaim.indicators.methods.suppression import ReasonCode


def crude_rates(
    data: pd.DataFrame,
    x: str = "x",
    n: str = "n",
    *,
    by: Sequence[str] | None = None,
    confidence: Confidence = 0.95,
    multiplier: float = 100000,
) -> pd.DataFrame:
    """Crude rates ``x / n * multiplier`` with Poisson confidence limits.

    Limits are exact (chi-square) when ``x < 10`` and Byar's approximation otherwise;
    ``method`` says which (``Exact``/``Byars``; missing when ``x`` is missing).

    Args:
        data: One row per case, or several rows per area with ``by``.
        x: Column of events.
        n: Column of the population or person-time at risk.
        by: Key columns; when given, ``x`` and ``n`` are summed within each group first.
        confidence: 0.95 (or 95), 0.998, or the pair ``(0.95, 0.998)``.
        multiplier: Rate per this many (default per 100,000).

    Returns:
        The input columns (or keys and summed counts) plus ``value``, the limits,
        ``confidence``, ``statistic`` (``rate per 100000``), ``method`` and ``reason``.

    Raises:
        MethodInputError: A count is negative or a denominator is zero or negative.

    Source: PHEindicatormethods 2.1.0 ``phe_rate``; Breslow & Day (1987);
    Armitage, Berry & Matthews (2002), doi:10.1002/9780470773666.
    """
    require_columns(data, [x, n, *(by or [])])
    levels = confidence_levels(confidence)
    keys = list(by or [])
    reject_rows(
        data,
        numeric_column(data, x) < 0,
        field=x,
        problem="is negative",
        fix="event counts must be zero or more",
        keys=keys,
    )
    reject_rows(
        data,
        numeric_column(data, n) <= 0,
        field=n,
        problem="is zero or negative",
        fix="a rate needs a positive population; drop or fix the area",
        keys=keys,
    )
    base, counts = summed_counts(data, [x, n], by)
    xs, ns = counts[x], counts[n]
    missing = np.isnan(xs) | np.isnan(ns)
    size = len(xs)
    columns: dict[str, object] = {}
    if by:
        columns[x] = float_column(xs, np.isnan(xs))
        columns[n] = float_column(ns, np.isnan(ns))
    columns["value"] = float_column(xs / ns * multiplier, missing)
    exact = xs < 10
    for level, lower_name, upper_name in zip(
        levels.levels,
        levels.limit_columns("lower"),
        levels.limit_columns("upper"),
        strict=True,
    ):
        lower, upper, _ = poisson_count_limits(xs, level)
        columns[lower_name] = float_column(lower / ns * multiplier, missing)
        columns[upper_name] = float_column(upper / ns * multiplier, missing)
    columns["confidence"] = constant_text(levels.label, size)
    columns["statistic"] = constant_text(f"rate per {r_plain_label(multiplier)}", size)
    columns["method"] = choose_text([np.isnan(xs), exact], [None, "Exact"], "Byars")
    reasons = np.full(size, None, dtype=object)
    reasons[np.isnan(ns)] = ReasonCode.DENOMINATOR_MISSING.value
    reasons[np.isnan(xs)] = ReasonCode.NUMERATOR_MISSING.value
    columns["reason"] = reason_column(reasons)
    return assemble(base, columns)
