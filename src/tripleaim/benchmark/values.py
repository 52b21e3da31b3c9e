"""From counts to values with 95% limits, reusing the indicators' methods.

``isr``: indirectly standardised rate (PHEindicatormethods ``calculate_ISRate``, via
:func:`tripleaim.indicators.indirectly_standardised_rates`): the reference's band rates
(England for national measures, the footprint for practices and PCNs) times each
area's band populations give the expected count; value = observed / expected x the
reference's crude rate. ``proportion``: Wilson score limits
(:func:`tripleaim.indicators.proportions`). ``crude_rate`` and ``ratio``: the value
scaled by the Poisson limits of its events (exact below 10, Byar's from 10).

When the numerator is pounds (spend), the limits are those of the events behind it
(admissions, items), applied to the value in proportion (docs/decisions/0042).
Each row also carries ``scale``: how much the value moves for one unit of numerator,
so a gap in value becomes a gap in activity (gap / scale).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tripleaim.benchmark.spec import MeasureSpec
from tripleaim.indicators import (
    indirectly_standardised_rates,
    poisson_count_limits,
    proportions,
)

__all__ = ["VALUE_COLUMNS", "measure_values"]

VALUE_COLUMNS = (
    "area_code",
    "period",
    "numerator",
    "denominator",
    "events",
    "bed_days",
    "cost_gbp",
    "value",
    "lower_95",
    "upper_95",
    "scale",
)
_SUMS = ["numerator", "denominator", "events", "bed_days", "cost_gbp"]


def _relative_limits(
    value: pd.Series, events: pd.Series
) -> tuple[np.ndarray, np.ndarray]:
    lower, upper, _ = poisson_count_limits(events.to_numpy(dtype=float), 0.95)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = value.to_numpy(dtype=float) / events.to_numpy(dtype=float)
    lower = np.where(events.to_numpy() > 0, ratio * lower, 0.0)
    return lower, ratio * upper


def _isr(cube: pd.DataFrame, spec: MeasureSpec) -> pd.DataFrame:
    if "reference" in cube.columns:
        ref_rows = cube[cube["reference"].astype(bool)]
        areas = cube[~cube["reference"].astype(bool)]
    else:
        ref_rows, areas = cube, cube
    keys = ["period", "sex", "age_band"]
    ref = ref_rows.groupby(keys, as_index=False)[["numerator", "denominator"]].sum()
    ref = ref.rename(columns={"numerator": "x_ref", "denominator": "n_ref"})
    ref = ref[ref["n_ref"] > 0]
    grid = areas[["area_code", "period"]].drop_duplicates().merge(ref, on="period")
    data = grid.merge(
        areas[[*keys, "area_code", "numerator", "denominator"]],
        on=["area_code", *keys],
        how="left",
    )
    data = data.fillna({"numerator": 0.0, "denominator": 0.0}).sort_values(
        ["area_code", *keys]
    )
    rates = indirectly_standardised_rates(
        data.rename(columns={"numerator": "x", "denominator": "n"}),
        by=["area_code", "period"],
        multiplier=spec.multiplier,
    )
    totals = areas.groupby(["area_code", "period"], as_index=False)[_SUMS].sum()
    out = totals.merge(
        rates[
            [
                "area_code",
                "period",
                "expected",
                "ref_rate",
                "value",
                "lowercl",
                "uppercl",
            ]
        ],
        on=["area_code", "period"],
        how="left",
    )
    out = out.rename(columns={"lowercl": "lower_95", "uppercl": "upper_95"})
    with np.errstate(invalid="ignore", divide="ignore"):
        out["scale"] = out["ref_rate"] / out["expected"]
    if spec.events is not None:
        out["lower_95"], out["upper_95"] = _relative_limits(out["value"], out["events"])
    return out


def _simple(cube: pd.DataFrame, spec: MeasureSpec) -> pd.DataFrame:
    if "reference" in cube.columns:
        cube = cube[~cube["reference"].astype(bool)]
    out = cube.groupby(["area_code", "period"], as_index=False)[_SUMS].sum()
    den = out["denominator"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(den > 0, spec.multiplier / den, np.nan)
    out["scale"] = scale
    out["value"] = out["numerator"] * scale
    if spec.method == "proportion":
        valid = (den > 0) & (out["numerator"] <= out["denominator"])
        wilson = proportions(
            out.loc[valid, ["numerator", "denominator"]].rename(
                columns={"numerator": "x", "denominator": "n"}
            ),
            multiplier=spec.multiplier,
        )
        out["lower_95"] = np.nan
        out["upper_95"] = np.nan
        out.loc[valid, "lower_95"] = wilson["lowercl"].to_numpy()
        out.loc[valid, "upper_95"] = wilson["uppercl"].to_numpy()
    else:
        out["lower_95"], out["upper_95"] = _relative_limits(out["value"], out["events"])
    return out


def measure_values(cube: pd.DataFrame, spec: MeasureSpec) -> pd.DataFrame:
    """Value, 95% limits and scale of ``spec`` for every area and period of ``cube``.

    Args:
        cube: Counts by area, period, sex and age band (``counts.CUBE_COLUMNS``, and
            ``reference`` for national measures).
        spec: The measure.

    Returns:
        ``VALUE_COLUMNS``; value and limits are NaN where the denominator is 0.
    """
    if cube.empty:
        return pd.DataFrame(columns=list(VALUE_COLUMNS))
    out = _isr(cube, spec) if spec.method == "isr" else _simple(cube, spec)
    return out[list(VALUE_COLUMNS)].reset_index(drop=True)
