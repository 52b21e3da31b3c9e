"""`tripleaim benchmark`: compute, measures, peers and pack, in-process on a small footprint."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from tests.functional.test_indicators_cli import run
from tripleaim.benchmark import measures, peer_groups


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A footprint at scale 0.004 with benchmarks computed on DuckDB."""
    data_dir = tmp_path_factory.mktemp("benchmark") / "var"
    code, _, err = run("generate", "--scale", "0.004", "--seed", "5", data_dir=data_dir)
    assert code == 0, err
    code, out, err = run("benchmark", "compute", data_dir=data_dir)
    assert code == 0, err
    assert "opportunity rows on duckdb" in out
    yield data_dir


def _query(data_dir: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_compute_stores_every_measure_for_every_area_of_its_levels(data_dir):
    got = dict(
        _query(
            data_dir,
            "SELECT measure_id, count(DISTINCT area_level) FROM benchmark_opportunities GROUP BY 1",
        )
    )
    assert got == {k: len(s.levels) for k, s in measures().items()}
    utlas = _query(
        data_dir, "SELECT count(*) FROM national_areas WHERE area_type = 'utla'"
    )[0][0]
    rows = _query(
        data_dir,
        "SELECT count(DISTINCT area_code) FROM benchmark_opportunities "
        "WHERE measure_id = 'national_emergency_admissions' AND area_level = 'utla'",
    )[0][0]
    assert rows == utlas  # every area kept, flagged or not


def test_every_area_of_a_peer_group_has_its_peers_ranked_by_distance(data_dir):
    for group in peer_groups().values():
        rows = _query(
            data_dir,
            "SELECT area_code, list(distance ORDER BY rank), count(*) FROM benchmark_peers "
            f"WHERE peer_group = '{group.id}' GROUP BY 1",
        )
        assert rows, group.id
        for _, distances, count in rows:
            assert distances == sorted(distances)
            assert count <= group.peers


def test_counted_opportunity_is_never_negative_and_needs_significance(data_dir):
    bad = _query(
        data_dir,
        "SELECT count(*) FROM benchmark_opportunities WHERE opportunity_events < 0 "
        "OR (opportunity_events > 0 AND NOT significant) "
        "OR (significant AND NOT significant_naive)",
    )[0][0]
    assert bad == 0


def test_measures_lists_every_definition(data_dir):
    code, out, _ = run("benchmark", "measures", data_dir=data_dir)
    assert code == 0
    assert "day_case_rate_lap_chole" in out and "national_follow_up_ratio" in out


def test_peers_shows_an_areas_similar_ten(data_dir):
    code, out, _ = run("benchmark", "peers", "--area", "E06000019", data_dir=data_dir)
    assert code == 0
    assert "Peers of Herefordshire" in out and "similar_10_utla" in out


def test_peers_of_an_unknown_area_says_what_to_give(data_dir):
    code, _, err = run("benchmark", "peers", "--area", "X99999", data_dir=data_dir)
    assert code == 15
    assert "'X99999' has no peers" in err


def test_pack_writes_a_pdf_and_a_workbook(data_dir, tmp_path):
    pdf, xlsx = tmp_path / "pack.pdf", tmp_path / "pack.xlsx"
    code, out, err = run(
        "benchmark",
        "pack",
        "--area",
        "E06000019",
        "--out",
        str(pdf),
        "--xlsx",
        str(xlsx),
        data_dir=data_dir,
    )
    assert code == 0, err
    assert "counted opportunity" in out
    assert pdf.read_bytes().startswith(b"%PDF")
    book = load_workbook(xlsx)
    assert book.sheetnames == [
        "Summary",
        "Opportunities",
        "Peers",
        "Day cases by quarter",
        "Flagged",
    ]
    sheet = book["Opportunities"]
    national = [m for m, s in measures().items() if s.scope == "national"]
    assert sheet.max_row - 1 == len(national)
    assert book["Peers"].max_row - 1 == 10


def test_pack_as_html_for_a_practice_has_the_day_case_quarters(data_dir, tmp_path):
    practice = _query(
        data_dir,
        "SELECT min(area_code) FROM benchmark_peers WHERE area_level = 'practice'",
    )[0][0]
    out_file = tmp_path / "pack.html"
    code, _, err = run(
        "benchmark",
        "pack",
        "--area",
        practice,
        "--out",
        str(out_file),
        data_dir=data_dir,
    )
    assert code == 0, err
    text = out_file.read_text(encoding="utf-8")
    assert "Where to look" in text and "<svg" in text
    assert "Day-case surgery: bed days a quarter" in text


def test_pack_for_an_unknown_area_fails_clearly(data_dir, tmp_path):
    code, _, err = run(
        "benchmark",
        "pack",
        "--area",
        "E99999999",
        "--out",
        str(tmp_path / "p.pdf"),
        data_dir=data_dir,
    )
    assert code == 15
    assert "There are no benchmarks for area 'E99999999'" in err


def test_pack_refuses_an_output_it_cannot_write(data_dir, tmp_path):
    code, _, err = run(
        "benchmark",
        "pack",
        "--area",
        "E06000019",
        "--out",
        str(tmp_path / "p.docx"),
        data_dir=data_dir,
    )
    assert code == 2
    assert "--out must end in .pdf or .html, not '.docx'" in err


def test_pcn_counts_rolled_up_from_practices_equal_counting_by_pcn(data_dir):
    from tripleaim.benchmark import service
    from tripleaim.benchmark.counts import footprint_counts
    from tripleaim.settings import Settings
    from tripleaim.warehouse import connect

    settings = Settings(data_dir=data_dir, environment="test")
    engine = connect(settings, "duckdb", read_only=True)
    keys = ["area_code", "period", "sex", "age_band"]
    try:
        tables = service._tables(engine)
        parents = service._pcn_of_practice(engine)
        years = service.periods(engine)
        for measure_id in ("prescribing_spend_bnf_02", "day_case_rate_lap_chole"):
            spec = measures()[measure_id]
            direct = engine.execute(
                footprint_counts(tables, spec, "pcn", years)
            ).to_pandas()
            rolled = dict(service._cubes(engine, tables, spec, years, parents))["pcn"]
            direct = direct.sort_values(keys).reset_index(drop=True)
            rolled = rolled.sort_values(keys).reset_index(drop=True)
            assert len(rolled) == len(direct) > 0
            for column in ("numerator", "denominator", "bed_days", "cost_gbp"):
                assert rolled[column].to_numpy() == pytest.approx(
                    direct[column].to_numpy()
                )
    finally:
        engine.close()
