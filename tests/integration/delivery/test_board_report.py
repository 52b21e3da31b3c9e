"""The board report from the demo programme in a real (SQLite) store."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from markupsafe import escape
from pypdf import PdfReader

from tests.conftest import SHARED
from tripleaim import warehouse
from tripleaim.delivery import PeriodFormatError
from tripleaim.delivery.report import board_report, health_gap, html, write_report
from tripleaim.errors import NotFoundError
from tripleaim.indicators import compute_profiles
from tripleaim.settings import Settings
from tripleaim.warehouse.store import Store


def test_the_partnership_report_covers_every_workstream(
    store: Store, tmp_path: Path
) -> None:
    with store.session() as session:
        report = board_report(session, "2018-01")
    assert report.scope == "Whole partnership"
    assert len(report.workstreams) >= 10
    assert report.kpis and all(
        c.latest_month and c.latest_month <= "2018-01" for c in report.kpis if c.points
    )
    assert report.exceptions.red_projects, "the demo has projects off track"
    assert report.finance.year == "2017/18" and report.finance.bridge
    page = html(report)
    for title in report.workstreams:
        assert escape(title) in page
    size = write_report(report, tmp_path / "report.pdf", "pdf")
    reader = PdfReader(io.BytesIO((tmp_path / "report.pdf").read_bytes()))
    assert size > 50_000 and len(reader.pages) >= 5
    assert "Whole partnership" in reader.pages[0].extract_text()


def test_a_workstream_report_holds_only_that_workstream(store: Store) -> None:
    with store.session() as session:
        whole = board_report(session, "2018-01", draw=False)
        cancer = board_report(session, "2018-01", workstream="cancer", draw=False)
    assert cancer.scope == "Cancer"
    assert cancer.workstreams == ["Cancer"]
    assert {c.workstream for c in cancer.kpis} == {"Cancer"}
    assert len(cancer.kpis) < len(whole.kpis)
    for figure in ("gap", "plan", "risk_adjusted", "residual"):
        assert cancer.finance.headline[figure] == whole.finance.headline[figure]
    assert cancer.finance.headline["scope_plan"] != whole.finance.headline["scope_plan"]


def test_an_earlier_period_uses_only_the_months_before_it(store: Store) -> None:
    with store.session() as session:
        early = board_report(session, "2017-06", draw=False)
    assert early.year == "2017/18"
    assert all(
        c.latest_month is None or c.latest_month <= "2017-06" for c in early.kpis
    )


def test_an_unknown_workstream_or_a_bad_period_is_refused(store: Store) -> None:
    with store.session() as session:
        with pytest.raises(NotFoundError, match="No workstream 'astrology'"):
            board_report(session, "2018-01", workstream="astrology")
        with pytest.raises(PeriodFormatError):
            board_report(session, "January 2018")


@pytest.fixture(scope="module")
def profiled(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A tiny footprint (scale 0.003) with its indicator profiles computed."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("profiled") / "var",
        shared_dir=SHARED,
        environment="test",
        scale=0.003,
        seed=5,
    )
    warehouse.generate(settings)
    compute_profiles(settings)
    return settings


def test_the_health_gap_comes_from_the_indicator_profiles(
    store: Store, profiled: Settings
) -> None:
    gap, note = health_gap(profiled)
    assert gap is not None and note == ""
    assert gap.counts and sum(gap.counts.values()) > 10
    assert list(gap.worse.columns) == ["title", "value_text", "benchmark_text"]
    with store.session() as session:
        report = board_report(session, "2018-01", settings=profiled, draw=False)
    health = report.triple_aim["health"]
    assert health["available"] and health["area"] == gap.area
    assert health["worse_count"] == len(gap.worse)


def test_without_profiles_the_report_says_how_to_compute_them(tmp_path: Path) -> None:
    bare = Settings(data_dir=tmp_path / "var", environment="test")
    for settings in (None, bare):
        gap, note = health_gap(settings)
        assert gap is None
        assert "tripleaim indicators compute" in note


def test_a_warehouse_whose_profiles_were_never_computed_says_so(
    tmp_path: Path,
) -> None:
    settings = Settings(
        data_dir=tmp_path / "var", shared_dir=SHARED, environment="test", scale=0.002
    )
    warehouse.generate(settings)
    gap, note = health_gap(settings)
    assert gap is None
    assert "tripleaim indicators compute" in note
