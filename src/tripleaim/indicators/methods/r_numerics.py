"""Numerics that reproduce R's own arithmetic, so results match PHEindicatormethods bit for bit.

PHEindicatormethods 2.1.0 runs on R's ``qnorm`` (Wichura's algorithm AS 241), on R's
``sum``/``cumsum``/``cumprod`` (which accumulate in 80-bit long double on x86-64) and on
``as.character`` for the labels it writes (``1e+05``). Matching those keeps every
reference fixture within 1e-9 and most cells identical.

References:
    Wichura MJ. Algorithm AS 241: the percentage points of the normal distribution.
    Applied Statistics 1988;37:477-84. https://doi.org/10.2307/2347330
    R Core Team. R 4.2.2 sources: ``src/nmath/qnorm.c``, ``src/main/summary.c``,
    ``src/main/format.c``. https://svn.r-project.org/R/tags/R-4-2-2/
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

_A = (
    3.387132872796366608,
    133.14166789178437745,
    1971.5909503065514427,
    13731.693765509461125,
    45921.953931549871457,
    67265.770927008700853,
    33430.575583588128105,
    2509.0809287301226727,
)
_B = (
    1.0,
    42.313330701600911252,
    687.1870074920579083,
    5394.1960214247511077,
    21213.794301586595867,
    39307.89580009271061,
    28729.085735721942674,
    5226.495278852854561,
)
_C = (
    1.42343711074968357734,
    4.6303378461565452959,
    5.7694972214606914055,
    3.64784832476320460504,
    1.27045825245236838258,
    0.24178072517745061177,
    0.0227238449892691845833,
    7.7454501427834140764e-4,
)
_D = (
    1.0,
    2.05319162663775882187,
    1.6763848301838038494,
    0.68976733498510000455,
    0.14810397642748007459,
    0.0151986665636164571966,
    5.475938084995344946e-4,
    1.05075007164441684324e-9,
)
_E = (
    6.6579046435011037772,
    5.4637849111641143699,
    1.7848265399172913358,
    0.29656057182850489123,
    0.026532189526576123093,
    0.0012426609473880784386,
    2.71155556874348757815e-5,
    2.01033439929228813265e-7,
)
_F = (
    1.0,
    0.59983220655588793769,
    0.13692988092273580531,
    0.0148753612908506148525,
    7.868691311456132591e-4,
    1.8463183175100546818e-5,
    1.4215117583164458887e-7,
    2.04426310338993978564e-15,
)


def _horner(coefficients: tuple[float, ...], r: FloatArray) -> FloatArray:
    """Evaluate a degree-7 polynomial in the nesting order R's C code uses."""
    value = r * coefficients[7] + coefficients[6]
    for k in range(5, -1, -1):
        value = value * r + coefficients[k]
    return value


def qnorm(p: npt.ArrayLike) -> FloatArray:
    """Standard normal quantile, as R 4.2's ``qnorm(p)`` (lower tail, not log).

    Args:
        p: Probabilities; values outside (0, 1) give -inf/inf at the ends and NaN beyond.

    Returns:
        The quantiles, elementwise, computed with AS 241 in R's operation order.

    Source: R 4.2.2 ``src/nmath/qnorm.c``; Wichura (1988), doi:10.2307/2347330.
    """
    prob = np.asarray(p, dtype=np.float64)
    out = np.full(prob.shape, np.nan)
    q = prob - 0.5
    central = np.abs(q) <= 0.425
    with np.errstate(all="ignore"):
        qc = q[central]
        r = 0.180625 - qc * qc
        out[central] = qc * _horner(_A, r) / _horner(_B, r)
        tail = ~central & (prob > 0) & (prob < 1)
        pt = prob[tail]
        qt = q[tail]
        rt = np.where(qt > 0, 0.5 - pt + 0.5, pt)
        rt = np.sqrt(-np.log(rt))
        near = rt <= 5.0
        val = np.where(
            near,
            _horner(_C, rt - 1.6) / _horner(_D, rt - 1.6),
            _horner(_E, rt - 5.0) / _horner(_F, rt - 5.0),
        )
        out[tail] = np.where(qt < 0, -val, val)
    out[prob == 0] = -np.inf
    out[prob == 1] = np.inf
    return out


def qnorm_scalar(p: float) -> float:
    """R's ``qnorm(p)`` for one probability (see :func:`qnorm`)."""
    return float(qnorm(np.array([p]))[0])


def r_number_label(x: float) -> str:
    """Format a number as R's ``as.character(x)`` does (15 significant digits).

    R chooses fixed or scientific notation by width, so ``1e5`` prints as ``1e+05`` but
    ``1000`` as ``1000``; PHEindicatormethods pastes such numbers into labels
    (``proportion of 1``, ``simulation 1e+05 reps``).

    Source: R 4.2.2 ``src/main/format.c`` (``formatReal``, ``R_print.scipen = 0``).
    """
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Inf" if x > 0 else "-Inf"
    if x == 0:
        return "0"
    negative = x < 0
    mantissa, exponent_text = f"{abs(x):.14e}".split("e")
    exponent = int(exponent_text)
    digits = mantissa.replace(".", "").rstrip("0") or "0"
    significant = len(digits)
    sci_width = (significant + 1 if significant > 1 else 1) + (
        4 if abs(exponent) < 100 else 5
    )
    left = exponent + 1 if exponent >= 0 else 1
    right = max(0, significant - exponent - 1)
    fixed_width = left + (right + 1 if right > 0 else 0)
    sign = "-" if negative else ""
    if fixed_width <= sci_width:
        return sign + f"{abs(x):.{right}f}"
    body = digits[0] + ("." + digits[1:] if significant > 1 else "")
    return f"{sign}{body}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"


def r_plain_label(x: float, *, big_mark: str = "") -> str:
    """Format as R's ``format(x, scientific = FALSE)`` (optionally with ``big.mark``).

    Whole numbers print without decimals (``100000`` or ``100,000``); others with up
    to seven significant digits, R's default ``digits``.
    """
    if float(x).is_integer():
        whole = int(x)
        return f"{whole:,}".replace(",", big_mark) if big_mark else str(whole)
    text = f"{x:.7g}"
    if "e" in text:
        text = np.format_float_positional(
            x, precision=7, unique=False, fractional=False
        )
    return text.rstrip("0").rstrip(".") if "." in text else text


def r_character_width(x: float) -> int:
    """Number of characters of ``as.character(x)`` (R's ``nchar`` of a number)."""
    return len(r_number_label(x))
