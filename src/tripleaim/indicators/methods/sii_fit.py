"""One area's SII fit and its simulated limits (the arithmetic behind :mod:`inequality`).

Follows PHEindicatormethods 2.1.0 ``phe_sii``, ``FindXValues`` and ``SimulationFunc``
step by step: weights ``sqrt(a)`` (a = population share), regressors ``sqrt(a)`` and
``b sqrt(a)`` (b = midpoint of the cumulative share), no intercept term; then
``repetitions`` redraws of all quantile values at once, refitted with the same
least-squares matrix, and the order statistics at ``round(R (1 - c))`` and
``round(R c)``, c = level + (1 - level) / 2.

Reference: Low A, Low A. J Public Health 2004;26:388-95. https://doi.org/10.1093/pubmed/fdh175
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tripleaim.indicators.methods.r_random import RRandomStream

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SiiFit:
    """Results for one area: ``sii``, ``rii``, ``intercept`` and ``sii_lower95_0`` style limits."""

    values: dict[str, float]


def _logistic(v: FloatArray | float) -> FloatArray:
    return np.asarray(np.exp(v) / (1 + np.exp(v)))


def _midpoints(pops: FloatArray) -> FloatArray:
    """Midpoint of each quantile's cumulative population share (``FindXValues``)."""
    share = pops / float(np.sum(pops.astype(np.longdouble)))
    cumulative = np.cumsum(share.astype(np.longdouble)).astype(np.float64)
    previous = np.concatenate(([np.nan], cumulative[:-1]))
    return np.where(np.isnan(previous), share / 2, share / 2 + previous)


def _back_transform(values: FloatArray, value_type: int, transform: bool) -> FloatArray:
    if transform:
        return values
    if value_type == 1:
        return np.exp(values)
    if value_type == 2:
        return _logistic(values)
    return values


def _simulated_order_statistics(
    design: FloatArray,
    value_t: FloatArray,
    se: FloatArray,
    stream: RRandomStream,
    *,
    value_type: int,
    transform: bool,
    multiplier: float,
    repetitions: int,
    levels: tuple[float, ...],
) -> dict[str, float]:
    """Redraw the quantile values, refit, and read off each level's order statistics."""
    sqrt_a = design[:, 0]
    quantiles = len(sqrt_a)
    draws = stream.normal(quantiles * repetitions, value_t, se)
    draws = draws.reshape(repetitions, quantiles).T
    weighted = _back_transform(draws, value_type, transform) * sqrt_a[:, None]
    m = design.T
    params = np.linalg.solve(m @ m.T, m) @ weighted
    slope, level0 = params[1], params[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        rii_draws = (slope + level0) / level0
    if multiplier < 0 and not transform:
        rii_draws = 1 / rii_draws
    sii_sorted = np.sort(slope if transform else slope * multiplier)
    rii_sorted = np.sort(rii_draws)
    out: dict[str, float] = {}
    for level in levels:
        upper_p = level + (1 - level) / 2
        low_pos = round(repetitions * (1 - upper_p)) - 1
        high_pos = round(repetitions * upper_p) - 1
        suffix = _suffix(level)
        out[f"sii_lower{suffix}"] = float(sii_sorted[low_pos])
        out[f"sii_upper{suffix}"] = float(sii_sorted[high_pos])
        out[f"rii_lower{suffix}"] = float(rii_sorted[low_pos])
        out[f"rii_upper{suffix}"] = float(rii_sorted[high_pos])
    return out


def _suffix(level: float) -> str:
    return f"{level * 100:.1f}".replace(".", "_")


def _back_transformed(
    coef_a: float,
    coef_b: float,
    simulated: dict[str, float],
    *,
    value_type: int,
    multiplier: float,
    levels: tuple[float, ...],
) -> dict[str, float]:
    """Results of a log/logit fit on the original scale (the reference's transform branch)."""
    at_one = coef_a + coef_b
    middle = (coef_a + at_one) / 2

    def scale(v: float) -> float:
        return float(np.exp(v)) if value_type == 1 else float(_logistic(v))

    start, end = scale(coef_a), scale(at_one)
    out = {
        "sii": (end - start) * multiplier,
        "rii": 1 / (end / start) if multiplier < 0 else end / start,
        "intercept": start * abs(multiplier),
    }
    flip = multiplier < 1 if value_type == 1 else multiplier < 0
    for level in levels:
        suffix = _suffix(level)
        low_slope = simulated[f"sii_lower{suffix}"]
        high_slope = simulated[f"sii_upper{suffix}"]
        lower_pair = (scale(middle + low_slope / 2), scale(middle - low_slope / 2))
        upper_pair = (scale(middle + high_slope / 2), scale(middle - high_slope / 2))
        first, second = (upper_pair, lower_pair) if flip else (lower_pair, upper_pair)
        out[f"sii_lower{suffix}"] = (first[0] - first[1]) * multiplier
        out[f"sii_upper{suffix}"] = (second[0] - second[1]) * multiplier
        if flip:
            out[f"rii_lower{suffix}"] = 1 / (first[0] / first[1])
            out[f"rii_upper{suffix}"] = 1 / (second[0] / second[1])
        else:
            out[f"rii_lower{suffix}"] = first[0] / first[1]
            out[f"rii_upper{suffix}"] = second[0] / second[1]
    return out


def fit_group(
    pops: FloatArray,
    value_t: FloatArray,
    se: FloatArray,
    stream: RRandomStream,
    *,
    value_type: int,
    transform: bool,
    multiplier: float,
    repetitions: int,
    levels: tuple[float, ...],
) -> SiiFit:
    """Fit one area (quantiles in ascending order) and simulate its limits.

    Args:
        pops: Quantile populations.
        value_t: Quantile values on the fitting scale (log/logit for rates/proportions).
        se: Standard errors on that scale.
        stream: The random stream; ``len(pops) * repetitions`` normals are drawn.
        value_type: 0 normal, 1 rate, 2 proportion.
        transform: Fit on the log/logit scale and back-transform the results.
        multiplier: Scale (negative inverts the RII).
        repetitions: Simulated draws.
        levels: Confidence levels.
    """
    share = pops / float(np.sum(pops.astype(np.longdouble)))
    sqrt_a = np.sqrt(share)
    design = np.column_stack([sqrt_a, _midpoints(pops) * sqrt_a])
    yvals = sqrt_a * _back_transform(value_t, value_type, transform)
    (coef_a, coef_b), *_ = np.linalg.lstsq(design, yvals, rcond=None)
    simulated = _simulated_order_statistics(
        design,
        value_t,
        se,
        stream,
        value_type=value_type,
        transform=transform,
        multiplier=multiplier,
        repetitions=repetitions,
        levels=levels,
    )
    if transform:
        return SiiFit(
            _back_transformed(
                float(coef_a),
                float(coef_b),
                simulated,
                value_type=value_type,
                multiplier=multiplier,
                levels=levels,
            )
        )
    rii = (coef_a + coef_b) / coef_a
    simulated["sii"] = float(multiplier * coef_b)
    simulated["rii"] = float(1 / rii if multiplier < 0 else rii)
    simulated["intercept"] = float(coef_a)
    return SiiFit(simulated)
