"""Reading the NHSRplotthedots fixtures and turning tripleaim's output into R's terms.

R keeps ``NA`` (missing) apart from ``NaN`` (not a number): a missing value has
``NA`` for ``y``, ``fix_y`` and ``relative_to_mean``, while a series whose moving
ranges are all screened out has ``NaN`` limits. tripleaim returns NaN for both;
:func:`as_r` marks which is which, column by column, so every cell is compared.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tests.reference.support import RTable, read_fixture
from tripleaim.delivery.spc import xmr

FIXTURES = (
    Path(__file__).resolve().parents[3] / "shared" / "reference" / "nhsrplotthedots"
)
NA_COLUMNS = ("y", "fix_y", "trajectory", "target", "relative_to_mean")
"""Numeric columns where tripleaim's NaN is R's NA (missing)."""
NAN_COLUMNS = ("mean_col", "lpl", "upl")
"""Numeric columns where tripleaim's NaN is R's NaN (the limits are not defined)."""
CHART_COLUMNS = [
    "y",
    "x",
    "f",
    "trajectory",
    "rebase_group",
    "short_group_warning",
    "fix_y",
    "mean_col",
    "lpl",
    "upl",
    "outside_limits",
    "relative_to_mean",
    "close_to_limits",
    "special_cause_type",
    "special_cause_flag",
    "point_type",
    "target",
]


def fixture(name: str) -> RTable:
    return read_fixture(name, FIXTURES)


def as_r(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with NA/NaN made explicit and dates written as R writes them."""
    out = frame.copy()
    for name in NA_COLUMNS:
        if name in out:
            values = out[name].to_numpy(dtype=np.float64)
            out[name] = pd.arrays.FloatingArray(values, np.isnan(values))
    for name in NAN_COLUMNS:
        if name in out:
            values = out[name].to_numpy(dtype=np.float64)
            out[name] = pd.arrays.FloatingArray(
                values, np.zeros(len(values), dtype=bool)
            )
    if "x" in out:
        out["x"] = out["x"].dt.strftime("%Y-%m-%d")
    return out


@functools.cache
def series() -> pd.DataFrame:
    """One row per series: the arguments of its ``ptd_spc`` call."""
    return fixture("ptd_spc_series.csv").frame()


def arguments(frame: pd.DataFrame) -> dict[str, Any]:
    """The per-series arguments as per-KPI options of one vectorised :func:`xmr` call."""
    rows = frame.set_index("series_id")
    rebase = {
        sid: text.split(";")
        for sid, text in rows["rebase_dates"].items()
        if isinstance(text, str) and text
    }
    return {
        "improvement_direction": rows["improvement_direction"].astype(str).to_dict(),
        "target": rows["target"].dropna().to_dict(),
        "rebase": rebase,
        "fix_after_n_points": {
            k: int(v) for k, v in rows["fix_after_n_points"].dropna().items()
        },
        "screen_outliers": {k: bool(v) for k, v in rows["screen_outliers"].items()},
    }


@functools.cache
def inputs() -> pd.DataFrame:
    return fixture("ptd_spc_input.csv").frame()


def charted(ids: tuple[str, ...], **overrides: Any) -> pd.DataFrame:
    """tripleaim's charts of the series ``ids``, every one in a single call."""
    data = inputs()
    data = data[data["series_id"].isin(ids)]
    chosen = series()[series()["series_id"].isin(ids)]
    kwargs = arguments(chosen) | overrides
    return xmr(
        data,
        value="y",
        date="date",
        facet="series_id",
        trajectory="trajectory",
        **kwargs,
    )


@functools.cache
def all_charts() -> pd.DataFrame:
    """Every series R charted without an error, in one faceted call."""
    ok = series().loc[series()["error"].fillna("") == "", "series_id"]
    return charted(tuple(ok))
