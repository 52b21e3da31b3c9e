"""Counts to values: each indicator's method applied to its aggregates, all areas at once.

One call of a method (:func:`~tripleaim.indicators.proportions`,
:func:`~tripleaim.indicators.crude_rates`,
:func:`~tripleaim.indicators.directly_standardised_rates`,
:func:`~tripleaim.indicators.life_expectancy`) computes every area, level and period
of an indicator. Areas a method cannot take (a denominator of zero, an age band with
nobody in it) keep their counts and get a missing value with a reason code rather
than stopping the run, as the methods themselves do for small counts.

Age bands are integers, the first age of the band: life-table groups 0, 1, 5 ... 90
in the footprint, ESP2013 bands 0, 5 ... 90 in the national tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tripleaim.errors import DefinitionError
from tripleaim.indicators.methods import (
    MethodInputError,
    ReasonCode,
    crude_rates,
    directly_standardised_rates,
    esp2013_weights,
    life_expectancy,
    proportions,
)
from tripleaim.indicators.spec import IndicatorSpec

CONFIDENCE = (0.95, 0.998)
LIMITS = {
    "lower95_0cl": "lower_95",
    "upper95_0cl": "upper_95",
    "lower99_8cl": "lower_99_8",
    "upper99_8cl": "upper_99_8",
}
VALUE_COLUMNS = (
    "numerator",
    "denominator",
    "value",
    *LIMITS.values(),
    "method",
    "reason",
)
LIFE_TABLE_STARTS = (0, 1, *range(5, 95, 5))
"""First ages of the 20 life-table groups (0, 1-4, 5-9 ... 85-89, 90+)."""
ESP_STARTS = tuple(range(0, 95, 5))
"""First ages of the 19 ESP2013 bands (0-4 ... 85-89, 90+)."""


def esp_start(age: pd.Series) -> pd.Series:
    """The ESP2013 band of a life-table group: under 1 and 1-4 make 0-4."""
    return age.where(age != 1, 0)


def esp_starts(spec: IndicatorSpec) -> list[int]:
    """The ESP2013 bands an indicator's age limits cover (all 19 without limits)."""
    low = spec.denominator.where.age_min or 0
    high = spec.denominator.where.age_max
    return [s for s in ESP_STARTS if s >= low and (high is None or s <= high)]


def evaluate(
    spec: IndicatorSpec, counts: pd.DataFrame, by: list[str], *, life_table: bool = True
) -> pd.DataFrame:
    """Values, 95% and 99.8% limits, method and reason per group of ``by``.

    Args:
        spec: The indicator.
        counts: ``by`` columns, ``x`` (numerator) and ``n`` (denominator), and for DSR
            and life expectancy an ``age`` column (first age of the band).
        by: Key columns; one result row per distinct combination.
        life_table: Ages are life-table groups (footprint) rather than ESP2013 bands
            (national tables); matters for life expectancy only.

    Returns:
        ``by`` columns then ``VALUE_COLUMNS``.

    Raises:
        DefinitionError: A method refused the counts (a numerator larger than its
            denominator in a proportion): the definition's numerator and denominator
            do not nest; the message names the indicator and the areas.
    """
    if counts.empty:
        return pd.DataFrame(columns=[*by, *VALUE_COLUMNS])
    try:
        kind = spec.method.kind
        if kind == "dsr":
            result = _dsr(spec, counts, by)
        elif kind == "life_expectancy":
            starts = LIFE_TABLE_STARTS if life_table else ESP_STARTS
            result = _life_expectancy(counts, by, list(starts), spec.method.at_age)
        else:
            summed = counts.groupby(by, as_index=False, sort=False)[["x", "n"]].sum()
            result = _simple(spec, summed, by)
    except MethodInputError as error:
        raise DefinitionError(f"Indicator {spec.id}: {error}") from None
    return result[[*by, *VALUE_COLUMNS]]


def _blank(frame: pd.DataFrame, by: list[str], reason: str) -> pd.DataFrame:
    """Rows with counts but no value, for areas a method cannot take."""
    out = frame[by].copy()
    out["numerator"] = frame["x"].to_numpy(dtype=float)
    out["denominator"] = frame["n"].to_numpy(dtype=float)
    for column in ("value", *LIMITS.values()):
        out[column] = np.nan
    out["method"] = None
    out["reason"] = reason
    return out


def _finish(result: pd.DataFrame, blank: pd.DataFrame) -> pd.DataFrame:
    """Plain float and object columns (the methods return nullable ones)."""
    result = result.rename(columns=LIMITS)
    for column in ("numerator", "denominator", "value", *LIMITS.values()):
        result[column] = result[column].astype("float64")
    for column in ("method", "reason"):
        text = np.array(result[column].to_numpy(dtype=object), dtype=object)
        text[pd.isna(text)] = None
        result[column] = text
    if blank.empty:
        return result
    return pd.concat([result, blank], ignore_index=True)


def _simple(spec: IndicatorSpec, summed: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Proportions, crude rates and ratios of summed counts."""
    ok = summed["n"] > 0
    blank = pd.DataFrame()
    if not ok.all():
        blank = _blank(summed[~ok], by, ReasonCode.POPULATION_NOT_POSITIVE.value)
    frame = summed[ok].reset_index(drop=True)
    kind, multiplier = spec.method.kind, spec.multiplier
    if kind == "ratio":
        result = frame[by].copy()
        result["value"] = frame["x"] / frame["n"] * multiplier
        for column in LIMITS:
            result[column] = np.nan
        result["method"] = "ratio (no confidence limits)"
        result["reason"] = None
    elif kind == "proportion":
        result = proportions(
            frame, "x", "n", confidence=CONFIDENCE, multiplier=multiplier
        )
    else:
        result = crude_rates(
            frame, "x", "n", confidence=CONFIDENCE, multiplier=multiplier
        )
    result["numerator"] = frame["x"].to_numpy(dtype=float)
    result["denominator"] = frame["n"].to_numpy(dtype=float)
    return _finish(result, blank)


def _complete(counts: pd.DataFrame, by: list[str], ages: list[int]) -> pd.DataFrame:
    """Counts summed by ``by`` and age band, every band present (zero if absent).

    Rows come out grouped by ``by`` (in order of first appearance) with bands
    youngest first, as the methods read them. Rows whose age is not in ``ages`` are
    dropped.
    """
    ages_array = np.asarray(ages, dtype=np.int64)
    age = counts["age"].to_numpy(dtype=np.int64)
    position = np.searchsorted(ages_array, age).clip(0, len(ages) - 1)
    wanted = ages_array[position] == age
    group = counts.groupby(by, sort=False).ngroup().to_numpy()
    keys = counts.loc[:, by].drop_duplicates(ignore_index=True)
    size = len(keys) * len(ages)
    cells = group[wanted] * len(ages) + position[wanted]
    full = keys.loc[keys.index.repeat(len(ages))].reset_index(drop=True)
    full["age"] = np.tile(ages_array, len(keys))
    for column in ("x", "n"):
        weights = counts[column].to_numpy(dtype=np.float64)[wanted]
        full[column] = np.bincount(cells, weights=weights, minlength=size)
    return full


def _dsr(spec: IndicatorSpec, counts: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Directly standardised rates over the indicator's ESP2013 bands."""
    wanted = esp_starts(spec)
    full = _complete(counts.assign(age=esp_start(counts["age"])), by, wanted)
    bands = len(wanted)
    empty = (full["n"].to_numpy() <= 0).reshape(-1, bands).any(axis=1)
    blank = pd.DataFrame()
    if empty.any():
        totals = full.groupby(by, as_index=False, sort=False)[["x", "n"]].sum()
        chosen = totals.iloc[np.flatnonzero(empty)]
        blank = _blank(chosen, by, ReasonCode.POPULATION_NOT_POSITIVE.value)
    keep = np.repeat(~empty, bands)
    frame = full[keep].reset_index(drop=True)
    if frame.empty:
        return blank
    weights = esp2013_weights()[np.asarray(wanted) // 5]
    frame["stdpop"] = np.tile(weights, len(frame) // bands)
    result = directly_standardised_rates(
        frame,
        "x",
        "n",
        "stdpop",
        by=by,
        confidence=CONFIDENCE,
        multiplier=spec.multiplier,
    )
    result = result.rename(
        columns={"total_count": "numerator", "total_pop": "denominator"}
    )
    return _finish(result, blank)


def _life_expectancy(
    counts: pd.DataFrame, by: list[str], starts: list[int], at_age: int = 0
) -> pd.DataFrame:
    """Life expectancy at ``at_age`` per group, from its deaths and population by band.

    Numerator and denominator are the deaths and population of the whole life table
    (all ages), as the table uses them all.
    """
    full = _complete(counts, by, starts)
    result = life_expectancy(
        full,
        "x",
        "n",
        "age",
        by=by,
        age_contents=starts,
        le_age=[at_age],
        confidence=CONFIDENCE,
    )
    totals = full.groupby(by, as_index=False, sort=False)[["x", "n"]].sum()
    result = result.drop(columns=["pops_used", "dths_used"]).merge(totals, on=by)
    result = result.rename(columns={"x": "numerator", "n": "denominator"})
    return _finish(result, pd.DataFrame())
