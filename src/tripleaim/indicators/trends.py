"""Trend across periods: Fingertips' trend marker, on the years the warehouse holds.

The calculation is the one in fingertips-open ``TrendMarkerCalculator`` (OHID,
*Fingertips technical guidance: trend markers*):

- Rates, ratios, life expectancy (anything with 95% limits): a weighted
  least-squares slope of value on time, weights ``1/se²`` with
  ``se = (upper95 - lower95) / 3.92``; ``chi² = (slope / se(slope))²``.
- Proportions: the chi-squared test for trend in proportions (Cochran-Armitage) on
  numerators and denominators; the slopes are those of log-odds on time.
- The trend is significant when ``chi²`` exceeds 9.5495 (chi-squared with one
  degree of freedom at 99.8%) **and** the slope has the same sign in the fit on every
  point and in each fit leaving one point out (no single outlier drives it).

Fingertips asks for at least five annual points; the synthetic warehouse holds three
financial years, so tripleaim applies the same test from three points (the latest
five when there are more) and says so in ``docs/methods/indicators.md``. A trend is
given on the latest period of each series only when every point in the window has
a value (and limits, or counts for proportions); otherwise it cannot be calculated.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

CHI_SQUARED_998 = 9.54953570608324
"""Chi-squared with one degree of freedom at 99.8%, as Fingertips uses."""
MINIMUM_POINTS = 3
MAXIMUM_POINTS = 5


def _weighted_slope(
    t: FloatArray, y: FloatArray, w: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Weighted least-squares slope and its standard error, row by row."""
    s1 = w.sum(axis=1)
    st = (w * t).sum(axis=1)
    sy = (w * y).sum(axis=1)
    sty = (w * t * y).sum(axis=1)
    stt = (w * t * t).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        det = s1 * stt - st**2
        slope = (s1 * sty - st * sy) / det
        se = np.sqrt(s1 / det)
    return slope, se


def _consistent_sign(
    t: FloatArray, y: FloatArray, w: FloatArray, full: FloatArray
) -> npt.NDArray[np.bool_]:
    """True where every leave-one-out slope has the sign of the full slope."""
    same: npt.NDArray[np.bool_] = np.asarray(np.sign(full) != 0)
    for left_out in range(t.shape[1]):
        keep = np.ones(t.shape[1], dtype=bool)
        keep[left_out] = False
        slope, _ = _weighted_slope(t[:, keep], y[:, keep], w[:, keep])
        same = same & np.asarray(np.sign(slope) == np.sign(full))
    return same


def trend_markers(
    values: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    numerators: FloatArray,
    denominators: FloatArray,
    *,
    proportion: bool,
) -> tuple[npt.NDArray[np.object_], FloatArray]:
    """Trend marker and chi-squared for series of equal length (rows), oldest first.

    Args:
        values: Values, one row per series and one column per period.
        lower: Lower 95% limits, same shape.
        upper: Upper 95% limits, same shape.
        numerators: Counts (used for proportions), same shape.
        denominators: Denominators (used for proportions), same shape.
        proportion: Use the chi-squared test for trend in proportions.

    Returns:
        One of ``TRENDS`` and the chi-squared statistic (NaN when not calculated)
        per series.
    """
    size, points = values.shape
    markers = np.full(size, "cannot_be_calculated", dtype=object)
    chi = np.full(size, np.nan)
    if points < MINIMUM_POINTS:
        return markers, chi
    t = np.tile(np.arange(1.0, points + 1), (size, 1))
    if proportion:
        x, n = numerators, denominators
        valid = (n > 0).all(axis=1) & (x > 0).all(axis=1) & (x < n).all(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            big_n, big_o = n.sum(axis=1), x.sum(axis=1)
            ot, nt, ntt = (
                (x * t).sum(axis=1),
                (n * t).sum(axis=1),
                (n * t * t).sum(axis=1),
            )
            chi = (
                big_n
                * (big_n * ot - big_o * nt) ** 2
                / (big_o * (big_n - big_o) * (big_n * ntt - nt**2))
            )
            y = np.log(x / (n - x))
        w = np.ones_like(y)
    else:
        se = (upper - lower) / 3.92
        valid = np.isfinite(values).all(axis=1) & (se > 0).all(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            w = 1 / se**2
            y = values
            slope, slope_se = _weighted_slope(t, y, w)
            chi = (slope / slope_se) ** 2
    valid &= np.isfinite(chi)
    y = np.where(valid[:, None], y, 0.0)
    w = np.where(valid[:, None], w, 1.0)
    full, _ = _weighted_slope(t, y, w)
    robust = _consistent_sign(t, y, w, full)
    significant = valid & robust & (chi > CHI_SQUARED_998)
    markers[valid] = "no_significant_change"
    markers[significant & (full > 0)] = "increasing"
    markers[significant & (full < 0)] = "decreasing"
    chi = np.where(valid, chi, np.nan)
    return markers, chi


def trend_assessment(
    markers: npt.NDArray[np.object_], polarity: str
) -> npt.NDArray[np.object_]:
    """What a trend means: ``getting_better``/``getting_worse`` by polarity, else None."""
    out = np.full(markers.shape, None, dtype=object)
    if polarity == "neither":
        return out
    good = "increasing" if polarity == "higher_is_better" else "decreasing"
    bad = "decreasing" if good == "increasing" else "increasing"
    out[markers == good] = "getting_better"
    out[markers == bad] = "getting_worse"
    out[markers == "no_significant_change"] = "no_significant_change"
    return out
