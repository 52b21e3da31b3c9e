"""Directly standardised rates with Dobson's confidence limits (ESP2013 by default).

Matches ``PHEindicatormethods::calculate_dsr`` (2.1.0), including its variant for
non-independent events, and the soft-deprecated ``phe_dsr`` with the ESP2013 vector.
Vectorised over areas: one grouping pass, then per-group sums. See
``docs/methods/dsr.md``.

References:
    Dobson AJ, Kuulasmaa K, Eberle E, Scherer J. Confidence intervals for weighted sums
    of Poisson parameters. Stat Med 1991;10:457-62. https://doi.org/10.1002/sim.4780100317
    Breslow NE, Day NE. Statistical methods in cancer research, volume II. IARC; 1987.
    OHID. Fingertips public health technical guidance: DSR and non-independent events.
    https://fingertips.phe.org.uk/static-reports/public-health-technical-guidance/
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from tripleaim.indicators.methods.confidence import byars_lower, byars_upper
from tripleaim.indicators.methods.frames import (
    assemble,
    choose_text,
    constant_text,
    float_column,
    reason_column,
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
from tripleaim.indicators.methods.r_numerics import r_plain_label
from tripleaim.indicators.methods.standard_population import esp2013
from tripleaim.indicators.methods.suppression import ReasonCode

FloatArray = npt.NDArray[np.float64]
MINIMUM_TOTAL_COUNT = 10
"""DSRs from fewer events are not published (the reference's rule)."""


def _dobson(
    groups: Groups,
    xs: FloatArray,
    ns: FloatArray,
    weights: FloatArray,
    *,
    levels: ConfidenceLevels,
    multiplier: float,
    variance: FloatArray | None,
    method: str,
) -> pd.DataFrame:
    """DSR, Dobson limits and labels for each group (the reference's ``dsr_inner``)."""
    counts = np.where(np.isnan(xs), 0.0, xs)
    with np.errstate(divide="ignore", invalid="ignore"):
        wt_rate = counts * weights / ns
        sq_rate = counts * (weights / ns) ** 2
    total_count = groups.sum(xs, skipna=True)
    total_pop = groups.sum(ns)
    total_std = groups.sum(weights)
    value = groups.sum(wt_rate) / total_std * multiplier
    if variance is None:
        variance = 1 / total_std**2 * groups.sum(sq_rate)
    suppressed = ~(total_count >= MINIMUM_TOTAL_COUNT)
    columns: dict[str, object] = {
        "total_count": float_column(total_count),
        "total_pop": float_column(total_pop),
        "value": float_column(value, suppressed),
    }
    undefined = np.zeros(groups.count, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.sqrt(variance / total_count)
        for level, lower, upper in zip(
            levels.levels,
            levels.limit_columns("lower"),
            levels.limit_columns("upper"),
            strict=True,
        ):
            low = (
                value
                + scale * (byars_lower(total_count, level) - total_count) * multiplier
            )
            high = (
                value
                + scale * (byars_upper(total_count, level) - total_count) * multiplier
            )
            undefined |= ~suppressed & (np.isnan(low) | np.isnan(high))
            columns[lower] = float_column(low, suppressed | np.isnan(low))
            columns[upper] = float_column(high, suppressed)
    size = groups.count
    columns["confidence"] = constant_text(levels.label, size)
    columns["statistic"] = choose_text(
        [suppressed],
        ["dsr NA for total count < 10"],
        f"dsr per {r_plain_label(multiplier)}",
    )
    columns["method"] = constant_text(method, size)
    reasons = np.full(size, None, dtype=object)
    reasons[undefined] = ReasonCode.LIMIT_UNDEFINED.value
    reasons[suppressed] = ReasonCode.TOTAL_COUNT_BELOW_10.value
    columns["reason"] = reason_column(reasons)
    return assemble(groups.keys, columns)


def _check_inputs(
    data: pd.DataFrame, x: str, n: str, stdpop: str, keys: list[str]
) -> tuple[FloatArray, FloatArray, FloatArray]:
    xs = numeric_column(data, x)
    ns = numeric_column(data, n)
    weights = numeric_column(data, stdpop)
    fix_n = "every age band needs a positive population; merge or drop empty bands"
    reject_rows(data, np.isnan(ns), field=n, problem="is missing", fix=fix_n, keys=keys)
    reject_rows(
        data,
        np.isnan(weights),
        field=stdpop,
        problem="is missing",
        fix="give every age band its standard population weight",
        keys=keys,
    )
    reject_rows(
        data,
        xs < 0,
        field=x,
        problem="is negative",
        fix="event counts must be zero or more",
        keys=keys,
    )
    reject_rows(
        data, ns <= 0, field=n, problem="is zero or negative", fix=fix_n, keys=keys
    )
    reject_rows(
        data,
        weights < 0,
        field=stdpop,
        problem="is negative",
        fix="standard population weights must be zero or more",
        keys=keys,
    )
    return xs, ns, weights


def directly_standardised_rates(
    data: pd.DataFrame,
    x: str = "x",
    n: str = "n",
    stdpop: str = "stdpop",
    *,
    by: Sequence[str] | None = None,
    confidence: Confidence = 0.95,
    multiplier: float = 100000,
    eventfreq: str | None = None,
    ageband: str | None = None,
) -> pd.DataFrame:
    """Directly standardised rates with Dobson limits, one per group.

    ``value = sum(x_i w_i / n_i) / sum(w_i) * multiplier``; the limits rescale Byar's
    limits of the total count by ``sqrt(var / total)``, with
    ``var = sum(x_i (w_i / n_i)^2) / sum(w_i)^2`` (Dobson et al. 1991). A missing count
    counts as 0 in the rate and is left out of ``total_count``. Groups with fewer than
    10 events are not published: value and limits are missing, ``statistic`` says
    ``dsr NA for total count < 10`` and ``reason`` ``total_count_below_10``.

    Args:
        data: One row per area and standardisation band (and event frequency).
        x: Events per band; with ``eventfreq``, people who had that many events.
        n: Population per band (must be positive).
        stdpop: Standard population weight per band.
        by: Key columns (one DSR per group); ``None`` for one DSR of all rows.
        confidence: 0.95, 0.998 or the pair ``(0.95, 0.998)``.
        multiplier: Rate per this many (default 100,000).
        eventfreq: For non-independent events: events per person in the row. The
            variance then sums the per-frequency variances times frequency squared.
        ageband: Band column, required with ``eventfreq``.

    Returns:
        Keys, ``total_count``, ``total_pop``, ``value``, limits, ``confidence``,
        ``statistic``, ``method`` and ``reason``.

    Raises:
        MethodInputError: Negative counts, non-positive or missing populations, missing
            or negative weights, or inconsistent bands (named by area).

    Source: PHEindicatormethods 2.1.0 ``calculate_dsr``; Dobson et al. (1991),
    doi:10.1002/sim.4780100317.
    """
    keys = list(by or [])
    require_columns(data, [x, n, stdpop, eventfreq, ageband, *keys])
    levels = confidence_levels(confidence)
    xs, ns, weights = _check_inputs(data, x, n, stdpop, keys)
    if eventfreq is None:
        groups = group_rows(data, keys)
        return _dobson(
            groups,
            xs,
            ns,
            weights,
            levels=levels,
            multiplier=multiplier,
            variance=None,
            method="Dobson",
        )
    if ageband is None:
        raise MethodInputError(
            "non-independent events need the ageband column", field="ageband"
        )
    freq = numeric_column(data, eventfreq)
    reject_rows(
        data,
        np.isnan(freq),
        field=eventfreq,
        problem="is missing",
        fix="give every row its events-per-person frequency",
        keys=keys,
    )
    band_groups = group_rows(data, [*keys, ageband])
    consistent = (
        pd.DataFrame({"g": band_groups.codes, "n": ns, "w": weights})
        .groupby("g")
        .nunique()
        .max(axis=1)
        <= 1
    )
    if not bool(consistent.all()):
        bad = np.flatnonzero(~consistent.to_numpy())
        raise MethodInputError(
            "rows with the same area and age band have different populations or "
            f"standard populations ({band_groups.labels(bad)})",
            field=n,
            areas=band_groups.labels(bad),
        )
    by_freq = group_rows(data, [*keys, eventfreq])
    counts = np.where(np.isnan(xs), 0.0, xs)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_freq = (
            1 / by_freq.sum(weights) ** 2 * by_freq.sum(counts * (weights / ns) ** 2)
        )
    freq_values = by_freq.keys[eventfreq].to_numpy(dtype=np.float64)
    freq_keys = by_freq.keys.assign(_v=per_freq * freq_values**2)
    variance_groups = group_rows(freq_keys, keys)
    variance = variance_groups.sum(freq_keys["_v"].to_numpy())
    events = pd.DataFrame({name: data[name].to_numpy() for name in keys}).assign(
        _band=data[ageband].to_numpy(), _n=ns, _w=weights, _e=freq * xs
    )
    band_rows = group_rows(events, [*keys, "_band", "_n", "_w"])
    summed = band_rows.keys.assign(
        _x=band_rows.sum(events["_e"].to_numpy(), skipna=True)
    )
    groups = group_rows(summed, keys)
    return _dobson(
        groups,
        summed["_x"].to_numpy(dtype=np.float64),
        summed["_n"].to_numpy(dtype=np.float64),
        summed["_w"].to_numpy(dtype=np.float64),
        levels=levels,
        multiplier=multiplier,
        variance=variance,
        method="Dobson, with confidence adjusted for non-independent events",
    )


def directly_standardised_rates_esp2013(
    data: pd.DataFrame,
    x: str = "x",
    n: str = "n",
    *,
    by: Sequence[str] | None = None,
    ageband: str | None = None,
    bands: Sequence[str] | None = None,
    confidence: Confidence = 0.95,
    multiplier: float = 100000,
) -> pd.DataFrame:
    """DSRs standardised to the 2013 European Standard Population shipped with tripleaim.

    With ``ageband``, each row's weight is looked up by band label (``0-4`` ... ``90+``)
    and every area must have each band in ``bands`` (all 19 by default; the under-75
    indicators pass the first 15) exactly once. Without it, rows are matched to the
    19 weights by position within each area, as the reference's ``phe_dsr`` does, so
    every area needs exactly 19 rows, youngest first.

    Args:
        data: One row per area and age band.
        x: Events per band.
        n: Population per band.
        by: Key columns.
        ageband: Column of ESP2013 band labels, or ``None`` to match by position.
        bands: The bands each area must have (with ``ageband``); default all 19.
        confidence: 0.95, 0.998 or the pair ``(0.95, 0.998)``.
        multiplier: Rate per this many.

    Returns:
        As :func:`directly_standardised_rates`.

    Raises:
        MethodInputError: An area lacks a band, repeats one, has an unknown label, or
            (by position) does not have 19 rows; the message names the areas.

    Source: PHEindicatormethods 2.1.0 ``phe_dsr`` (``stdpop = esp2013``).
    """
    keys = list(by or [])
    require_columns(data, [x, n, ageband, *keys])
    table = esp2013()
    groups = group_rows(data, keys)
    if ageband is None:
        wrong = np.flatnonzero(groups.sizes != len(table))
        if len(wrong):
            raise MethodInputError(
                f"each area needs exactly {len(table)} age bands to match ESP2013 by "
                f"position; {groups.labels(wrong)} differ(s). Pass ageband= to match by label.",
                field=x,
                areas=groups.labels(wrong),
            )
        weights = table["esp2013"].to_numpy(dtype=np.float64)[groups.position()]
    else:
        wanted = list(bands) if bands is not None else table["ageband"].tolist()
        lookup = dict(zip(table["ageband"], table["esp2013"], strict=True))
        unknown = sorted(set(wanted) - set(lookup))
        if unknown:
            raise MethodInputError(f"unknown ESP2013 band(s) {unknown}", field="bands")
        labels = data[ageband].astype(str).to_numpy()
        reject_rows(
            data,
            ~np.isin(labels, wanted),
            field=ageband,
            problem=f"is not one of the bands {wanted}",
            fix="relabel the band or pass bands= to include it",
            keys=keys,
        )
        band_codes = pd.Categorical(labels, categories=wanted).codes
        present = np.zeros((groups.count, len(wanted)), dtype=np.intp)
        np.add.at(present, (groups.codes, band_codes), 1)
        bad = np.flatnonzero((present != 1).any(axis=1))
        if len(bad):
            detail = "; ".join(
                f"{groups.label(g)} missing {[wanted[b] for b in np.flatnonzero(present[g] == 0)]}"
                f" repeated {[wanted[b] for b in np.flatnonzero(present[g] > 1)]}"
                for g in bad[:5]
            )
            raise MethodInputError(
                f"age bands incomplete or repeated in {len(bad)} area(s): {detail}",
                field=ageband,
                areas=groups.labels(bad),
            )
        weights = np.array([lookup[label] for label in labels], dtype=np.float64)
    frame = data.assign(_stdpop=weights)
    return directly_standardised_rates(
        frame, x, n, "_stdpop", by=keys, confidence=confidence, multiplier=multiplier
    )
