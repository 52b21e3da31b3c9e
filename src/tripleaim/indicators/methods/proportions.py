"""Proportions with Wilson score confidence limits.

Matches ``PHEindicatormethods::phe_proportion`` (version 2.1.0, ``type = "full"``):
the same columns, labels and missing-value rules, checked cell by cell against the
reference fixtures (see ``docs/methods/proportions.md``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from tripleaim.indicators.methods.confidence import wilson_lower, wilson_upper
from tripleaim.indicators.methods.frames import (
    assemble,
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
from tripleaim.indicators.methods.r_numerics import r_number_label
from tripleaim.indicators.methods.suppression import ReasonCode


def proportion_statistic(multiplier: float) -> str:
    """The reference's ``statistic`` label: ``percentage`` or ``proportion of <m>``."""
    return (
        "percentage"
        if multiplier == 100
        else f"proportion of {r_number_label(multiplier)}"
    )


def proportions(
    data: pd.DataFrame,
    x: str = "x",
    n: str = "n",
    *,
    by: Sequence[str] | None = None,
    confidence: Confidence = 0.95,
    multiplier: float = 1,
) -> pd.DataFrame:
    """Proportions ``x / n`` with Wilson score limits, one per row or per group.

    Args:
        data: One row per case (ungrouped) or several rows per area (with ``by``).
        x: Column of numerators (cases meeting the condition).
        n: Column of denominators (cases in the sample).
        by: Key columns; when given, ``x`` and ``n`` are summed within each group first.
        confidence: 0.95 (or 95), 0.998, the pair ``(0.95, 0.998)``, or ``None`` for
            the value only.
        multiplier: Scale of the result (100 gives a percentage).

    Returns:
        Ungrouped: the input columns plus ``value``, the limits (``lowercl``/``uppercl``,
        or ``lower95_0cl`` ... for two levels), ``confidence``, ``statistic``,
        ``method`` and ``reason``. Grouped: the keys, the summed ``x`` and ``n``, then
        the same columns. A missing ``x`` or ``n`` gives missing results with the
        reason ``numerator_missing`` or ``denominator_missing``.

    Raises:
        MethodInputError: A numerator is negative, a denominator is not positive, or a
            numerator exceeds its denominator (the message names the rows).

    Source: PHEindicatormethods 2.1.0 ``phe_proportion``; Wilson (1927),
    doi:10.1080/01621459.1927.10502953.
    """
    require_columns(data, [x, n, *(by or [])])
    levels = confidence_levels(confidence, allow_none=True)
    raw_x = numeric_column(data, x)
    raw_n = numeric_column(data, n)
    keys = list(by or [])
    fix = "check the extract or the filter that built the numerator"
    reject_rows(data, raw_x < 0, field=x, problem="is negative", fix=fix, keys=keys)
    reject_rows(
        data,
        raw_n <= 0,
        field=n,
        problem="is zero or negative",
        fix="a proportion needs a positive denominator",
        keys=keys,
    )
    reject_rows(
        data,
        raw_x > raw_n,
        field=x,
        problem="exceeds the denominator " + repr(n),
        fix="a proportion's numerator must be a subset of its denominator",
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
    with np.errstate(invalid="ignore"):
        columns["value"] = float_column(xs / ns * multiplier, missing)
    lower_names = levels.limit_columns("lower")
    upper_names = levels.limit_columns("upper")
    for level, lower_name, upper_name in zip(
        levels.levels, lower_names, upper_names, strict=True
    ):
        columns[lower_name] = float_column(
            wilson_lower(xs, ns, level) * multiplier, missing
        )
        columns[upper_name] = float_column(
            wilson_upper(xs, ns, level) * multiplier, missing
        )
    if levels.levels:
        columns["confidence"] = constant_text(levels.label, size)
    columns["statistic"] = constant_text(proportion_statistic(multiplier), size)
    if levels.levels:
        columns["method"] = constant_text("Wilson", size)
    reasons = np.full(size, None, dtype=object)
    reasons[np.isnan(ns)] = ReasonCode.DENOMINATOR_MISSING.value
    reasons[np.isnan(xs)] = ReasonCode.NUMERATOR_MISSING.value
    columns["reason"] = reason_column(reasons)
    return assemble(base, columns)
