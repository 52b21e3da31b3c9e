"""Pure functions on segmented people: reduction in variance and risk bands.

Reduction in variance is the metric of the BNSSG segmentation workshop (NHS-R
Conference 2019): ``100 x (Var_pop - sum_g n_g Var_g / N) / Var_pop`` on total
spend, with population (not sample) variances, so it is the share of the variance
of spend that the segments explain (0 to 100).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

RISK_BANDS = ("top_2", "next_3", "next_15", "rest")
"""Risk bands by ``risk_percentile`` (100 = highest): top 2% is percentile 99-100,
the next 3% 96-98, the next 15% 81-95, the rest 1-80."""

RISK_BAND_TITLES = {
    "top_2": "Top 2%",
    "next_3": "Next 3%",
    "next_15": "Next 15%",
    "rest": "Rest",
}


def risk_band(percentile: int) -> str:
    """The band of a risk percentile (1 lowest, 100 highest)."""
    if percentile >= 99:
        return "top_2"
    if percentile >= 96:
        return "next_3"
    if percentile >= 81:
        return "next_15"
    return "rest"


def reduction_in_variance(values: npt.ArrayLike, groups: npt.ArrayLike) -> float | None:
    """Percentage of the variance of ``values`` explained by ``groups``.

    Returns:
        ``100 * (Var_pop - sum_g n_g Var_g / N) / Var_pop``; ``None`` when there are
        no values or they do not vary.
    """
    spend = np.asarray(values, dtype=np.float64)
    labels = np.asarray(groups)
    if spend.size == 0:
        return None
    total = float(spend.var())
    if total == 0:
        return None
    within = 0.0
    for label in np.unique(labels):
        part = spend[labels == label]
        within += part.size * float(part.var())
    return 100 * (total - within / spend.size) / total
