"""Life expectancy from an abridged life table (Chiang II) with Silcocks' confidence limits.

Matches ``PHEindicatormethods::phe_life_expectancy`` (2.1.0): 20 bands (0, 1-4, 5-9,
..., 85-89, 90+), a0 = 0.1 and 0.5 elsewhere, the final band's years lived as l/M
and its variance term from Silcocks et al.; areas are suppressed (missing, with a
reason) for negative deaths, a population of zero or less in any band, missing or
extra bands, deaths above population, or a total population of 5,000 or less, and
single values are suppressed when their 95% interval is wider than 20 years. All
areas are computed together as one (areas x bands) array. See
``docs/methods/life-expectancy.md``.

References:
    Chiang CL. Introduction to stochastic processes in biostatistics. Wiley; 1968:189-214.
    Silcocks PBS, Jenner DA, Reza R. Life expectancy as a summary of mortality in a
    population: statistical considerations and suitability for use by health
    authorities. J Epidemiol Community Health 2001;55:38-43.
    https://doi.org/10.1136/jech.55.1.38
    Eayres DP, Williams ES. Evaluation of methodologies for small area life expectancy
    estimation. J Epidemiol Community Health 2004;58:243-9.
    https://doi.org/10.1136/jech.2003.009654
    Toson B, Baker A. Life expectancy at birth: methodological options for small
    populations. National Statistics Methodological Series No 33. HMSO; 2003.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from tripleaim.indicators.methods.confidence import z_value
from tripleaim.indicators.methods.frames import (
    assemble,
    constant_text,
    float_column,
    reason_column,
    text_column,
)
from tripleaim.indicators.methods.grouping import Groups, group_rows
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
from tripleaim.indicators.methods.suppression import ReasonCode

FloatArray = npt.NDArray[np.float64]
START_AGES = (
    0,
    1,
    5,
    10,
    15,
    20,
    25,
    30,
    35,
    40,
    45,
    50,
    55,
    60,
    65,
    70,
    75,
    80,
    85,
    90,
)
MINIMUM_TOTAL_POPULATION = 5000
"""Areas with a total population (person-years) of this or less are not computed."""
MAXIMUM_CI_WIDTH = 20.0
"""Values whose 95% interval is wider than this many years are suppressed."""
METHOD = "Chiang, using Silcocks et al for confidence limits"
_SUPPRESSION_ORDER = (
    ReasonCode.NEGATIVE_DEATHS,
    ReasonCode.POPULATION_NOT_POSITIVE,
    ReasonCode.WRONG_AGE_BANDS,
    ReasonCode.DEATHS_EXCEED_POPULATION,
    ReasonCode.TOTAL_POPULATION_5000_OR_LESS,
)


def _start_number(value: object) -> int:
    """The numeric start of an age band (``"85-89"`` -> 85), as the reference parses it."""
    match = re.match(r"\D*(\d+)", str(value))
    if match is None:
        raise MethodInputError(
            f"age band {value!r} does not start with a number", field="startage"
        )
    return int(match.group(1))


def _life_table(
    deaths: FloatArray, pops: FloatArray, ages: FloatArray
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """Chiang II life table per area: expectancy, its standard error and the wide-CI flag.

    Arrays are (areas x bands), bands in ascending age. Long double cumulative sums
    and products mirror R's ``cumsum``/``cumprod``.
    """
    areas, bands = deaths.shape
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        m = deaths / pops
        width = np.empty_like(m)
        width[:, :-1] = np.diff(ages, axis=1)
        width[:, -1] = 2 / m[:, -1]
        a = np.where(ages == 0, 0.1, 0.5)
        q = np.where(
            deaths <= pops / width / a, m * width / (1 + m * width * (1 - a)), 1.0
        )
        p = 1 - q
        start = np.ones_like(m)
        start[:, 0] = 1e5
        lagged = np.ones_like(m)
        lagged[:, 1:] = p[:, :-1]
        alive = np.cumprod((start * lagged).astype(np.longdouble), axis=1).astype(
            np.float64
        )
        lead_alive = np.zeros_like(alive)
        lead_alive[:, :-1] = alive[:, 1:]
        d = alive - lead_alive
        years = np.empty_like(m)
        years[:, :-1] = width[:, :-1] * (alive[:, 1:] + a[:, :-1] * d[:, :-1])
        years[:, -1] = alive[:, -1] / m[:, -1]
        total_years = _reverse_cumsum(years)
        e = np.where(alive == 0, 0.0, total_years / alive)
        s2 = np.where(d == 0, 0.0, (q**2) * (1 - q) / deaths)
        s2[:, -1] = 4 / (deaths[:, -1] * (m[:, -1] ** 2))
        weighted = np.empty_like(m)
        weighted[:, :-1] = (
            s2[:, :-1]
            * (alive[:, :-1] ** 2)
            * (((1 - a[:, :-1]) * width[:, :-1] + e[:, 1:]) ** 2)
        )
        weighted[:, -1] = ((alive[:, -1] / 2) ** 2) * s2[:, -1]
        se = np.sqrt(_reverse_cumsum(weighted) / (alive**2))
        too_wide = qnorm_scalar(0.975) * se > MAXIMUM_CI_WIDTH / 2
    assert e.shape == (areas, bands)  # noqa: S101  (shape invariant)
    return e, se, too_wide


def _reverse_cumsum(values: FloatArray) -> FloatArray:
    """R's ``rev(cumsum(rev(x)))`` along each row, accumulated in long double."""
    flipped = values[:, ::-1].astype(np.longdouble)
    return np.cumsum(flipped, axis=1)[:, ::-1].astype(np.float64)


def life_expectancy(
    data: pd.DataFrame,
    deaths: str = "deaths",
    population: str = "pops",
    startage: str = "startage",
    *,
    by: Sequence[str] | None = None,
    age_contents: Sequence[int | str] = START_AGES,
    le_age: str | Sequence[int | str] = "all",
    confidence: Confidence = 0.95,
) -> pd.DataFrame:
    """Life expectancy at each band's start age, with Silcocks' limits, per area.

    Args:
        data: One row per area and age band: deaths and population (person-years,
            usually three pooled years).
        deaths: Deaths column.
        population: Population column.
        startage: Start age of the band (``0``, ``1``, ``5`` ... ``90``, or labels such as
            ``"1-4"`` whose leading number is the start age).
        by: Key columns (one life table per area).
        age_contents: The bands, youngest first (default the 20 standard bands).
        le_age: ``"all"`` or the start ages to return.
        confidence: One or more levels (0.95, 0.998 or both).

    Returns:
        The other input columns, ``value``, the limits (``lowercl``/``uppercl``, or
        ``lower95_0cl``, ``lower99_8cl``, ``upper95_0cl`` ... for several levels),
        ``pops_used`` and ``dths_used`` (sums from this band up), ``confidence``,
        ``statistic`` (``life expectancy at 0``), ``method`` and ``reason``. Computed
        areas come first; suppressed areas follow (missing value and limits), as in
        the reference.

    Raises:
        MethodInputError: Missing deaths or population, unknown start ages, or a band of
            ``age_contents`` found in no area (a single incomplete area is an error;
            among complete areas it is suppressed, as in the reference).

    Source: PHEindicatormethods 2.1.0 ``phe_life_expectancy``; Chiang (1968); Silcocks
    et al. (2001), doi:10.1136/jech.55.1.38.
    """
    keys = list(by or [])
    require_columns(data, [deaths, population, startage, *keys])
    levels = confidence_levels(confidence, any_pair=True)
    contents, starts, dths, pops = _inputs(
        data, deaths, population, startage, keys, age_contents
    )
    groups = group_rows(data, keys)
    order = np.lexsort((starts, groups.codes))
    category = _suppression(groups, order, starts, dths, pops, len(contents))
    codes = groups.codes[order]
    row_valid = (category < 0)[codes]
    valid_rows = order[row_valid]
    suppressed_rows = order[~row_valid][
        np.argsort(category[codes[~row_valid]], kind="stable")
    ]
    out_rows = np.concatenate([valid_rows, suppressed_rows])
    shape = (int((category < 0).sum()), len(contents))
    table = _life_table(
        dths[valid_rows].reshape(shape),
        pops[valid_rows].reshape(shape),
        starts[valid_rows].reshape(shape),
    )
    columns, flags = _estimate_columns(*table, n_out=len(out_rows), levels=levels)
    out_codes = groups.codes[out_rows]
    rev = pd.DataFrame({"g": out_codes, "p": pops[out_rows], "d": dths[out_rows]})
    cumulative = rev.iloc[::-1].groupby("g", sort=False)[["p", "d"]].cumsum()
    columns["pops_used"] = float_column(cumulative["p"].to_numpy()[::-1])
    columns["dths_used"] = float_column(cumulative["d"].to_numpy()[::-1])
    columns["confidence"] = constant_text(levels.label, len(out_rows))
    labels = sorted(set(data[startage].tolist()), key=_start_number)
    label_codes = pd.Categorical(
        data[startage].to_numpy()[out_rows], categories=labels
    ).codes
    columns["statistic"] = text_column(
        label_codes, [f"life expectancy at {_age_label(v)}" for v in labels]
    )
    columns["method"] = constant_text(METHOD, len(out_rows))
    top = (starts == contents[-1]) & (dths == 0)
    no_top_deaths = groups.any(top)[out_codes]
    columns["reason"] = reason_column(
        _reasons(category[out_codes], flags, no_top_deaths)
    )
    result = assemble(data.iloc[out_rows], columns, drop=[deaths, population])
    if le_age != "all":
        chosen = [le_age] if isinstance(le_age, int | str) else le_age
        wanted = [_start_number(a) for a in chosen]
        result = result[np.isin(starts[out_rows], wanted)].reset_index(drop=True)
    return result


def _inputs(
    data: pd.DataFrame,
    deaths: str,
    population: str,
    startage: str,
    keys: list[str],
    age_contents: Sequence[int | str],
) -> tuple[list[int], FloatArray, FloatArray, FloatArray]:
    """Start ages of the bands and of each row, deaths and populations, checked."""
    contents = [_start_number(a) for a in age_contents]
    if contents[0] != 0 or contents != sorted(contents):
        raise MethodInputError(
            "age_contents must start at 0 and ascend", field="age_contents"
        )
    starts = np.array(
        [_start_number(v) for v in data[startage].tolist()], dtype=np.float64
    )
    found = sorted({int(v) for v in starts.tolist()})
    if found != sorted(set(contents)):
        raise MethodInputError(
            f"the start ages in {startage!r} {found} do not match age_contents "
            f"{contents}; every band must appear",
            field=startage,
        )
    dths = numeric_column(data, deaths)
    pops = numeric_column(data, population)
    fix = "every band needs deaths and population (zero deaths are fine)"
    reject_rows(
        data, np.isnan(dths), field=deaths, problem="is missing", fix=fix, keys=keys
    )
    reject_rows(
        data, np.isnan(pops), field=population, problem="is missing", fix=fix, keys=keys
    )
    return contents, starts, dths, pops


def _suppression(
    groups: Groups,
    order: npt.NDArray[np.intp],
    starts: FloatArray,
    dths: FloatArray,
    pops: FloatArray,
    bands: int,
) -> npt.NDArray[np.intp]:
    """Each area's suppression category (index into ``_SUPPRESSION_ORDER``), -1 if valid.

    The checks run in the reference's order, and an area takes the first it fails.
    """
    codes = groups.codes[order]
    band_count = np.bincount(codes, minlength=groups.count)
    new_band = np.r_[True, (np.diff(starts[order]) != 0) | (np.diff(codes) != 0)]
    distinct = np.bincount(codes, weights=new_band, minlength=groups.count)
    flags = [
        groups.any(dths < 0),
        groups.any(pops <= 0),
        (band_count != bands) | (distinct != bands),
        groups.any(dths > pops),
        groups.sum(pops) <= MINIMUM_TOTAL_POPULATION,
    ]
    category = np.full(groups.count, -1, dtype=np.intp)
    for index in range(len(flags) - 1, -1, -1):
        category[np.asarray(flags[index], dtype=bool)] = index
    return category


def _estimate_columns(
    e: FloatArray,
    se: FloatArray,
    too_wide: npt.NDArray[np.bool_],
    *,
    n_out: int,
    levels: ConfidenceLevels,
) -> tuple[dict[str, object], dict[str, npt.NDArray[np.bool_]]]:
    """Value and limit columns for all output rows (computed areas first)."""
    n_valid = e.size
    centre, spread = np.full(n_out, np.nan), np.full(n_out, np.nan)
    centre[:n_valid], spread[:n_valid] = e.ravel(), se.ravel()
    computed = np.arange(n_out) < n_valid
    wide = np.zeros(n_out, dtype=bool)
    wide[:n_valid] = too_wide.ravel()
    infinite = np.isinf(centre)
    columns: dict[str, object] = {
        "value": float_column(centre, ~computed | infinite | wide)
    }
    undefined = computed & np.isnan(centre)
    limits = {}
    for level in levels.levels:
        z = z_value(level)
        with np.errstate(invalid="ignore"):
            limits[level] = (centre - z * spread, centre + z * spread)
        undefined |= computed & (
            np.isnan(limits[level][0]) | np.isnan(limits[level][1])
        )
    for side, index in (("lower", 0), ("upper", 1)):
        for level, name in zip(levels.levels, levels.limit_columns(side), strict=True):
            columns[name] = float_column(limits[level][index], ~computed)
    flags = {
        "computed": computed,
        "infinite": infinite,
        "wide": wide,
        "undefined": undefined,
    }
    return columns, flags


def _age_label(value: object) -> str:
    return (
        r_number_label(float(value))
        if isinstance(value, int | float | np.number)
        else str(value)
    )


def _reasons(
    category: npt.NDArray[np.intp],
    flags: dict[str, npt.NDArray[np.bool_]],
    no_top_deaths: npt.NDArray[np.bool_],
) -> npt.NDArray[np.object_]:
    """The reason code of each output row (first cause wins)."""
    computed = flags["computed"]
    reasons = np.full(len(category), None, dtype=object)
    reasons[flags["undefined"]] = ReasonCode.LIFE_TABLE_UNDEFINED.value
    reasons[flags["wide"]] = ReasonCode.CI_WIDER_THAN_20_YEARS.value
    broken = computed & (flags["infinite"] | flags["undefined"]) & no_top_deaths
    reasons[broken] = ReasonCode.NO_DEATHS_IN_FINAL_BAND.value
    for index, code in enumerate(_SUPPRESSION_ORDER):
        reasons[category == index] = code.value
    return reasons
