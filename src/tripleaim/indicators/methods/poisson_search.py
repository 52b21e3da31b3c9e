"""The reference's bisection search for Poisson funnel limits, reproduced decision for decision.

PHEindicatormethods finds the expected count at which an observed count sits on a
funnel limit by bisection on ``v`` in (0, 1), with ``z = (1 + obs) v / (1 - v)``,
halving the step from 0.25 until it is below 1e-7 (23 steps), and compares a
Poisson tail probability, summed term by term, with ``p`` at each step. Every step
moves ``v`` by an exact power of two, so the result is fixed by the sequence of
comparisons. Here each comparison uses regularised incomplete gamma functions,
vectorised over all points, truncated where the reference's sum stops (its early
stop moves the probability by up to ~1e-6 relative, enough to change a branch);
where that probability lies within 1e-10 (relative) of ``p`` the reference's
term-by-term sum decides instead, so the search takes the same branches and
returns the same double.

References:
    PHEindicatormethods 2.1.0 ``R/utils.R`` (``poisson_cis``, ``poisson_funnel``),
    after the PHE funnel plot Excel tool. OHID. Fingertips technical guidance: funnel
    plots. https://fingertips.phe.org.uk/static-reports/public-health-technical-guidance/
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import special

FloatArray = npt.NDArray[np.float64]
_AMBIGUOUS = 1e-10


def poisson_interval_probability(z: float, x_a: float, x_b: float) -> float:
    """The reference's ``poisson_cis``: P(x_a <= K <= x_b) for K ~ Poisson(z), summed term by term.

    Sums ``z^k / k!`` until ``k > z`` and the term is below 1e-10 of the total,
    rescaling by 1e30 when the total grows large, exactly as the R code does.
    """
    q, total, inside, k = 1.0, 0.0, 0.0, 0
    while k <= z or q > total * 1e-10:
        total += q
        if x_a <= k <= x_b:
            inside += q
        if total > 1e30:
            inside /= 1e30
            total /= 1e30
            q /= 1e30
        k += 1
        q = q * z / k
    return inside / total


def _last_term(z: FloatArray) -> FloatArray:
    """Where the reference's sum stops: the first ``k > z`` whose term is <= 1e-10 of the total.

    The ratio of a term to the sum before it falls with ``k`` once ``k > z``, so a
    vectorised bisection on ``k`` finds the stopping point; terms ``0 .. k - 1`` are summed.
    """
    first = np.floor(z) + 1
    log_limit = np.log(1e-10)

    def stops(k: FloatArray) -> npt.NDArray[np.bool_]:
        with np.errstate(divide="ignore"):
            log_term = k * np.log(z) - z - special.gammaln(k + 1)
            log_total = np.log(special.pdtr(k - 1, z))
        return np.asarray(log_term - log_total <= log_limit)

    low = first
    high = first + np.ceil(20 * np.sqrt(z) + 60)
    done = stops(low)
    while True:
        active = ~done & (high - low > 1)
        if not active.any():
            break
        middle = np.floor((low + high) / 2)
        stop_mid = stops(middle)
        high = np.where(active & stop_mid, middle, high)
        low = np.where(active & ~stop_mid, middle, low)
    return np.where(done, low, high)


def _reference_tail(z: FloatArray, obs: FloatArray, side: str) -> FloatArray:
    """The reference's truncated tail probability, from exact incomplete gamma functions.

    ``P(K >= obs)`` (``low``) or ``P(K <= obs)`` (``high``) among the terms the
    reference sums (``0 .. k - 1``), i.e. divided by the truncated total. Agrees with
    the term-by-term sum to its rounding error (about 1e-12 relative).
    """
    stop = _last_term(z)
    total = special.gammaincc(stop, z)
    if side == "low":
        inside = np.where(
            obs < stop, special.gammainc(obs, z) - special.gammainc(stop, z), 0.0
        )
    else:
        inside = special.gammaincc(np.minimum(obs, stop - 1) + 1, z)
    return np.asarray(inside / total)


def poisson_funnel(obs: npt.ArrayLike, p: float, side: str) -> FloatArray:
    """Expected count at which ``obs`` observed events sit on the funnel limit ``p``.

    Args:
        obs: Observed counts (1 or more).
        p: One-sided tail probability (0.025 for the 95% limits, 0.001 for 99.8%).
        side: ``low`` (the expected count above which ``obs`` is significantly low,
            giving the upper limit) or ``high``.

    Returns:
        The expected counts, one per observed count.

    Source: PHEindicatormethods 2.1.0 ``poisson_funnel``.
    """
    if side not in ("low", "high"):
        raise ValueError(f"side must be 'low' or 'high', not {side!r}")
    counts = np.asarray(obs, dtype=np.float64)
    v = np.full(counts.shape, 0.5)
    dv = 0.5
    while dv > 1e-7:
        dv /= 2
        z = (1 + counts) * v / (1 - v)
        probability = _reference_tail(z, counts, side)
        ambiguous = np.abs(probability - p) <= _AMBIGUOUS * p
        for index in np.flatnonzero(ambiguous):
            bounds = (counts[index], 1e10) if side == "low" else (0.0, counts[index])
            probability[index] = poisson_interval_probability(float(z[index]), *bounds)
        step_down = probability > p if side == "low" else probability < p
        v = np.where(step_down, v - dv, v + dv)
    return np.asarray((1 + counts) * v / (1 - v))
