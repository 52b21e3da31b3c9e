"""Confidence limits shared by the methods: Wilson score, Byar's, exact Poisson.

Each function is vectorised over numpy arrays and written in the reference's own
order of operations (``PHEindicatormethods`` 2.1.0, ``R/utils.R`` and ``R/Rates.R``),
so the limits agree with it to within a few units in the last place.

References:
    Wilson EB. Probable inference, the law of succession, and statistical inference.
    J Am Stat Assoc 1927;22:209-12. https://doi.org/10.1080/01621459.1927.10502953
    Newcombe RG, Altman DG. Proportions and their differences. In: Altman DG et al.
    Statistics with confidence, 2nd edn. BMJ Books; 2000:46-8.
    Breslow NE, Day NE. Statistical methods in cancer research, volume II. IARC; 1987
    (Byar's approximation). https://publications.iarc.fr/Book-And-Report-Series/Iarc-Scientific-Publications/Statistical-Methods-In-Cancer-Research-Volume-II-The-Design-And-Analysis-Of-Cohort-Studies-1987
    Armitage P, Berry G, Matthews JNS. Statistical methods in medical research, 4th edn.
    Blackwell; 2002 (exact Poisson limits via the chi-square distribution).
    https://doi.org/10.1002/9780470773666
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import special

from tripleaim.indicators.methods.r_numerics import qnorm_scalar

FloatArray = npt.NDArray[np.float64]

EXACT_BELOW = 10
"""Counts below this use exact Poisson limits; Byar's approximation from here up."""


def z_value(confidence: float) -> float:
    """Two-sided normal critical value: R's ``qnorm(confidence + (1 - confidence) / 2)``."""
    return qnorm_scalar(confidence + (1 - confidence) / 2)


def wilson_lower(x: npt.ArrayLike, n: npt.ArrayLike, confidence: float) -> FloatArray:
    """Lower Wilson score limit of the proportion ``x / n`` (0 at 100% confidence).

    Source: PHEindicatormethods ``wilson_lower``; Wilson (1927); Newcombe & Altman (2000).
    """
    xs = np.asarray(x, dtype=np.float64)
    ns = np.asarray(n, dtype=np.float64)
    if confidence == 1:
        return np.where(np.isnan(xs + ns), np.nan, 0.0)
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(
            (2 * xs + z**2 - z * np.sqrt(z**2 + 4 * xs * (1 - (xs / ns))))
            / 2
            / (ns + z**2)
        )


def wilson_upper(x: npt.ArrayLike, n: npt.ArrayLike, confidence: float) -> FloatArray:
    """Upper Wilson score limit of the proportion ``x / n`` (1 at 100% confidence).

    Source: PHEindicatormethods ``wilson_upper``; Wilson (1927); Newcombe & Altman (2000).
    """
    xs = np.asarray(x, dtype=np.float64)
    ns = np.asarray(n, dtype=np.float64)
    if confidence == 1:
        return np.where(np.isnan(xs + ns), np.nan, 1.0)
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(
            (2 * xs + z**2 + z * np.sqrt(z**2 + 4 * xs * (1 - (xs / ns))))
            / 2
            / (ns + z**2)
        )


def byars_lower(x: npt.ArrayLike, confidence: float) -> FloatArray:
    """Byar's lower limit of a Poisson count; NaN where the cube goes negative.

    ``x (1 - 1/(9x) - z/(3 sqrt(x)))^3``, as PHEindicatormethods ``byars_lower`` (which
    turns a negative limit into NA). Source: Breslow & Day (1987).
    """
    xs = np.asarray(x, dtype=np.float64)
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = xs * (1 - 1 / (9 * xs) - z / (3 * np.sqrt(xs))) ** 3
    return np.where(lower < 0, np.nan, lower)


def byars_upper(x: npt.ArrayLike, confidence: float) -> FloatArray:
    """Byar's upper limit of a Poisson count: ``(x+1)(1 - 1/(9(x+1)) + z/(3 sqrt(x+1)))^3``.

    Source: PHEindicatormethods ``byars_upper``; Breslow & Day (1987).
    """
    xs = np.asarray(x, dtype=np.float64)
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(
            (xs + 1) * (1 - 1 / (9 * (xs + 1)) + z / (3 * np.sqrt(xs + 1))) ** 3
        )


def exact_poisson_lower(x: npt.ArrayLike, confidence: float) -> FloatArray:
    """Exact lower limit of a Poisson count: ``qchisq((1 - c) / 2, 2x) / 2`` (0 when x = 0).

    Computed as the inverse regularised incomplete gamma function, which is the same
    quantity (``qchisq(p, 2a) / 2 = P^-1(a, p)``). Source: Armitage, Berry & Matthews (2002).
    """
    xs = np.asarray(x, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        lower = special.gammaincinv(np.where(xs > 0, xs, 1.0), (1 - confidence) / 2)
    return np.where(np.isnan(xs), np.nan, np.where(xs == 0, 0.0, lower))


def exact_poisson_upper(x: npt.ArrayLike, confidence: float) -> FloatArray:
    """Exact upper limit of a Poisson count: ``qchisq(c + (1 - c) / 2, 2x + 2) / 2``.

    Source: Armitage, Berry & Matthews (2002); PHEindicatormethods ``phe_rate``.
    """
    xs = np.asarray(x, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.asarray(
            special.gammaincinv(xs + 1, confidence + (1 - confidence) / 2)
        )


def poisson_count_limits(
    x: npt.ArrayLike, confidence: float
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """Limits of a Poisson count: exact below 10 events, Byar's from 10 up.

    Args:
        x: Observed counts (NaN where missing).
        confidence: The level, as a fraction.

    Returns:
        Lower limits, upper limits, and whether each used the exact method.

    Source: PHEindicatormethods ``phe_rate`` / ``calculate_ISRatio`` (``x < 10`` is exact).
    """
    xs = np.asarray(x, dtype=np.float64)
    exact = xs < EXACT_BELOW
    lower = np.where(
        exact, exact_poisson_lower(xs, confidence), byars_lower(xs, confidence)
    )
    upper = np.where(
        exact, exact_poisson_upper(xs, confidence), byars_upper(xs, confidence)
    )
    return lower, upper, exact
