"""``tripleaim delivery`` end to end: demo, periods, template, upload, review, lock, export."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import SHARED
from tripleaim import cli


@pytest.fixture
def call_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setenv("TRIPLEAIM_DATA_DIR", str(tmp_path / "var"))
        monkeypatch.setenv("TRIPLEAIM_SHARED_DIR", str(SHARED))
        code = 0
        try:
            cli.main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, " ".join(out.split()), " ".join(err.split())  # unwrapped

    return run


def _fill(path: Path, cell: str, value: object) -> None:
    book = load_workbook(io.BytesIO(path.read_bytes()))
    book["KPIs"][cell] = value
    book.save(path)


def test_the_cycle_from_the_command_line(call_cli, tmp_path: Path) -> None:
    code, out, _ = call_cli("delivery", "demo")
    assert code == 0
    assert "Loaded partnership_transformation: 14 workstreams, 20 projects" in out
    assert "Linked KPIs: 1, actuals written: 0. There is no warehouse yet" in out
    code, out, _ = call_cli("delivery", "demo")
    assert "Already loaded: partnership_transformation" in out
    code, out, _ = call_cli("delivery", "open-period", "2018-04", "--actor", "pmo")
    assert (code, out) == (0, "Opened 2018-04.")
    code, out, _ = call_cli("delivery", "periods")
    assert "2018-04" in out
    assert "locked" in out
    book = tmp_path / "cancer.xlsx"
    code, out, _ = call_cli(
        "delivery",
        "template",
        "--project",
        "cancer_62_day",
        "--period",
        "2018-04",
        "--out",
        str(book),
    )
    assert code == 0
    _fill(book, "I3", "eighty")
    code, _, err = call_cli(
        "delivery", "upload", str(book), "--project", "cancer_62_day"
    )
    assert code == 11
    assert "KPIs!I3: 'eighty' is text, not a number." in err
    _fill(book, "I3", 80.5)
    code, out, _ = call_cli("delivery", "upload", str(book), "--actor", "lead")
    assert (code, out) == (0, "cancer_62_day 2018-04: submitted, 1 change(s).")
    code, _, err = call_cli("delivery", "lock", "--period", "2018-04")
    assert code == 14
    assert "await review for cancer_62_day" in err
    code, out, _ = call_cli(
        "delivery", "request-changes", "--project", "cancer_62_day", "--period", "2018-04",
        "--comment", "Add the urology position",
    )  # fmt: skip
    assert code == 0
    code, out, _ = call_cli("delivery", "upload", str(book), "--actor", "lead")
    assert code == 14  # the project moved on since this workbook was downloaded
    code, _, _ = call_cli(
        "delivery",
        "template",
        "--project",
        "cancer_62_day",
        "--period",
        "2018-04",
        "--out",
        str(book),
    )
    code, out, _ = call_cli("delivery", "upload", str(book))
    assert "submitted, 0 change(s)" in out
    for args in (("approve", "--project", "cancer_62_day"), ("lock",)):
        code, out, _ = call_cli("delivery", *args, "--period", "2018-04")
        assert code == 0, out
    code, _, err = call_cli("delivery", "upload", str(book))
    assert code == 11
    assert "Guide!B4: the period 2018-04 (April 2018) is locked" in err
    programme = tmp_path / "programme.xlsx"
    code, out, _ = call_cli(
        "delivery", "export", "--period", "2018-04", "--out", str(programme)
    )
    assert code == 0
    sheet = load_workbook(programme)["Project"]
    ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(ids) == 19  # medicines optimisation ended in March
    assert "medicines_optimisation" not in ids
