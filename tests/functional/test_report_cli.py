"""``tripleaim report`` end to end, in-process, on the demo programme."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.functional.test_indicators_cli import run
from tripleaim.delivery import load_demo
from tripleaim.settings import Settings
from tripleaim.warehouse.store import migrate, open_store


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the demo programme (no warehouse: no health profiles)."""
    data_dir = tmp_path_factory.mktemp("report") / "var"
    settings = Settings(data_dir=data_dir, environment="test")
    migrate(settings)
    store = open_store(settings)
    with store.session() as session:
        load_demo(session)
    store.dispose()
    return data_dir


def test_report_writes_a_pdf_and_says_what_it_wrote(demo: Path) -> None:
    out = demo.parent / "report.pdf"
    code, stdout, err = run(
        "report", "--period", "2018-01", "--out", str(out), data_dir=demo
    )
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF")
    assert "Wrote the Whole partnership report for January 2018" in stdout
    assert "exceptions" in stdout


def test_report_writes_one_workstream_as_html(demo: Path) -> None:
    out = demo.parent / "cancer.html"
    arguments = ["--out", str(out), "--workstream", "cancer", "--html"]
    code, _, err = run("report", "--period", "2018-01", *arguments, data_dir=demo)
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "Cancer: monthly board report" in page


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (
            ["--period", "2018-01", "--workstream", "astrology"],
            15,
            "No workstream 'astrology'",
        ),
        (["--period", "Jan-18"], 2, "Jan-18"),
    ],
)
def test_report_refuses_what_it_cannot_find_or_read(
    demo: Path, arguments: list[str], code: int, message: str
) -> None:
    got, _, err = run(
        "report", *arguments, "--out", str(demo.parent / "x.pdf"), data_dir=demo
    )
    assert got == code
    assert message in err


def _fill(path: Path, cell: str, value: object) -> None:
    book = load_workbook(io.BytesIO(path.read_bytes()))
    book["KPIs"][cell] = value
    book.save(path)


def test_the_cycle_ends_in_the_report(tmp_path: Path) -> None:
    """Open a period, upload a return, approve, lock: the report shows the new actual."""
    data = tmp_path / "var"
    book = tmp_path / "cancer.xlsx"
    steps = [
        ("delivery", "demo"),
        ("delivery", "open-period", "2018-04", "--actor", "pmo"),
        (
            "delivery",
            "template",
            "--project",
            "cancer_62_day",
            "--period",
            "2018-04",
            "--out",
            str(book),
        ),
    ]
    for step in steps:
        code, out, err = run(*step, data_dir=data)
        assert code == 0, (step, out, err)
    _fill(book, "I3", 80.5)
    for step in (
        ("delivery", "upload", str(book), "--actor", "lead"),
        ("delivery", "approve", "--project", "cancer_62_day", "--period", "2018-04"),
        ("delivery", "lock", "--period", "2018-04"),
    ):
        code, out, err = run(*step, data_dir=data)
        assert code == 0, (step, out, err)
    out_file = tmp_path / "cancer.html"
    arguments = ["--workstream", "cancer", "--html", "--out", str(out_file)]
    code, _, err = run("report", "--period", "2018-04", *arguments, data_dir=data)
    assert code == 0, err
    page = out_file.read_text(encoding="utf-8")
    card = page[page.index('id="kpi-cancer_62_day-cancer_62_day_performance"') :]
    assert "latest 80.5% (2018-04)" in card[: card.index("</td>")]
