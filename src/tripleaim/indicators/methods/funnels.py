"""Funnel-plot control limits (95% and 99.8%) for proportions, ratios and rates.

Matches ``PHEindicatormethods::calculate_funnel_limits`` (2.1.0): the same 100
plotting points, axis rounding and limits. Proportion limits are Wilson-type limits
around the overall average; ratio and rate limits come from the Poisson bisection
in :mod:`poisson_search`. See ``docs/methods/funnels.md``.

References:
    Spiegelhalter DJ. Funnel plots for comparing institutional performance. Stat Med
    2005;24:1185-202. https://doi.org/10.1002/sim.1970
    OHID. Fingertips technical guidance: funnel plots.
    https://fingertips.phe.org.uk/static-reports/public-health-technical-guidance/
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from tripleaim.indicators.methods.frames import (
    assemble,
    constant_text,
    float_column,
    reason_column,
)
from tripleaim.indicators.methods.inputs import (
    MethodInputError,
    numeric_column,
    reject_rows,
    require_columns,
)
from tripleaim.indicators.methods.poisson_search import poisson_funnel
from tripleaim.indicators.methods.r_numerics import (
    qnorm_scalar,
    r_character_width,
    r_plain_label,
)
from tripleaim.indicators.methods.suppression import ReasonCode

FloatArray = npt.NDArray[np.float64]
Statistic = Literal["proportion", "ratio", "rate"]
POINTS = 100


def sigma_adjustment(
    p: float, population: npt.ArrayLike, average: float, side: str, multiplier: float
) -> FloatArray:
    """Funnel limit of a proportion at ``population`` around ``average`` (Wilson-type).

    Source: PHEindicatormethods 2.1.0 ``sigma_adjustment`` (after the PHE funnel tool).
    """
    pop = np.asarray(population, dtype=np.float64)
    z = qnorm_scalar(p)
    first = average * (pop / z**2 + 1)
    with np.errstate(invalid="ignore"):
        adj = np.sqrt(
            (-8 * average * (pop / z**2 + 1)) ** 2
            - 64
            * (1 / z**2 + 1 / pop)
            * average
            * (pop * (average * (pop / z**2 + 2) - 1) + z**2 * (average - 1))
        )
    last = 1 / z**2 + 1 / pop
    limit = (first - adj / 8) / last if side == "low" else (first + adj / 8) / last
    return np.asarray(limit / pop * multiplier)


def _floor_neat(x: float) -> float:
    """The reference's ``signif.floor``: round 95% of ``x`` down to its leading digit."""
    if x == 0:
        return 0.0
    n = r_character_width(math.floor(x * 0.95)) - 1
    return math.floor(x * 0.95 / 10.0**n) * 10.0**n


def _ceiling_neat(x: float) -> float:
    """The reference's ``signif.ceiling``: round 105% of ``x`` up to two leading digits."""
    if x == 0:
        return 0.0
    n = r_character_width(math.ceil(x * 1.05)) - 2
    return math.ceil(x * 1.05 / 10.0**n) * 10.0**n


def _axis_points(minimum: float, maximum: float, statistic: Statistic) -> FloatArray:
    """The 100 x-axis points, spaced geometrically and closer together at the low end."""
    points = [max(1.0, minimum)]
    for j in range(2, POINTS + 1):
        offset = j - 1 if statistic == "ratio" else j
        previous = points[-1]
        grown = (maximum / previous) ** (1 / (101 - offset)) * previous
        points.append(max(float(round(grown)), previous + 1))
    return np.asarray(points)


def derived_denominators(
    numerator: FloatArray,
    denominator: FloatArray | None,
    rate: FloatArray | None,
    *,
    statistic: Statistic,
    rate_type: str | None,
    multiplier: float,
) -> FloatArray:
    """Denominators implied by the inputs (for rates, ``multiplier * events / rate``)."""
    if statistic != "rate":
        assert denominator is not None  # noqa: S101  (checked by the caller)
        return denominator
    assert rate is not None  # noqa: S101  (checked by the caller)
    with np.errstate(divide="ignore", invalid="ignore"):
        implied = multiplier * numerator / rate
    if rate_type == "dsr":
        return np.where(numerator == 0, np.nan, implied)
    if denominator is None:
        return np.asarray(implied)
    return np.where(numerator == 0, denominator, implied)


def check_funnel_inputs(
    data: pd.DataFrame,
    numerator: str,
    denominator: str | None,
    rate: str | None,
    statistic: Statistic,
    rate_type: str | None,
    ratio_type: str | None,
) -> tuple[FloatArray, FloatArray | None, FloatArray | None]:
    """Numerators, denominators and rates of a funnel's areas, checked as the reference does.

    Raises:
        MethodInputError: Missing or negative numerators, missing or non-positive
            denominators, numerators above denominators (proportions), missing rates,
            or a missing ``rate_type``/``ratio_type``.
    """
    require_columns(data, [numerator, denominator, rate])
    num = numeric_column(data, numerator)
    den = numeric_column(data, denominator) if denominator else None
    rates = numeric_column(data, rate) if rate else None
    fix = "every area needs a value, even when it is zero"
    reject_rows(data, np.isnan(num), field=numerator, problem="is missing", fix=fix)
    reject_rows(data, num < 0, field=numerator, problem="is negative", fix=fix)
    if statistic == "rate":
        if rates is None or rate_type not in ("crude", "dsr"):
            raise MethodInputError(
                "rate funnels need rate= and rate_type='crude' or 'dsr'",
                field="rate_type",
            )
        missing_rate = np.isnan(rates) & (np.isnan(den) if den is not None else True)
        reject_rows(
            data,
            missing_rate,
            field=rate or "rate",
            problem="is missing",
            fix="give the rate, or the denominator where the rate is zero",
        )
        no_den = (num == 0) & ((den <= 0) | np.isnan(den) if den is not None else True)
        reject_rows(
            data,
            no_den,
            field=denominator or "denominator",
            problem="is needed where there are no events",
            fix="give its population",
        )
    else:
        if den is None:
            raise MethodInputError(
                f"{statistic} funnels need a denominator", field="denominator"
            )
        reject_rows(
            data, np.isnan(den), field=denominator or "", problem="is missing", fix=fix
        )
        reject_rows(
            data,
            den <= 0,
            field=denominator or "",
            problem="is zero or negative",
            fix="drop areas with no population",
        )
        if statistic == "proportion":
            reject_rows(
                data,
                num > den,
                field=numerator,
                problem="exceeds the denominator",
                fix="a proportion's numerator must be a subset of its denominator",
            )
        if statistic == "ratio" and ratio_type not in ("count", "isr"):
            raise MethodInputError(
                "ratio funnels need ratio_type='count' or 'isr'", field="ratio_type"
            )
    return num, den, rates


def funnel_limits(
    data: pd.DataFrame,
    numerator: str,
    denominator: str | None = None,
    *,
    statistic: Statistic,
    multiplier: float,
    rate: str | None = None,
    ratio_type: str | None = None,
    rate_type: str | None = None,
    years_of_data: float | None = None,
) -> pd.DataFrame:
    """The 100-point table of 95% (2s) and 99.8% (3s) funnel limits for plotting.

    Args:
        data: One row per area: the numerator and denominator (expected events for
            ratios; population, or a rate, for rates).
        numerator: Cases, observed events or events.
        denominator: Denominator, expected events, or population (rates: needed where
            there are no events, and for crude rates without a rate).
        statistic: ``proportion``, ``ratio`` or ``rate``.
        multiplier: Scale of the statistic (100 for percentages, 100,000 for rates; for
            ratios it is required but does not change the limits, as in the reference).
        rate: Rate column (rates).
        ratio_type: ``isr`` (limits x 100) or ``count`` (limits minus 1).
        rate_type: ``crude`` or ``dsr``.
        years_of_data: Years pooled (rates): populations are shown per year.

    Returns:
        100 rows: the x-axis column (``Population``, ``Observed_events`` or ``Events``),
        the limits (and for ratios and rates the expected events or populations at
        each limit), ``baseline`` (not for ratios), ``statistic``, ``method`` and
        ``reason``.

    Raises:
        MethodInputError: Missing or negative counts, bad denominators, or missing
            arguments for the statistic.

    Source: PHEindicatormethods 2.1.0 ``calculate_funnel_limits``; Spiegelhalter
    (2005), doi:10.1002/sim.1970.
    """
    if statistic == "rate" and years_of_data is None:
        raise MethodInputError("rate funnels need years_of_data", field="years_of_data")
    num, den, rates = check_funnel_inputs(
        data, numerator, denominator, rate, statistic, rate_type, ratio_type
    )
    derived = derived_denominators(
        num, den, rates, statistic=statistic, rate_type=rate_type, multiplier=multiplier
    )
    years = float(years_of_data or 1)
    points, average = _axis(num, derived, statistic, years)
    if statistic == "proportion":
        columns = _proportion_columns(points, average, multiplier)
        label, method = "proportion", "Wilson"
    else:
        columns = _poisson_columns(
            points, average, statistic, ratio_type, multiplier, years
        )
        if statistic == "rate":
            plain = r_plain_label(multiplier, big_mark=",")
            label = f"rate ({rate_type} per {plain})"
        else:
            label = f"ratio ({ratio_type})"
        method = "Poisson"
    columns["statistic"] = constant_text(label, POINTS)
    columns["method"] = constant_text(method, POINTS)
    undefined = np.zeros(POINTS, dtype=bool)
    for column in columns.values():
        if isinstance(column, pd.arrays.FloatingArray):
            undefined |= np.isnan(column.to_numpy(dtype=np.float64, na_value=np.nan))
    reasons = np.full(POINTS, None, dtype=object)
    reasons[undefined] = ReasonCode.LIMIT_UNDEFINED.value
    columns["reason"] = reason_column(reasons)
    return assemble(pd.DataFrame(index=range(POINTS)), columns)


def _axis(
    num: FloatArray, derived: FloatArray, statistic: Statistic, years: float
) -> tuple[FloatArray, float]:
    """The overall average and the 100 x-axis points, as the reference chooses them."""
    valid = derived[~np.isnan(derived)]
    average = float(
        np.sum(num.astype(np.longdouble)) / np.sum(valid.astype(np.longdouble))
    )
    low, high = float(valid.min()), float(valid.max())
    if high > 2 * low:
        axis_min = 0.0
    elif statistic == "rate":
        axis_min = _floor_neat(low / years) * years
    else:
        axis_min = _floor_neat(low)
    if statistic == "rate":
        axis_max = _ceiling_neat(high / years) * years
        axis_min, axis_max = (
            math.floor(axis_min * average),
            math.ceil(axis_max * average),
        )
    else:
        axis_max = _ceiling_neat(high)
    return _axis_points(axis_min, axis_max, statistic), average


def _proportion_columns(
    points: FloatArray, average: float, multiplier: float
) -> dict[str, object]:
    """Population, the Wilson-type limits (capped at 0 and 100) and the baseline."""
    columns: dict[str, object] = {"Population": float_column(points)}
    for tag, p in (("2s", 0.975), ("3s", 0.999)):
        lower = sigma_adjustment(p, points, average, "low", multiplier)
        upper = sigma_adjustment(p, points, average, "high", multiplier)
        columns[f"lower_{tag}_limit"] = float_column(np.maximum(0, lower))
        columns[f"upper_{tag}_limit"] = float_column(np.minimum(100, upper))
    columns["baseline"] = float_column(np.full(POINTS, average * multiplier))
    return columns


def _poisson_columns(
    points: FloatArray,
    average: float,
    statistic: Statistic,
    ratio_type: str | None,
    multiplier: float,
    years: float,
) -> dict[str, object]:
    """Events, the expected events (or populations) on each limit, and the limits."""
    axis = "Observed_events" if statistic == "ratio" else "Events"
    size = "exp_events" if statistic == "ratio" else "population_1_year"
    columns: dict[str, object] = {axis: float_column(points)}
    for tag, p in (("2s", 0.025), ("3s", 0.001)):
        for bound, side in (("lower", "high"), ("upper", "low")):
            expected = poisson_funnel(points, p, side)
            if statistic == "rate":
                expected = expected / average
            limit = points / expected
            if statistic == "ratio":
                limit = limit - 1 if ratio_type == "count" else limit * 100
            else:
                limit, expected = limit * multiplier, expected / years
            columns[f"{bound}_{tag}_{size}"] = float_column(expected)
            columns[f"{bound}_{tag}_limit"] = float_column(limit)
    if statistic == "rate":
        columns["baseline"] = float_column(np.full(POINTS, average * multiplier))
    return columns
