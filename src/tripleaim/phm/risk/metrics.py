"""How well predicted risks discriminate and calibrate: pure functions on arrays.

The c-statistic is the probability that a random person with the outcome has a
higher predicted risk than a random person without it (ties count a half): the
Mann-Whitney U statistic over the product of the group sizes (Hanley and McNeil
1982, doi:10.1148/radiology.143.1.7063747). The Brier score is the mean squared
difference between risk and outcome (Brier 1950). The reliability table compares
mean predicted risk with the observed proportion in each decile of predicted risk
(Steyerberg, *Clinical Prediction Models*, 2nd ed., ch. 15).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.stats import rankdata

FloatArray = npt.NDArray[np.float64]

OVERALL_TOLERANCE = 0.10
"""Expected / observed events on the hold-out must lie within 10% of 1."""
DECILE_TOLERANCE = 0.02
"""Per decile, |observed - expected| within 2 percentage points ..."""
DECILE_STANDARD_ERRORS = 3.29
"""... or 3.29 binomial standard errors of the expected risk, whichever is larger:
a Bonferroni bound over ten deciles at a family-wise 1% (0.1% two-sided each), so
a perfectly calibrated model fails by chance once in a hundred data sets. A decile
of 300 people at 8% has a standard error of 1.6 points; of 70,000, of 0.1 point."""


def c_statistic(outcome: npt.ArrayLike, risk: npt.ArrayLike) -> float | None:
    """Area under the ROC curve; ``None`` when only one class is present."""
    y = np.asarray(outcome, dtype=np.float64)
    p = np.asarray(risk, dtype=np.float64)
    positives = int(y.sum())
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        return None
    ranks = rankdata(p)
    u = float(ranks[y == 1].sum()) - positives * (positives + 1) / 2
    return u / (positives * negatives)


def brier_score(outcome: npt.ArrayLike, risk: npt.ArrayLike) -> float:
    """Mean of ``(risk - outcome) ** 2``."""
    y = np.asarray(outcome, dtype=np.float64)
    p = np.asarray(risk, dtype=np.float64)
    return float(np.mean((p - y) ** 2))


@dataclass(frozen=True)
class CalibrationBin:
    """One decile of predicted risk on the reliability table."""

    decile: int
    persons: int
    expected: float
    observed: float
    tolerance: float

    @property
    def within_tolerance(self) -> bool:
        """Whether ``|observed - expected|`` is within the stated tolerance."""
        return abs(self.observed - self.expected) <= self.tolerance

    def as_dict(self) -> dict[str, Any]:
        """Fields and ``within_tolerance``, for metrics.json."""
        return {**asdict(self), "within_tolerance": self.within_tolerance}


def decile_tolerance(expected: float, persons: int) -> float:
    """2 points or 3.29 binomial standard errors of ``expected``, the larger."""
    se = math.sqrt(max(expected * (1 - expected), 0.0) / max(persons, 1))
    return max(DECILE_TOLERANCE, DECILE_STANDARD_ERRORS * se)


def calibration_table(
    outcome: npt.ArrayLike, risk: npt.ArrayLike, bins: int = 10
) -> list[CalibrationBin]:
    """Mean predicted and observed risk per group of predicted risk (deciles by default).

    People are sorted by risk (ties in input order, a stable sort) and cut into
    ``bins`` groups of equal size (the first groups take one more when the count
    does not divide), so ties never make an empty group.
    """
    y = np.asarray(outcome, dtype=np.float64)
    p = np.asarray(risk, dtype=np.float64)
    order = np.argsort(p, kind="stable")
    table = []
    for number, chunk in enumerate(np.array_split(order, bins), start=1):
        if len(chunk) == 0:
            continue
        expected = float(p[chunk].mean())
        table.append(
            CalibrationBin(
                decile=number,
                persons=len(chunk),
                expected=expected,
                observed=float(y[chunk].mean()),
                tolerance=decile_tolerance(expected, len(chunk)),
            )
        )
    return table


def expected_observed(outcome: npt.ArrayLike, risk: npt.ArrayLike) -> float | None:
    """Sum of predicted risks over events observed; ``None`` without events."""
    observed = float(np.asarray(outcome, dtype=np.float64).sum())
    if observed == 0:
        return None
    return float(np.asarray(risk, dtype=np.float64).sum()) / observed


def performance(outcome: npt.ArrayLike, risk: npt.ArrayLike) -> dict[str, Any]:
    """Persons, events, c-statistic, Brier score, expected/observed of one group."""
    y = np.asarray(outcome, dtype=np.float64)
    p = np.asarray(risk, dtype=np.float64)
    return {
        "persons": len(y),
        "events": int(y.sum()),
        "observed_rate": float(y.mean()) if len(y) else None,
        "expected_rate": float(p.mean()) if len(p) else None,
        "c_statistic": c_statistic(y, p),
        "brier": brier_score(y, p) if len(y) else None,
        "expected_observed": expected_observed(y, p),
    }


def subgroup_performance(
    outcome: npt.ArrayLike, risk: npt.ArrayLike, groups: npt.ArrayLike
) -> dict[str, dict[str, Any]]:
    """:func:`performance` per value of ``groups`` (sorted by the value's text)."""
    y = np.asarray(outcome, dtype=np.float64)
    p = np.asarray(risk, dtype=np.float64)
    g = np.asarray(groups).astype(str)
    return {
        value: performance(y[g == value], p[g == value]) for value in sorted(set(g))
    }


def risk_percentile(risk: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Percentile of each risk in the population, 1 (lowest) to 100 (highest).

    ``ceil(100 * rank / n)`` with ties given their highest rank, so everyone with
    the same risk shares a percentile.
    """
    p = np.asarray(risk, dtype=np.float64)
    if len(p) == 0:
        return np.zeros(0, dtype=np.int64)
    ranks = rankdata(p, method="max")
    percentiles: npt.NDArray[np.int64] = np.ceil(100 * ranks / len(p)).astype(np.int64)
    return percentiles
