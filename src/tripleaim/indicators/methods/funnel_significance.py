"""Which areas fall outside the funnel limits, and where rate areas sit on the funnel chart.

Matches ``PHEindicatormethods::assign_funnel_significance`` and
``calculate_funnel_points`` (2.1.0). See ``docs/methods/funnels.md``.

References:
    Spiegelhalter DJ. Funnel plots for comparing institutional performance. Stat Med
    2005;24:1185-202. https://doi.org/10.1002/sim.1970
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special

from tripleaim.indicators.methods.confidence import EXACT_BELOW
from tripleaim.indicators.methods.frames import (
    assemble,
    choose_text,
    float_column,
    reason_column,
)
from tripleaim.indicators.methods.funnels import (
    Statistic,
    check_funnel_inputs,
    derived_denominators,
    sigma_adjustment,
)
from tripleaim.indicators.methods.inputs import (
    MethodInputError,
    numeric_column,
    require_columns,
)
from tripleaim.indicators.methods.r_numerics import qnorm_scalar
from tripleaim.indicators.methods.suppression import ReasonCode

FloatArray = npt.NDArray[np.float64]
SIGNIFICANCE_LEVELS = (
    "High (0.001)",
    "High (0.025)",
    "Low (0.001)",
    "Low (0.025)",
    "Not significant",
    "Not applicable for events less than 10 for dsrs",
)


def ratio_limit(
    obs: FloatArray, expected: FloatArray, p: float, side: str
) -> FloatArray:
    """Limit of ``obs / expected``: exact below 10 events, Byar's from 10 up.

    Source: PHEindicatormethods 2.1.0 ``funnel_ratio_significance``.
    """
    tail = 0.5 + p / 2
    z = qnorm_scalar(tail)
    with np.errstate(divide="ignore", invalid="ignore"):
        if side == "low":
            exact = special.gammainccinv(np.where(obs > 0, obs, 1.0), tail)
            adjusted = obs
            byars = adjusted * (1 - 1 / (9 * adjusted) - z / 3 / np.sqrt(adjusted)) ** 3
            statistic = np.where(
                obs == 0, 0.0, np.where(obs < EXACT_BELOW, exact, byars)
            )
        else:
            exact = special.gammaincinv(obs + 1, tail)
            adjusted = obs + 1
            byars = adjusted * (1 - 1 / (9 * adjusted) + z / 3 / np.sqrt(adjusted)) ** 3
            statistic = np.where(obs < EXACT_BELOW, exact, byars)
        return np.asarray(statistic / expected)


def funnel_significance(
    data: pd.DataFrame,
    numerator: str,
    denominator: str | None = None,
    *,
    statistic: Statistic,
    rate: str | None = None,
    rate_type: str | None = None,
    multiplier: float | None = None,
) -> pd.DataFrame:
    """Each area's position against the 95% and 99.8% funnel limits around the average.

    Args:
        data: One row per area.
        numerator: Cases, observed events or events.
        denominator: Denominator, expected events, or population (see
            :func:`~tripleaim.indicators.methods.funnels.funnel_limits`).
        statistic: ``proportion``, ``ratio`` or ``rate``.
        rate: Rate column (rates).
        rate_type: ``crude`` or ``dsr`` (rates).
        multiplier: Scale of the rate (rates).

    Returns:
        The input columns plus ``significance``: ``High (0.001)``, ``High (0.025)``,
        ``Low (0.001)``, ``Low (0.025)``, ``Not significant``, or for DSRs from fewer
        than 10 events ``Not applicable for events less than 10 for dsrs`` (with the
        reason ``events_below_10``); and ``reason``.

    Raises:
        MethodInputError: As ``funnel_limits``.

    Source: PHEindicatormethods 2.1.0 ``assign_funnel_significance``.
    """
    if statistic == "rate" and multiplier is None:
        raise MethodInputError("rate funnels need multiplier", field="multiplier")
    num, den, rates = check_funnel_inputs(
        data, numerator, denominator, rate, statistic, rate_type, "isr"
    )
    reasons = np.full(len(data), None, dtype=object)
    if statistic == "proportion":
        assert den is not None  # noqa: S101  (checked by check_funnel_inputs)
        average = float(
            np.sum(num.astype(np.longdouble)) / np.sum(den.astype(np.longdouble))
        )
        share = num / den
        conditions = [
            share < sigma_adjustment(0.999, den, average, "low", 1),
            share < sigma_adjustment(0.975, den, average, "low", 1),
            share > sigma_adjustment(0.999, den, average, "high", 1),
            share > sigma_adjustment(0.975, den, average, "high", 1),
        ]
        labels = ["Low (0.001)", "Low (0.025)", "High (0.001)", "High (0.025)"]
    else:
        if statistic == "ratio":
            assert den is not None  # noqa: S101  (checked by check_funnel_inputs)
            reference, expected = 1.0, den
        else:
            expected = _rate_denominators(
                num, den, rates, rate_type, float(multiplier or 1)
            )
            valid = expected[~np.isnan(expected)]
            reference = float(
                np.sum(num.astype(np.longdouble)) / np.sum(valid.astype(np.longdouble))
            )
        with np.errstate(invalid="ignore"):
            conditions = [
                reference < ratio_limit(num, expected, 0.998, "low"),
                reference < ratio_limit(num, expected, 0.95, "low"),
                reference > ratio_limit(num, expected, 0.998, "high"),
                reference > ratio_limit(num, expected, 0.95, "high"),
            ]
        labels = ["High (0.001)", "High (0.025)", "Low (0.001)", "Low (0.025)"]
    if statistic == "rate" and rate_type == "dsr":
        few = num < EXACT_BELOW
        conditions = [few, *conditions]
        labels = [SIGNIFICANCE_LEVELS[5], *labels]
        reasons[few] = ReasonCode.EVENTS_BELOW_10.value
    significance = choose_text(conditions, labels, "Not significant")
    return assemble(
        data, {"significance": significance, "reason": reason_column(reasons)}
    )


def _rate_denominators(
    num: FloatArray,
    den: FloatArray | None,
    rates: FloatArray | None,
    rate_type: str | None,
    multiplier: float,
) -> FloatArray:
    """Denominators for rate significance (the reference divides before multiplying here)."""
    assert rates is not None  # noqa: S101  (checked by check_funnel_inputs)
    if rate_type == "dsr":
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(num == 0, np.nan, num / rates * multiplier)
    return derived_denominators(
        num, den, rates, statistic="rate", rate_type=rate_type, multiplier=multiplier
    )


def funnel_points(
    data: pd.DataFrame,
    numerator: str,
    denominator: str | None = None,
    *,
    rate: str,
    rate_type: str,
    years_of_data: float,
    multiplier: float,
) -> pd.DataFrame:
    """Where each area sits on a rate funnel: the rate to plot and its population per year.

    DSRs from fewer than 10 events are not plotted (both columns missing, reason
    ``events_below_10``).

    Returns:
        The input columns plus ``<rate>_chart``, ``denominator_derived`` and ``reason``.

    Raises:
        MethodInputError: A zero-event area has no denominator, or ``rate_type`` is unknown.

    Source: PHEindicatormethods 2.1.0 ``calculate_funnel_points``.
    """
    require_columns(data, [numerator, denominator, rate])
    num = numeric_column(data, numerator)
    rates = numeric_column(data, rate)
    den = numeric_column(data, denominator) if denominator else None
    if rate_type not in ("crude", "dsr"):
        raise MethodInputError("rate_type must be 'crude' or 'dsr'", field="rate_type")
    zero = num == 0
    if zero.any() and (
        den is None or bool(np.any(zero & ((den == 0) | np.isnan(den))))
    ):
        raise MethodInputError(
            "areas with no events need a denominator for the funnel points",
            field="denominator",
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        per_year = (multiplier * num / rates) / years_of_data
    reasons = np.full(len(data), None, dtype=object)
    if rate_type == "dsr":
        few = num < EXACT_BELOW
        chart = float_column(rates, few | np.isnan(rates))
        derived = float_column(per_year, few | np.isnan(per_year))
        reasons[few] = ReasonCode.EVENTS_BELOW_10.value
    else:
        chart = float_column(rates, np.isnan(rates))
        if den is not None:
            per_year = np.where(zero, den / years_of_data, per_year)
        derived = float_column(per_year, np.isnan(per_year))
    return assemble(
        data,
        {
            f"{rate}_chart": chart,
            "denominator_derived": derived,
            "reason": reason_column(reasons),
        },
    )
