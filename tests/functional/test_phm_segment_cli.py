"""`tripleaim phm segment` and `tripleaim phm cohort`, in-process on a tiny footprint."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from tests.functional.test_indicators_cli import run


@pytest.fixture(scope="module")
def segmented(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A footprint at scale 0.004 (about 3,000 people), segmented."""
    data_dir = tmp_path_factory.mktemp("segments") / "var"
    code, _, err = run("generate", "--scale", "0.004", "--seed", "5", data_dir=data_dir)
    assert code == 0, err
    code, out, err = run("phm", "segment", data_dir=data_dir)
    assert code == 0, err
    yield data_dir, out


def test_segment_prints_the_segments_and_the_reduction_in_variance(
    segmented: tuple[Path, str],
) -> None:
    _, out = segmented
    for title in ("Frailty", "Limited reserve", "Acutely ill", "Healthy"):
        assert title in out
    assert "Reduction in variance of spend:" in out


def test_cohort_prints_a_ranked_list(segmented: tuple[Path, str]) -> None:
    data_dir, _ = segmented
    code, out, err = run(
        "phm", "cohort", "three_emergency_admissions", "--limit", "3", data_dir=data_dir
    )
    assert code == 0, err
    assert "Three or more emergency admissions" in out
    assert "people." in out


def test_cohort_exports_a_workbook_with_a_frozen_header(
    segmented: tuple[Path, str], tmp_path: Path
) -> None:
    data_dir, _ = segmented
    target = tmp_path / "list.xlsx"
    code, _, err = run(
        "phm",
        "cohort",
        "three_emergency_admissions",
        "--output",
        str(target),
        data_dir=data_dir,
    )
    assert code == 0, err
    sheet = load_workbook(target).active
    assert sheet["A1"].value == "Rank"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold


def test_cohort_exports_csv(segmented: tuple[Path, str], tmp_path: Path) -> None:
    data_dir, _ = segmented
    target = tmp_path / "list.csv"
    code, _, err = run(
        "phm",
        "cohort",
        "three_emergency_admissions",
        "--output",
        str(target),
        data_dir=data_dir,
    )
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows[0][:2] == ["Rank", "Person (pseudonymised)"]


def test_an_unknown_cohort_exits_with_a_user_error(segmented: tuple[Path, str]) -> None:
    data_dir, _ = segmented
    code, _, err = run("phm", "cohort", "nope", data_dir=data_dir)
    assert code == 2
    assert "Unknown cohort 'nope'" in err


def test_a_cohort_needing_risk_says_how_to_get_it(segmented: tuple[Path, str]) -> None:
    data_dir, _ = segmented
    code, _, err = run("phm", "cohort", "top_2_percent_risk", data_dir=data_dir)
    assert code == 15
    assert "phm train" in err
