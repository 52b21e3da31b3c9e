"""Indicators: public health statistics computed the way OHID's Fingertips computes them.

The public API of the capability (web and cli import only this). The methods are
pure, vectorised functions over pandas frames that match the R package
PHEindicatormethods 2.1.0 cell for cell; see ``docs/methods/``.
"""

from __future__ import annotations

from tripleaim.indicators.methods import (
    DEFAULT_RULE,
    Confidence,
    MethodInputError,
    ReasonCode,
    RRandomStream,
    SuppressionRule,
    assign_quantiles,
    byars_lower,
    byars_upper,
    crude_rates,
    directly_standardised_rates,
    directly_standardised_rates_esp2013,
    esp2013,
    esp2013_weights,
    exact_poisson_lower,
    exact_poisson_upper,
    funnel_limits,
    funnel_points,
    funnel_significance,
    indirectly_standardised_rates,
    indirectly_standardised_ratios,
    life_expectancy,
    means,
    poisson_count_limits,
    proportions,
    slope_index_of_inequality,
    suppress_small_counts,
    wilson_lower,
    wilson_upper,
)

__all__ = [
    "DEFAULT_RULE",
    "Confidence",
    "MethodInputError",
    "RRandomStream",
    "ReasonCode",
    "SuppressionRule",
    "assign_quantiles",
    "byars_lower",
    "byars_upper",
    "crude_rates",
    "directly_standardised_rates",
    "directly_standardised_rates_esp2013",
    "esp2013",
    "esp2013_weights",
    "exact_poisson_lower",
    "exact_poisson_upper",
    "funnel_limits",
    "funnel_points",
    "funnel_significance",
    "indirectly_standardised_rates",
    "indirectly_standardised_ratios",
    "life_expectancy",
    "means",
    "poisson_count_limits",
    "proportions",
    "slope_index_of_inequality",
    "suppress_small_counts",
    "wilson_lower",
    "wilson_upper",
]
