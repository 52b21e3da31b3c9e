"""XmR charts, summaries and icons against NHSRplotthedots 0.2.2, cell by cell.

The 86 series R charted are computed here in one vectorised call (each with its own
direction, target, rebase dates, fixed limits and screening), then compared series by
series with every column R returned. The faceted call is reproduced as R made it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.reference.nhsrplotthedots import (
    CHART_COLUMNS,
    all_charts,
    as_r,
    charted,
    fixture,
    inputs,
    series,
)
from tests.reference.support import assert_matches, subset
from tripleaim.delivery.spc import icons, summary, xmr

FIXTURES = [
    "ptd_spc.csv",
    "ptd_spc_summary.csv",
    "ptd_spc_series.csv",
    "ptd_spc_facet.csv",
    "ptd_spc_facet_summary.csv",
    "ptd_spc_facet_assurance.csv",
    "ptd_spc_facet_icons.csv",
]
INPUTS = ["ptd_spc_input.csv", "ptd_spc_facet_input.csv"]
SUPPORT = ["manifest.csv", "coverage.csv"]
CHARTED = series().loc[series()["error"].fillna("") == "", "series_id"].tolist()
FAILED = [sid for sid in series()["series_id"] if sid not in CHARTED]


def _one(frame: pd.DataFrame, sid: str) -> pd.DataFrame:
    return frame[frame["f"] == sid].reset_index(drop=True)


@pytest.mark.parametrize("sid", CHARTED)
def test_every_column_of_every_point_matches(sid: str) -> None:
    expected = subset(fixture("ptd_spc.csv"), "series_id", sid)
    got = as_r(_one(all_charts(), sid)).assign(f="no facet")
    assert_matches(got, expected, columns=CHART_COLUMNS, keys=["x"])


@pytest.mark.parametrize("sid", CHARTED)
def test_summary_matches(sid: str) -> None:
    expected = subset(fixture("ptd_spc_summary.csv"), "series_id", sid)
    got = summary(_one(all_charts(), sid))
    columns = [*expected.names[3:]]
    assert_matches(as_r(got), expected, columns=columns, keys=["rebase_group"])


@pytest.mark.parametrize("sid", CHARTED)
def test_assurance_and_icons_match(sid: str) -> None:
    row = series()[series()["series_id"] == sid].iloc[0]
    got = icons(_one(all_charts(), sid)).iloc[0]
    assert f"{got['variation_icon']}.svg" == row["variation_icon"]
    want_assurance = (
        row["assurance_type"] if isinstance(row["assurance_type"], str) else None
    )
    assert got["assurance_type"] == want_assurance
    want_icon = (
        row["assurance_icon"] if isinstance(row["assurance_icon"], str) else None
    )
    got_icon = (
        None if pd.isna(got["assurance_icon"]) else f"{got['assurance_icon']}.svg"
    )
    assert got_icon == want_icon


def test_the_series_r_could_not_chart_is_charted_with_the_gap_breaking_the_trend() -> (
    None
):
    """R stops on a missing value inside a monotone run (decision 0030); we chart it."""
    assert FAILED == ["E025"]
    assert (
        "missing value where TRUE/FALSE needed"
        in series().set_index("series_id").loc["E025", "error"]
    )
    got = charted(("E025",))
    values = got["y"].to_numpy()
    gap = int(np.flatnonzero(np.isnan(values))[0])
    assert gap >= 7
    kinds = got["special_cause_type"].astype(str).tolist()
    assert set(kinds[:gap]) == {"Below LCL", "7 Point Trend (Increasing)"}
    assert kinds[gap] == "Common Cause"


FACET_CALL = {
    "improvement_direction": "increase",
    "target": {"F1": 125.14, "F2": 374.22, "F4": 58.91},
    "rebase": {"F2": ["2021-03-01"], "F3": ["2020-10-01", "2021-08-01"]},
    "fix_after_n_points": 20,
}
NO_TARGET = ("F3", "F5")
"""Facets without a target: R still calls them inconsistent; tripleaim gives no assurance."""


def _facet_chart() -> pd.DataFrame:
    data = fixture("ptd_spc_facet_input.csv").frame()
    return xmr(data, value="y", date="date", facet="facet", **FACET_CALL)


def test_faceted_call_matches_every_point() -> None:
    assert_matches(
        as_r(_facet_chart()),
        fixture("ptd_spc_facet.csv"),
        columns=CHART_COLUMNS,
        keys=["f", "x"],
    )


def test_faceted_summary_matches_except_assurance_without_a_target() -> None:
    got = summary(_facet_chart())
    expected = fixture("ptd_spc_facet_summary.csv")
    assert_matches(
        as_r(got), expected, columns=expected.names[:-1], keys=["f", "rebase_group"]
    )
    want = expected.frame()
    with_target = ~want["f"].isin(NO_TARGET)
    assert (
        got.loc[with_target, "assurance_type"].fillna("NA").tolist()
        == want.loc[with_target, "assurance_type"].fillna("NA").tolist()
    )
    assert got.loc[~with_target, "assurance_type"].isna().all()
    assert set(want.loc[~with_target, "assurance_type"].dropna()) == {"inconsistent"}


def test_faceted_assurance_and_icons_match_except_without_a_target() -> None:
    got = icons(_facet_chart()).set_index("f")
    assured = (
        fixture("ptd_spc_facet_assurance.csv").frame().set_index("f")["assurance_type"]
    )
    drawn = fixture("ptd_spc_facet_icons.csv").frame()
    for f, kind in assured.items():
        if f in NO_TARGET:
            assert pd.isna(got.loc[f, "assurance_type"])
        else:
            assert got.loc[f, "assurance_type"] == kind
    for f, kind, icon in drawn.itertuples(index=False):
        if kind == "variation":
            assert f"{got.loc[f, 'variation_icon']}.svg" == icon
        elif f in NO_TARGET:
            assert pd.isna(got.loc[f, "assurance_icon"])
        else:
            assert f"{got.loc[f, 'assurance_icon']}.svg" == icon


def test_every_rule_and_class_in_the_coverage_table_is_reproduced() -> None:
    coverage = fixture("coverage.csv").frame()
    points = all_charts()
    for what in ("special_cause_type", "point_type"):
        want = coverage[coverage["what"] == what].set_index("value")["count"]
        got = points[what].astype(str).value_counts()
        assert got.to_dict() == want.astype(int).to_dict()


def test_every_file_of_the_reference_set_is_read_by_a_test() -> None:
    from tests.reference.nhsrplotthedots import FIXTURES as folder

    present = {p.name for p in folder.iterdir()} - {"README.md", "sessionInfo.txt"}
    assert present == set(FIXTURES) | set(INPUTS) | set(SUPPORT)
    manifest = fixture("manifest.csv").frame()["file"]
    assert set(manifest) == present - {"manifest.csv"}
    assert len(inputs()) == int(
        fixture("manifest.csv")
        .frame()
        .set_index("file")
        .loc["ptd_spc_input.csv", "rows"]
    )
