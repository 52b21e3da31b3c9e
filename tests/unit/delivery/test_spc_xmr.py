"""XmR charts: the Excel-tool option, bad input, and rules at their boundaries."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.reference.nhsrplotthedots import all_charts, charted, series
from tripleaim.delivery.spc import SpcInputError, icons, summary, xmr
from tripleaim.delivery.spc.limits import SCREEN
from tripleaim.errors import UserError

VIGNETTE = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
"""NHSRplotthedots' "Deviations from Excel defaults" vignette example."""


def _frame(values: list[float], start: str = "2021-03-22") -> pd.DataFrame:
    return pd.DataFrame({"y": values, "x": pd.date_range(start, periods=len(values))})


def test_vignette_limits_with_and_without_screening() -> None:
    screened = xmr(_frame(VIGNETTE)).iloc[0]
    excel = xmr(_frame(VIGNETTE), method="excel").iloc[0]
    # The vignette prints UPL 4.6, mean 1.94, LPL -0.72 and, Excel, 6.95 and -3.06;
    # by hand: moving ranges 1, 1, 1, 8, 9 and twelve 1s -> mean 32/17; 8 and 9 are
    # at least 3.267 x 32/17 = 6.15, so screened the mean is 15/15 = 1.
    assert screened["mean_col"] == pytest.approx(35 / 18)
    assert screened["upl"] == pytest.approx(35 / 18 + 2.66 * 1.0)
    assert excel["upl"] == pytest.approx(35 / 18 + 2.66 * 32 / 17)
    assert round(excel["lpl"], 2) == -3.06
    assert round(screened["lpl"], 2) == -0.72


def _has_screened_range(values: np.ndarray) -> bool:
    ranges = np.abs(np.diff(values[~np.isnan(values)]))
    return bool(ranges.size) and bool((ranges >= SCREEN * ranges.mean()).any())


def test_excel_option_changes_limits_exactly_where_a_moving_range_is_screened() -> None:
    screened_in_r = series()[
        series()["screen_outliers"] & (series()["error"].fillna("") == "")
    ]
    ids = tuple(screened_in_r["series_id"])
    excel = charted(ids, screen_outliers=None, method="excel")
    default = all_charts()
    default = default[default["f"].isin(ids)].reset_index(drop=True)
    differs = 0
    for (key, a), (_, b) in zip(
        default.groupby(["f", "rebase_group"]),
        excel.groupby(["f", "rebase_group"]),
        strict=True,
    ):
        fixed = a["fix_y"].to_numpy()
        if fixed[~np.isnan(fixed)].std() == 0:
            continue  # a constant series has no moving range to screen
        same = np.allclose(a["upl"], b["upl"], rtol=0, atol=0)
        assert same != _has_screened_range(fixed), key
        differs += not same
    assert differs >= 5


def test_excel_reproduces_the_series_r_drew_without_screening() -> None:
    unscreened = series()[~series()["screen_outliers"]]
    ids = tuple(unscreened["series_id"])
    assert len(ids) >= 10
    got = charted(ids, screen_outliers=None, method="excel")
    want = all_charts()
    want = want[want["f"].isin(ids)].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)


def test_a_missing_value_breaks_a_trend() -> None:
    values = [5, 1, 9, 2, 8, 3, 10, 20, 21, 22, np.nan, 23, 24, 25, 26, 4, 9, 2, 8, 3]
    kinds = xmr(_frame(values))["special_cause_type"].astype(str)
    assert not kinds.str.contains("Trend").any()
    joined = xmr(_frame([v for v in values if not np.isnan(v)]))["special_cause_type"]
    assert joined.astype(str).str.contains("Trend").any()


def test_icons_follow_the_latest_point_and_the_direction() -> None:
    rising = [10, 11, 10, 12, 11, 10, 11, 12, 10, 11, 12, 11, 10, 30]
    both = pd.concat(
        [_frame(rising).assign(kpi="a"), _frame(rising).assign(kpi="b")],
        ignore_index=True,
    )
    chart = xmr(
        both,
        facet="kpi",
        improvement_direction={"a": "increase", "b": "decrease"},
        target={"a": 5.0},
    )
    got = icons(chart).set_index("f")
    assert got.loc["a", "variation_icon"] == "improvement_high"
    assert got.loc["b", "variation_icon"] == "concern_high"
    assert got.loc["a", "assurance_icon"] == "pass"
    assert pd.isna(got.loc["b", "assurance_icon"])
    assert list(summary(chart)["n"]) == [14, 14]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"data": _frame([1, "two", 3])}, "y"),
        ({"data": _frame([1, 2, 3]).drop(columns="x")}, "x"),
        ({"data": pd.DataFrame({"y": [1, 2], "x": ["2021-01-01", "2021-01-01"]})}, "x"),
        ({"data": pd.DataFrame({"y": [1, 2], "x": ["2021-01-01", "not a date"]})}, "x"),
        ({"improvement_direction": "up"}, "improvement_direction"),
        ({"target": {"other kpi": 3.0}}, "target"),
        ({"target": "high"}, "target"),
        ({"fix_after_n_points": 0}, "fix_after_n_points"),
        ({"screen_outliers": "yes"}, "screen_outliers"),
        ({"rebase": ["someday"]}, "rebase"),
        ({"method": "minitab"}, "method"),
        ({"data": _frame([1.0, np.inf, 3.0])}, "y"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    change: dict[str, object], field: str
) -> None:
    arguments: dict[str, object] = {"data": _frame([1, 2, 3])} | change
    data = arguments.pop("data")
    with pytest.raises(SpcInputError) as caught:
        xmr(data, **arguments)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert isinstance(caught.value, UserError)
    assert field in str(caught.value) or field == "method"


def test_a_missing_kpi_name_is_refused() -> None:
    data = _frame([1, 2, 3]).assign(kpi=["a", None, "a"])
    with pytest.raises(SpcInputError, match="kpi is missing in rows \\[2\\]"):
        xmr(data, facet="kpi")


def test_a_repeated_date_names_the_kpi_and_date() -> None:
    data = pd.DataFrame({"y": [1, 2], "x": ["2021-01-01"] * 2, "kpi": ["beds", "beds"]})
    with pytest.raises(SpcInputError, match="beds 2021-01-01"):
        xmr(data, facet="kpi")


def test_rebase_on_the_first_date_and_on_a_date_not_in_the_data() -> None:
    values = list(range(20))
    chart = xmr(
        _frame(values, "2021-01-01"), rebase=["2021-01-01", "2030-01-01", "2021-01-11"]
    )
    assert chart["rebase_group"].tolist() == [1] * 10 + [2] * 10
    assert chart["short_group_warning"].all()
    assert chart.groupby("rebase_group")["mean_col"].first().tolist() == [4.5, 14.5]


def test_an_empty_frame_gives_an_empty_chart() -> None:
    chart = xmr(
        pd.DataFrame(
            {
                "y": pd.Series([], dtype=float),
                "x": pd.Series([], dtype="datetime64[ns]"),
            }
        )
    )
    assert chart.empty
    assert list(chart.columns)[:3] == ["y", "x", "f"]
