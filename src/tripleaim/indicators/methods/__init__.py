"""Indicator methods: pure, vectorised statistics that match PHEindicatormethods 2.1.0.

Each function takes a pandas frame (one row per case, or many rows per area with
``by=``) and returns a frame with the reference's columns plus ``reason``. The
numpy-level limits (Wilson, Byar's, exact Poisson) are in :mod:`confidence`.
"""

from __future__ import annotations

from tripleaim.indicators.methods.confidence import (
    byars_lower,
    byars_upper,
    exact_poisson_lower,
    exact_poisson_upper,
    poisson_count_limits,
    wilson_lower,
    wilson_upper,
)
from tripleaim.indicators.methods.dsr import (
    directly_standardised_rates,
    directly_standardised_rates_esp2013,
)
from tripleaim.indicators.methods.funnel_significance import (
    funnel_points,
    funnel_significance,
)
from tripleaim.indicators.methods.funnels import funnel_limits
from tripleaim.indicators.methods.inequality import slope_index_of_inequality
from tripleaim.indicators.methods.inputs import Confidence, MethodInputError
from tripleaim.indicators.methods.isr import (
    indirectly_standardised_rates,
    indirectly_standardised_ratios,
)
from tripleaim.indicators.methods.life_expectancy import life_expectancy
from tripleaim.indicators.methods.means import means
from tripleaim.indicators.methods.proportions import proportions
from tripleaim.indicators.methods.quantiles import assign_quantiles
from tripleaim.indicators.methods.r_random import RRandomStream
from tripleaim.indicators.methods.rates import crude_rates
from tripleaim.indicators.methods.standard_population import esp2013, esp2013_weights
from tripleaim.indicators.methods.suppression import (
    DEFAULT_RULE,
    ReasonCode,
    SuppressionRule,
    suppress_small_counts,
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
