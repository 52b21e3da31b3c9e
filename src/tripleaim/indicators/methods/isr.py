"""Indirectly standardised ratios (SMR-style) and rates, with exact or Byar's limits.

Matches ``PHEindicatormethods::calculate_ISRatio`` and ``calculate_ISRate`` (2.1.0),
including ``observed_totals``. Expected events are the reference population's
band rates applied to each area's band populations. See ``docs/methods/isr.md``.

References:
    Breslow NE, Day NE. Statistical methods in cancer research, volume II. IARC; 1987.
    Armitage P, Berry G, Matthews JNS. Statistical methods in medical research, 4th
    edn. Blackwell; 2002. https://doi.org/10.1002/9780470773666
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from tripleaim.indicators.methods.confidence import poisson_count_limits
from tripleaim.indicators.methods.frames import (
    assemble,
    choose_text,
    constant_text,
    float_column,
    reason_column,
)
from tripleaim.indicators.methods.grouping import group_rows
from tripleaim.indicators.methods.inputs import (
    Confidence,
    MethodInputError,
    confidence_levels,
    numeric_column,
    reject_rows,
    require_columns,
)
from tripleaim.indicators.methods.r_numerics import r_plain_label
from tripleaim.indicators.methods.suppression import ReasonCode

FloatArray = npt.NDArray[np.float64]
Reference = str | Sequence[float]
"""A column name, or values matched to each area's rows by position (youngest first)."""


def _reference(
    data: pd.DataFrame,
    spec: Reference,
    sizes: npt.NDArray[np.intp],
    positions: npt.NDArray[np.intp],
    name: str,
) -> FloatArray:
    if isinstance(spec, str):
        require_columns(data, [spec])
        return numeric_column(data, spec)
    values = np.asarray(spec, dtype=np.float64)
    if len(values) != int(sizes[0]):
        raise MethodInputError(
            f"{name} has {len(values)} values but each area has {int(sizes[0])} rows",
            field=name,
        )
    return values[positions]


def _observed_from_totals(
    keys: pd.DataFrame, totals: pd.DataFrame, x: str, by: list[str]
) -> FloatArray:
    require_columns(totals, [x, *by])
    reject_rows(
        totals,
        numeric_column(totals, x) < 0,
        field=x,
        problem="is negative",
        fix="observed totals must be zero or more",
        keys=by,
    )
    if bool(totals.duplicated(subset=by).any()):
        raise MethodInputError(
            f"observed_totals has more than one row per {by}", field=x
        )
    merged = keys.merge(totals[[*by, x]], on=by, how="left", sort=False)
    return numeric_column(merged, x)


def _isr(
    data: pd.DataFrame,
    x: str,
    n: str,
    x_ref: Reference,
    n_ref: Reference,
    *,
    by: Sequence[str] | None,
    confidence: Confidence,
    observed_totals: pd.DataFrame | None,
    multiplier: float | None,
    refvalue: float,
) -> pd.DataFrame:
    keys = list(by or [])
    require_columns(data, [n, *keys, *([] if observed_totals is not None else [x])])
    levels = confidence_levels(confidence)
    groups = group_rows(data, keys)
    if len(np.unique(groups.sizes)) > 1:
        raise MethodInputError(
            "every area needs the same number of standardisation bands; "
            f"sizes found: {sorted({int(s) for s in groups.sizes})}",
            field=n,
        )
    positions = groups.position()
    xref = _reference(data, x_ref, groups.sizes, positions, "x_ref")
    nref = _reference(data, n_ref, groups.sizes, positions, "n_ref")
    ns = numeric_column(data, n)
    reject_rows(
        data,
        ns < 0,
        field=n,
        problem="is negative",
        fix="populations must be zero or more",
        keys=keys,
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        exp_x = (
            np.where(np.isnan(xref), 0.0, xref) / nref * np.where(np.isnan(ns), 0.0, ns)
        )
    expected = groups.sum(exp_x)
    if observed_totals is None:
        xs = numeric_column(data, x)
        reject_rows(
            data,
            xs < 0,
            field=x,
            problem="is negative",
            fix="event counts must be zero or more",
            keys=keys,
        )
        observed = groups.sum(xs, skipna=True)
    else:
        observed = _observed_from_totals(groups.keys, observed_totals, x, keys)
    columns: dict[str, object] = {
        "observed": float_column(observed, np.isnan(observed)),
        "expected": float_column(expected, np.isnan(expected)),
    }
    if multiplier is None:
        scale = np.full(groups.count, float(refvalue))
        statistic = f"indirectly standardised ratio x {r_plain_label(refvalue)}"
    else:
        ref_rate = groups.sum(xref, skipna=True) / groups.sum(nref) * multiplier
        columns["ref_rate"] = float_column(ref_rate, np.isnan(ref_rate))
        scale = ref_rate
        statistic = f"indirectly standardised rate per {r_plain_label(multiplier)}"
    missing = np.isnan(observed)
    with np.errstate(divide="ignore", invalid="ignore"):
        columns["value"] = float_column(observed / expected * scale, missing)
        for level, lower_name, upper_name in zip(
            levels.levels,
            levels.limit_columns("lower"),
            levels.limit_columns("upper"),
            strict=True,
        ):
            lower, upper, _ = poisson_count_limits(observed, level)
            columns[lower_name] = float_column(lower / expected * scale, missing)
            columns[upper_name] = float_column(upper / expected * scale, missing)
    size = groups.count
    columns["confidence"] = constant_text(levels.label, size)
    columns["statistic"] = constant_text(statistic, size)
    columns["method"] = choose_text([missing, observed < 10], [None, "Exact"], "Byars")
    reasons = np.full(size, None, dtype=object)
    reasons[expected == 0] = ReasonCode.EXPECTED_ZERO.value
    reasons[missing] = ReasonCode.OBSERVED_MISSING.value
    columns["reason"] = reason_column(reasons)
    return assemble(groups.keys, columns)


def indirectly_standardised_ratios(
    data: pd.DataFrame,
    x: str = "x",
    n: str = "n",
    x_ref: Reference = "x_ref",
    n_ref: Reference = "n_ref",
    *,
    by: Sequence[str] | None = None,
    confidence: Confidence = 0.95,
    refvalue: float = 1,
    observed_totals: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Indirectly standardised ratios ``observed / expected * refvalue`` per area.

    ``expected = sum(x_ref / n_ref * n)`` over the area's bands (missing reference
    events or populations count as 0). Limits are exact Poisson limits of the observed
    count below 10 and Byar's from 10 up, divided by ``expected``. An area with no
    expected events gets NaN (and an infinite upper limit), as the reference does,
    with the reason ``expected_zero``.

    Args:
        data: One row per area and band, with the same bands in every area.
        x: Observed events per band (or, with ``observed_totals``, its total column).
        n: Area population per band (0 allowed).
        x_ref: Reference events per band: a column, or one value per band.
        n_ref: Reference population per band: a column, or one value per band.
        by: Key columns.
        confidence: 0.95, 0.998 or the pair ``(0.95, 0.998)``.
        refvalue: Scale of the ratio (100 gives an SMR-style ratio x 100).
        observed_totals: Observed totals per area (``by`` columns and ``x``) when
            events are not known by band.

    Returns:
        Keys, ``observed``, ``expected``, ``value``, limits, ``confidence``,
        ``statistic``, ``method`` and ``reason``.

    Raises:
        MethodInputError: Negative counts or populations, or areas with different
            numbers of bands.

    Source: PHEindicatormethods 2.1.0 ``calculate_ISRatio``.
    """
    return _isr(
        data,
        x,
        n,
        x_ref,
        n_ref,
        by=by,
        confidence=confidence,
        observed_totals=observed_totals,
        multiplier=None,
        refvalue=refvalue,
    )


def indirectly_standardised_rates(
    data: pd.DataFrame,
    x: str = "x",
    n: str = "n",
    x_ref: Reference = "x_ref",
    n_ref: Reference = "n_ref",
    *,
    by: Sequence[str] | None = None,
    confidence: Confidence = 0.95,
    multiplier: float = 100000,
    observed_totals: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Indirectly standardised rates: the ratio times the reference's crude rate.

    ``ref_rate = sum(x_ref) / sum(n_ref) * multiplier``; ``value = observed / expected *
    ref_rate``; limits as for :func:`indirectly_standardised_ratios`.

    Returns:
        Keys, ``observed``, ``expected``, ``ref_rate``, ``value``, limits, labels and
        ``reason``.

    Raises:
        MethodInputError: As :func:`indirectly_standardised_ratios`.

    Source: PHEindicatormethods 2.1.0 ``calculate_ISRate``.
    """
    return _isr(
        data,
        x,
        n,
        x_ref,
        n_ref,
        by=by,
        confidence=confidence,
        observed_totals=observed_totals,
        multiplier=multiplier,
        refvalue=1.0,
    )
