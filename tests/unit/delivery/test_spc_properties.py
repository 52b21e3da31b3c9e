"""Properties of the XmR chart that hold for any series (Hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tripleaim.delivery.spc import xmr

values = st.lists(st.integers(-500, 500), min_size=1, max_size=40)
kpis = st.lists(values, min_size=1, max_size=5)


def _frame(series: list[list[int]]) -> pd.DataFrame:
    parts = [
        pd.DataFrame(
            {
                "kpi": f"k{i}",
                "y": np.asarray(ys, dtype=float),
                "x": pd.date_range("2019-04-01", periods=len(ys), freq="MS"),
            }
        )
        for i, ys in enumerate(series)
    ]
    return pd.concat(parts, ignore_index=True)


FLAGS = ["rebase_group", "special_cause_type", "point_type", "short_group_warning"]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(kpis)
def test_each_kpi_is_charted_as_if_alone(series: list[list[int]]) -> None:
    together = xmr(_frame(series), facet="kpi")
    for i, ys in enumerate(series):
        alone = xmr(_frame([ys]), facet="kpi")
        part = together[together["f"] == f"k{i}"].reset_index(drop=True)
        alone = alone.assign(f=f"k{i}")
        pd.testing.assert_frame_equal(part, alone, check_categorical=False)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(values)
def test_limits_are_symmetric_and_the_process_sits_between_them(ys: list[int]) -> None:
    chart = xmr(_frame([ys]))
    spread = chart["upl"] - chart["mean_col"]
    assert np.allclose(spread, chart["mean_col"] - chart["lpl"], equal_nan=True)
    assert (spread.dropna() >= 0).all()
    assert (chart["mean_col"] >= min(ys)).all() and (chart["mean_col"] <= max(ys)).all()


@settings(max_examples=60, deadline=None, derandomize=True)
@given(values)
def test_doubling_the_values_changes_no_flag(ys: list[int]) -> None:
    once = xmr(_frame([ys]))
    twice = xmr(_frame([[2 * y for y in ys]]))
    pd.testing.assert_frame_equal(once[FLAGS], twice[FLAGS])
    assert np.allclose(2 * once["upl"], twice["upl"], equal_nan=True)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(values)
def test_mirroring_the_values_and_the_direction_keeps_every_point_type(
    ys: list[int],
) -> None:
    up = xmr(_frame([ys]), improvement_direction="increase")
    down = xmr(_frame([[-y for y in ys]]), improvement_direction="decrease")
    assert (
        up["point_type"].astype(str).tolist() == down["point_type"].astype(str).tolist()
    )
    mirrored = (
        up["special_cause_type"]
        .astype(str)
        .str.replace("Above", "@")
        .str.replace("Below", "Above")
        .str.replace("@", "Below")
        .str.replace("UCL", "#")
        .str.replace("LCL", "UCL")
        .str.replace("#", "LCL")
        .str.replace("Increasing", "%")
        .str.replace("Decreasing", "Increasing")
        .str.replace("%", "Decreasing")
    )
    assert mirrored.tolist() == down["special_cause_type"].astype(str).tolist()


@settings(max_examples=60, deadline=None, derandomize=True)
@given(values)
def test_screening_only_ever_narrows_the_limits(ys: list[int]) -> None:
    screened = xmr(_frame([ys]))
    excel = xmr(_frame([ys]), method="excel")
    width, wider = screened["upl"] - screened["lpl"], excel["upl"] - excel["lpl"]
    known = width.notna()
    assert (width[known] <= wider[known] + 1e-9).all()
