"""Recomputing the OHID Fingertips extract from its published counts and denominators.

The extract (``../shared/data/fingertips/``) gives, for each indicator, area and year,
the published value, its 95% limits and the count and denominator behind them. This
module holds the comparison; ``test_fingertips_published.py`` holds one case per
indicator.

Published precision. The Fingertips API serves most numbers to 5 decimal places or at
full double precision, but some to 1 or 2 decimal places (the CSV text shows which).
Every published number ``p`` written with ``d`` decimals is compared within
``max(0.5 * 10**-d, 5e-6, 1e-6 * |p|)``: half a unit in its last published place, and
never tighter than 5e-6 absolute or 1e-6 relative.

Rounded counts. Some indicators publish counts rounded to the nearest 5 (disclosure
control) while the limits were computed from the true count. For those, a row whose
count is a multiple of 5 is matched if one whole count within 2 of it reproduces the
published limits (``recovered`` in the summary counts such rows).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from tripleaim.indicators import (
    byars_lower,
    byars_upper,
    crude_rates,
    indirectly_standardised_ratios,
    poisson_count_limits,
    proportions,
)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

FOLDER = Path(__file__).resolve().parents[3] / "shared" / "data" / "fingertips"
EXTRACT = FOLDER / "fingertips_extract_north_west_and_england_31_indicators.csv"
METADATA = FOLDER / "fingertips_indicator_metadata.csv"
PUBLISHED = ("value", "lower_ci_95", "upper_ci_95")
ROUNDING = 5
"""Counts of indicators with ``rounded_counts`` are published to the nearest 5."""
ABS_FLOOR = 5e-6
REL_FLOOR = 1e-6
RECOMPUTES_VALUE = ("proportion", "crude_rate", "isr")
"""Methods whose value follows from count and denominator alone (the others take it
as given: a DSR needs events by age band, which the extract does not hold)."""


def read_extract() -> pd.DataFrame:
    """The extract, with each published number's tolerance (``tol_<column>``)."""
    text = pd.read_csv(EXTRACT, dtype=dict.fromkeys(PUBLISHED, "str"))
    for name in PUBLISHED:
        cells = text[name]
        decimals = cells.str.split(".").str[1].str.len().fillna(0).to_numpy(int)
        numbers = cells.astype("float64").to_numpy()
        text[f"tol_{name}"] = np.maximum.reduce(
            [
                0.5 * 10.0 ** (-decimals.astype(float)),
                np.full(len(cells), ABS_FLOOR),
                REL_FLOOR * np.abs(np.nan_to_num(numbers)),
            ]
        ) * (1 + 1e-9)
        text[name] = numbers
    return text


@dataclass(frozen=True)
class Case:
    """How one indicator is recomputed, and which of its rows are left out and why."""

    indicator: int
    name: str
    method: str
    """``proportion``, ``crude_rate``, ``isr`` (published expected), ``isr_from_value``
    (expected implied by the value) or ``dsr_limits`` (Dobson limits from the value)."""
    multiplier: float = 100
    limits: bool = True
    """False: no limits are published, so only the value is compared."""
    rounded_counts: bool = False
    excluded: Callable[[pd.DataFrame], pd.Series] | None = None
    excluded_because: str = ""
    unscaled_rows: int = 0
    """Rows whose published limits are the count's own Poisson limits, not divided by
    the denominator (a publication slip); checked as such, and their number fixed."""
    notes: str = ""


@dataclass
class Comparison:
    """Per-row agreement and the largest absolute gaps, for the test and the docs."""

    rows: int
    agree: BoolArray
    gaps: dict[str, float] = field(default_factory=dict)
    recovered: int = 0
    unscaled: int = 0
    excluded: int = 0
    offending: pd.DataFrame | None = None


def rows_for(extract: pd.DataFrame, case: Case) -> tuple[pd.DataFrame, int]:
    """The rows of ``case`` with everything its check needs, and how many were excluded."""
    needed = ["count", "denominator", "value"]
    if case.limits:
        needed += ["lower_ci_95", "upper_ci_95"]
    rows = extract[extract["indicator_id"] == case.indicator].dropna(subset=needed)
    if case.excluded is None:
        return rows.reset_index(drop=True), 0
    out = case.excluded(rows).to_numpy(dtype=bool)
    return rows[~out].reset_index(drop=True), int(out.sum())


def _floats(frame: pd.DataFrame, column: str) -> FloatArray:
    return np.asarray(frame[column].to_numpy(dtype=np.float64, na_value=np.nan))


def _within(
    got: FloatArray, rows: pd.DataFrame, column: str, extra: FloatArray | float = 0.0
) -> BoolArray:
    tolerance = rows[f"tol_{column}"].to_numpy() + extra
    return np.asarray(np.abs(got - rows[column].to_numpy()) <= tolerance)


def _carried(case: Case, rows: pd.DataFrame, column: str) -> FloatArray | float:
    """Rounding carried into a limit rebuilt from other published numbers.

    ``isr_from_value`` scales the published value by ``O_limit / O``: its rounding
    moves the limit by at most ``tol_value * limit / value``. ``dsr_limits`` rebuilds
    a limit from value, lower and upper: at most the sum of their tolerances.
    """
    if case.method == "isr_from_value":
        return np.asarray(
            rows["tol_value"] * rows[column] / rows["value"], dtype=np.float64
        )
    if case.method == "dsr_limits":
        other = "upper_ci_95" if column == "lower_ci_95" else "lower_ci_95"
        return np.asarray(rows["tol_value"] + rows[f"tol_{other}"], dtype=np.float64)
    return 0.0


def _candidates(case: Case, counts: FloatArray) -> list[FloatArray]:
    """Counts to try: the published one first, then (if rounded) those within 2."""
    tries = [counts]
    if case.rounded_counts:
        rounded = counts % ROUNDING == 0
        tries += [
            np.where(rounded, np.maximum(counts + step, 0), np.nan)
            for step in (-1, 1, -2, 2)
        ]
    return tries


def _limits_for(
    case: Case, rows: pd.DataFrame, count: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Recomputed value, lower and upper 95% limits with ``count`` as the numerator."""
    den = rows["denominator"].to_numpy()
    value = rows["value"].to_numpy()
    if case.method == "proportion":
        frame = pd.DataFrame({"x": count, "n": den})
        result = proportions(frame, multiplier=case.multiplier)
    elif case.method == "crude_rate":
        frame = pd.DataFrame({"x": count, "n": den})
        result = crude_rates(frame, multiplier=case.multiplier)
    elif case.method in ("isr", "isr_from_value"):
        # One band per area: expected = n * x_ref / n_ref = n. For ``isr_from_value``
        # the expected count is the one the published value implies (value = O / E
        # x 100); the check is then on the limits alone.
        expected = den if case.method == "isr" else 100 * count / value
        frame = pd.DataFrame({"row": range(len(rows)), "x": count, "n": expected})
        result = indirectly_standardised_ratios(
            frame.assign(x_ref=1.0, n_ref=1.0), by=["row"], refvalue=100
        )
    else:
        return (value, *_dobson_limits(rows, count))
    return (
        _floats(result, "value"),
        _floats(result, "lowercl"),
        _floats(result, "uppercl"),
    )


def _dobson_limits(
    rows: pd.DataFrame, count: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Dobson limits from the published value, count and the variance they imply.

    Dobson: ``limit = DSR + sqrt(V / O) * (O_limit - O) * multiplier`` with Byar's
    limits ``O_limit`` of the total count ``O``. The published width gives
    ``sqrt(V / O) * multiplier``; the limits are then rebuilt from it, so what is
    checked is the split of the interval around the value, which only O fixes.
    """
    lower_o, upper_o = byars_lower(count, 0.95), byars_upper(count, 0.95)
    width = rows["upper_ci_95"].to_numpy() - rows["lower_ci_95"].to_numpy()
    scale = width / (upper_o - lower_o)
    value = rows["value"].to_numpy()
    return value + scale * (lower_o - count), value + scale * (upper_o - count)


def _dobson_variance_is_possible(rows: pd.DataFrame, count: FloatArray) -> BoolArray:
    """The implied variance is at least a crude rate's: ``sqrt(V/O) * mult >= DSR / O``.

    By Cauchy-Schwarz, ``(sum w x / n)^2 <= sum (w / n)^2 x * sum x``, i.e. ``DSR^2 <=
    V O``, with equality only when every band has the same weight per person.
    """
    lower_o, upper_o = byars_lower(count, 0.95), byars_upper(count, 0.95)
    low, high = rows["lower_ci_95"].to_numpy(), rows["upper_ci_95"].to_numpy()
    slack = rows["tol_lower_ci_95"].to_numpy() + rows["tol_upper_ci_95"].to_numpy()
    widest = (high - low + slack) / (upper_o - lower_o)
    smallest = (rows["value"].to_numpy() - rows["tol_value"].to_numpy()) / count
    return np.asarray(widest >= smallest)


def compare(extract: pd.DataFrame, case: Case) -> Comparison:
    """Recompute every row of ``case`` and compare it with what was published."""
    rows, excluded = rows_for(extract, case)
    counts = rows["count"].to_numpy(dtype=np.float64)
    value_ok = np.ones(len(rows), dtype=bool)
    best: tuple[FloatArray, FloatArray, FloatArray] | None = None
    agree = np.zeros(len(rows), dtype=bool)
    used = np.full(len(rows), np.nan)
    for attempt, count in enumerate(_candidates(case, counts)):
        value, lower, upper = _limits_for(case, rows, count)
        if attempt == 0:
            best = (value, lower, upper)
            if case.method in RECOMPUTES_VALUE:
                # the value is recomputed from the published count, rounded or not
                value_ok = _within(value, rows, "value")
        if not case.limits:
            agree = value_ok
            used = counts
            break
        fits = _within(lower, rows, "lower_ci_95", _carried(case, rows, "lower_ci_95"))
        fits &= _within(upper, rows, "upper_ci_95", _carried(case, rows, "upper_ci_95"))
        if case.method == "dsr_limits":
            fits &= _dobson_variance_is_possible(rows, count)
        new = fits & ~agree
        assert best is not None
        best = (
            best[0],
            np.where(new, lower, best[1]),
            np.where(new, upper, best[2]),
        )
        used = np.where(new, count, used)
        agree |= fits
    assert best is not None
    unscaled = np.zeros(len(rows), dtype=bool)
    if case.unscaled_rows:
        lower_o, upper_o, _ = poisson_count_limits(counts, 0.95)
        unscaled = ~agree & _within(lower_o, rows, "lower_ci_95")
        unscaled &= _within(upper_o, rows, "upper_ci_95")
        agree |= unscaled
    agree &= value_ok
    gaps = {}
    if case.method in RECOMPUTES_VALUE:
        gaps["value"] = _gap(best[0], rows["value"])
    if case.limits:
        shown = ~unscaled
        gaps["lower"] = _gap(best[1][shown], rows["lower_ci_95"][shown])
        gaps["upper"] = _gap(best[2][shown], rows["upper_ci_95"][shown])
    columns = [
        "area_code",
        "year",
        "sex",
        "category",
        "count",
        "denominator",
        *PUBLISHED,
    ]
    return Comparison(
        rows=len(rows),
        agree=agree,
        gaps=gaps,
        recovered=int(np.sum(agree & ~unscaled & (used != counts))),
        unscaled=int(unscaled.sum()),
        excluded=excluded,
        offending=rows.loc[~agree, columns].head(),
    )


def _gap(got: FloatArray, published: pd.Series) -> float:
    differences = np.abs(got - published.to_numpy())
    return float(np.nanmax(differences, initial=0.0))
