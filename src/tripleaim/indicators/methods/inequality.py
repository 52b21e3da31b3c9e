"""Slope and relative index of inequality (SII, RII) with simulated confidence limits.

Matches ``PHEindicatormethods::phe_sii`` (2.1.0). The SII is the slope of a
population-weighted regression of the quantile values on the midpoint of each
quantile's cumulative population share (x = 0 at quantile 1, 1 at the last); the
RII is the fitted value at x = 1 over the fitted value at x = 0. Confidence limits
come from simulation: quantile values are redrawn from normal distributions with
their standard errors (on the log or logit scale for rates and proportions), the
regression refitted, and order statistics taken. Draws come from an R-compatible
stream (:class:`RRandomStream`), so with the seed R was given the limits equal the
reference's. See ``docs/methods/inequality.md``.

References:
    Low A, Low A. Measuring the gap: quantifying and comparing local health
    inequalities. J Public Health 2004;26:388-95. https://doi.org/10.1093/pubmed/fdh175
    Mackenbach JP, Kunst AE. Measuring the magnitude of socio-economic inequalities in
    health. Soc Sci Med 1997;44:757-71. https://doi.org/10.1016/S0277-9536(96)00073-1
    OHID. Fingertips technical guidance: slope index of inequality.
    https://fingertips.phe.org.uk/static-reports/public-health-technical-guidance/
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from tripleaim.indicators.methods.frames import (
    assemble,
    constant_text,
    float_column,
    reason_column,
)
from tripleaim.indicators.methods.grouping import group_rows
from tripleaim.indicators.methods.inputs import (
    Confidence,
    ConfidenceLevels,
    MethodInputError,
    confidence_levels,
    numeric_column,
    reject_rows,
    require_columns,
)
from tripleaim.indicators.methods.r_numerics import qnorm_scalar, r_number_label
from tripleaim.indicators.methods.r_random import RRandomStream
from tripleaim.indicators.methods.sii_fit import SiiFit, fit_group
from tripleaim.indicators.methods.suppression import ReasonCode

FloatArray = npt.NDArray[np.float64]
INDICATOR_TYPES = {0: "normal", 1: "rate", 2: "proportion"}


def _transformed(values: FloatArray, value_type: int) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        if value_type == 1:
            return np.log(values)
        if value_type == 2:
            return np.log(values / (1 - values))
    return values


def slope_index_of_inequality(
    data: pd.DataFrame,
    quantile: str = "quantile",
    population: str = "population",
    *,
    seed: int,
    by: Sequence[str] | None = None,
    value: str | None = None,
    x: str | None = None,
    value_type: int = 0,
    transform: bool = False,
    lower_cl: str | None = None,
    upper_cl: str | None = None,
    se: str | None = None,
    multiplier: float = 1,
    repetitions: int = 100_000,
    confidence: Confidence = 0.95,
    rii: bool = False,
    intercept: bool = False,
) -> pd.DataFrame:
    """SII (and optionally RII and the intercept) per area with simulated limits.

    Args:
        data: One row per area and deprivation quantile (5 to 100 quantiles).
        quantile: Quantile number, 1 at the end the regression starts from.
        population: Population of the quantile (positive).
        seed: Seed of the R-compatible random stream (R's ``set.seed(seed)``); areas
            draw from it in key order, as the reference does.
        by: Key columns (one SII per area).
        value: Indicator value per quantile (rates per 1, proportions 0-1).
        x: Counts; for proportions without ``value``, value = x / population.
        value_type: 0 normal, 1 rate, 2 proportion.
        transform: Fit on the log (rates) or logit (proportions) scale.
        lower_cl: Lower 95% limit of the value (the SE is derived from the limits).
        upper_cl: Upper 95% limit of the value.
        se: Standard error of the value (instead of the limits; not with transform).
        multiplier: Scale of the SII (negative reverses polarity and inverts the RII).
        repetitions: Simulated draws (1,000 or more).
        confidence: One or more levels.
        rii: Also return the RII and its limits.
        intercept: Also return the fitted value at x = 0.

    Returns:
        Keys, ``sii``, ``rii``, the limits (``sii_lower95_0cl`` ...; without ``cl`` when
        ``transform``), ``intercept``, ``indicator_type``, ``multiplier``,
        ``transform``, ``CI_confidence``, ``CI_method`` and ``reason``. Areas lacking
        a quantile stay in the result with missing values (``incomplete_quantiles``).

    Raises:
        MethodInputError: Inconsistent arguments, non-positive or missing populations,
            negative or missing standard errors, missing limits, proportions outside
            0-1, or fewer than 5 / more than 100 quantiles.

    Source: PHEindicatormethods 2.1.0 ``phe_sii``; Low & Low (2004),
    doi:10.1093/pubmed/fdh175.
    """
    keys = list(by or [])
    require_columns(
        data, [quantile, population, value, x, lower_cl, upper_cl, se, *keys]
    )
    levels = confidence_levels(confidence, any_pair=True)
    _check_arguments(
        value=value,
        x=x,
        se=se,
        lower_cl=lower_cl,
        upper_cl=upper_cl,
        value_type=value_type,
        transform=transform,
        repetitions=repetitions,
    )
    pops, values, se_calc = _quantile_inputs(
        data,
        population,
        keys,
        value=value,
        x=x,
        se=se,
        lower_cl=lower_cl,
        upper_cl=upper_cl,
        value_type=value_type,
    )
    value_t = _transformed(values, value_type)
    quantiles = numeric_column(data, quantile)
    levels_found = np.unique(quantiles[~np.isnan(quantiles)])
    if not 5 <= len(levels_found) <= 100:
        raise MethodInputError(
            f"{len(levels_found)} quantiles found; 5 to 100 are needed", field=quantile
        )
    groups = group_rows(data, keys)
    stream = RRandomStream(seed)
    fits: list[SiiFit | None] = []
    for g in range(groups.count):
        rows = groups.order[groups.starts[g] : groups.starts[g] + groups.sizes[g]]
        rows = rows[np.argsort(quantiles[rows], kind="stable")]
        if len(np.unique(quantiles[rows])) != len(levels_found) or len(rows) != len(
            levels_found
        ):
            fits.append(None)
            continue
        fits.append(
            fit_group(
                pops[rows],
                value_t[rows],
                se_calc[rows],
                stream,
                value_type=value_type,
                transform=transform,
                multiplier=multiplier,
                repetitions=repetitions,
                levels=levels.levels,
            )
        )
    return _result(
        groups.keys,
        fits,
        levels,
        value_type=value_type,
        transform=transform,
        multiplier=multiplier,
        repetitions=repetitions,
        rii=rii,
        intercept=intercept,
    )


def _check_arguments(
    *,
    value: str | None,
    x: str | None,
    se: str | None,
    lower_cl: str | None,
    upper_cl: str | None,
    value_type: int,
    transform: bool,
    repetitions: int,
) -> None:
    """Refuse argument combinations the reference refuses."""
    if value is None and not (value_type == 2 and x is not None):
        raise MethodInputError(
            "give value=, or x= for a proportion of the population", field="value"
        )
    if se is None and (lower_cl is None or upper_cl is None):
        raise MethodInputError("give se=, or both lower_cl= and upper_cl=", field="se")
    if value_type not in INDICATOR_TYPES:
        raise MethodInputError("value_type must be 0, 1 or 2", field="value_type")
    if repetitions < 1000:
        raise MethodInputError("repetitions must be 1,000 or more", field="repetitions")
    if transform and (value_type == 0 or se is not None):
        raise MethodInputError(
            "transform needs value_type 1 or 2 and limits, not se", field="transform"
        )


def _quantile_inputs(
    data: pd.DataFrame,
    population: str,
    keys: list[str],
    *,
    value: str | None,
    x: str | None,
    se: str | None,
    lower_cl: str | None,
    upper_cl: str | None,
    value_type: int,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Populations, values and standard errors (on the fitting scale), checked."""
    pops = numeric_column(data, population)
    reject_rows(
        data,
        ~(pops > 0),
        field=population,
        problem="is zero, negative or missing",
        fix="every quantile needs a positive population",
        keys=keys,
    )
    values = (
        numeric_column(data, value) if value else numeric_column(data, x or "") / pops
    )
    if se is not None:
        ses = numeric_column(data, se)
        reject_rows(
            data,
            ~(ses >= 0),
            field=se,
            problem="is negative or missing",
            fix="give a standard error for every quantile",
            keys=keys,
        )
        bounds = [values]
    else:
        lows = numeric_column(data, lower_cl or "")
        highs = numeric_column(data, upper_cl or "")
        reject_rows(
            data,
            np.isnan(lows) | np.isnan(highs),
            field=lower_cl or "lower_cl",
            problem="or upper_cl is missing",
            fix="give both limits",
            keys=keys,
        )
        z = qnorm_scalar(0.975)
        ses = (_transformed(highs, value_type) - _transformed(lows, value_type)) / z / 2
        bounds = [values, lows, highs]
    if value_type == 2 and any(bool(np.any((b < 0) | (b > 1))) for b in bounds):
        raise MethodInputError(
            "proportions and their limits must lie between 0 and 1", field=value or x
        )
    return pops, values, ses


def _limit_names(
    levels: ConfidenceLevels, *, transform: bool, rii: bool
) -> list[tuple[str, str]]:
    """(column name, fit key) of each limit, in the reference's column order."""
    stats = ["sii", "rii"] if rii else ["sii"]
    suffixes = [levels.suffix(level) for level in levels.levels]
    if transform:
        keys = [
            f"{stat}_{side}{s}"
            for s in suffixes
            for stat in stats
            for side in ("lower", "upper")
        ]
        return [(key, key) for key in keys]
    keys = [
        f"{stat}_{side}{s}"
        for stat in stats
        for s in suffixes
        for side in ("lower", "upper")
    ]
    return [(f"{key}cl", key) for key in keys]


def _result(
    keys: pd.DataFrame,
    fits: list[SiiFit | None],
    levels: ConfidenceLevels,
    *,
    value_type: int,
    transform: bool,
    multiplier: float,
    repetitions: int,
    rii: bool,
    intercept: bool,
) -> pd.DataFrame:
    size = len(fits)
    missing = np.array([f is None for f in fits], dtype=bool)

    def column(key: str) -> object:
        values = np.array(
            [np.nan if f is None else f.values[key] for f in fits], dtype=np.float64
        )
        return float_column(values, missing)

    names = [("sii", "sii"), *([("rii", "rii")] if rii else [])]
    names += _limit_names(levels, transform=transform, rii=rii)
    if intercept:
        names.append(("intercept", "intercept"))
    columns: dict[str, object] = {name: column(key) for name, key in names}
    columns["indicator_type"] = constant_text(INDICATOR_TYPES[value_type], size)
    columns["multiplier"] = float_column(np.full(size, float(multiplier)))
    label = ("log" if value_type == 1 else "logit") if transform else "none"
    columns["transform"] = constant_text(label, size)
    columns["CI_confidence"] = constant_text(levels.label, size)
    columns["CI_method"] = constant_text(
        f"simulation {r_number_label(repetitions)} reps", size
    )
    reasons = np.full(size, None, dtype=object)
    reasons[missing] = ReasonCode.INCOMPLETE_QUANTILES.value
    columns["reason"] = reason_column(reasons)
    return assemble(keys, columns)
