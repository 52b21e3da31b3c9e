"""Seeded monthly series for the demo programme: KPI trajectories and actuals, savings phasing.

Pure functions of the definition and a ``numpy.random.Generator``, so the same seed
gives the same history (house style: no global random state).
"""

from __future__ import annotations

import numpy as np

from tripleaim.delivery.periods import month_range
from tripleaim.delivery.spec import KpiSpec, SavingsSpec


def trajectory(spec: KpiSpec, first: str, last: str) -> dict[str, float]:
    """Straight line from the baseline in ``first`` to the target in its month, then flat."""
    months = month_range(first, last)
    reach = month_range(first, max(first, spec.target_month))
    steps = max(len(reach) - 1, 1)
    out = {}
    for index, month in enumerate(months):
        share = min(index / steps, 1.0)
        value = spec.baseline + share * (spec.target - spec.baseline)
        out[month] = round(value, spec.decimals)
    return out


def actuals(
    spec: KpiSpec, planned: dict[str, float], until: str, rng: np.random.Generator
) -> dict[str, float]:
    """Actuals to ``until``: ``achievement`` of the planned change, plus noise, rounded."""
    out = {}
    for month, plan in planned.items():
        if month > until:
            break
        value = spec.baseline + spec.achievement * (plan - spec.baseline)
        value += float(rng.normal(0.0, spec.noise)) if spec.noise else 0.0
        if spec.unit == "%":
            value = min(max(value, 0.0), 100.0)
        out[month] = round(max(value, 0.0), spec.decimals)
    return out


def phasing(spec: SavingsSpec, months: list[str]) -> dict[str, float]:
    """The yearly plan spread over its months (flat or rising), adding up exactly (to £100)."""
    weights = np.arange(1, 13, dtype=float) if spec.ramp else np.ones(12)
    tenths = np.floor(spec.plan_total * 10 * weights / weights.sum())
    tenths[-1] += round(spec.plan_total * 10) - tenths.sum()
    return {month: float(t) / 10 for month, t in zip(months, tenths, strict=True)}


def savings_actuals(
    spec: SavingsSpec,
    plan: dict[str, float],
    until: str,
    rng: np.random.Generator,
) -> dict[str, float]:
    """Actual savings to ``until``: ``achievement`` of plan with 8% noise, never negative."""
    out = {}
    for month, planned in plan.items():
        if month > until:
            break
        noisy = planned * spec.achievement * (1 + float(rng.normal(0.0, 0.08)))
        out[month] = round(max(noisy, 0.0), 1)
    return out
