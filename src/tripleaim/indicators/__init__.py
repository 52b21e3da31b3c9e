"""Indicators: public health statistics computed the way OHID's Fingertips computes them.

The public API of the capability (web and cli import only this). The methods are
pure, vectorised functions over pandas frames that match the R package
PHEindicatormethods 2.1.0 cell for cell; see ``docs/methods/``. Indicator
definitions are YAML files validated by :class:`IndicatorSpec`; profiles (every
indicator for every area, level and year, with benchmark comparison, excess, ranks,
trend and inequality gap) are computed by :func:`compute_profiles` and stored in the
warehouse table ``indicator_values`` (see ``docs/methods/indicators.md``).
"""

from __future__ import annotations

from tripleaim.indicators.catalogue import definitions, parse_definition
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
from tripleaim.indicators.pipelines import LEVELS
from tripleaim.indicators.results import INDICATOR_VALUES
from tripleaim.indicators.service import ProfileSummary, compute_profiles, profile_frame
from tripleaim.indicators.spec import IndicatorSpec

__all__ = [
    "DEFAULT_RULE",
    "INDICATOR_VALUES",
    "LEVELS",
    "Confidence",
    "IndicatorSpec",
    "MethodInputError",
    "ProfileSummary",
    "RRandomStream",
    "ReasonCode",
    "SuppressionRule",
    "assign_quantiles",
    "byars_lower",
    "byars_upper",
    "compute_profiles",
    "crude_rates",
    "definitions",
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
    "parse_definition",
    "poisson_count_limits",
    "profile_frame",
    "proportions",
    "slope_index_of_inequality",
    "suppress_small_counts",
    "wilson_lower",
    "wilson_upper",
]
