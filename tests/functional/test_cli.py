"""The CLI end to end, in-process, with an explicit environment (ehrQL's call_cli)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import SHARED
from tripleaim import cli


@pytest.fixture
def call_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    def run(*args: str, data_dir: Path | None = None) -> tuple[int, str, str]:
        monkeypatch.setenv("TRIPLEAIM_DATA_DIR", str(data_dir or tmp_path / "var"))
        monkeypatch.setenv("TRIPLEAIM_SHARED_DIR", str(SHARED))
        code = 0
        try:
            cli.main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def built(call_cli, tmp_path: Path) -> Path:
    code, out, _ = call_cli("generate", "--scale", "0.004", "--seed", "5")
    assert code == 0, out
    return tmp_path / "var"


def test_generate_builds_the_footprint_and_prints_its_summary(
    built: Path, call_cli
) -> None:
    code, out, _ = call_cli("info", "--json")
    assert code == 0
    info = json.loads(out)
    tables = {t["table_name"]: t for t in info["tables"]}
    assert info["facts"]["icb_code"] == "QGH"
    assert tables["persons"]["rows"] > 2_500
    assert tables["inpatient_spells"]["min_date"] == "2021-04-01"
    assert info["quarantine"] == []
    assert (built / "warehouse.duckdb").exists()


def test_exported_extracts_load_into_an_empty_warehouse_without_quarantine(
    built: Path, call_cli, tmp_path: Path
) -> None:
    extracts = tmp_path / "extracts"
    assert call_cli("export", "extracts", "--out", str(extracts))[0] == 0
    fresh = tmp_path / "fresh"
    code, out, _ = call_cli("load", str(extracts), data_dir=fresh)
    assert code == 0, out
    _, info_json, _ = call_cli("info", "--json", data_dir=fresh)
    _, source_json, _ = call_cli("info", "--json")
    loaded = {t["table_name"]: t["rows"] for t in json.loads(info_json)["tables"]}
    source = {t["table_name"]: t["rows"] for t in json.loads(source_json)["tables"]}
    assert loaded == source
    assert json.loads(info_json)["quarantine"] == []
    # Loading the same file again does nothing and says so.
    code, out, _ = call_cli("load", str(extracts / "persons.csv"), data_dir=fresh)
    assert code == 0
    assert "already loaded" in out


def test_bad_rows_go_to_quarantine_and_can_be_listed_shown_and_exported(
    built: Path, call_cli, tmp_path: Path
) -> None:
    extracts = tmp_path / "extracts"
    call_cli("export", "extracts", "--out", str(extracts))
    fresh = tmp_path / "fresh"
    for table in ("organisations", "lsoas"):
        assert call_cli("load", str(extracts / f"{table}.csv"), data_dir=fresh)[0] == 0
    with (extracts / "persons.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[0]["lsoa_code"] = "E99999999"
    rows[1]["date_of_birth"] = "31/12/1950"
    bad = tmp_path / "persons.csv"
    with bad.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, out, _ = call_cli("load", str(bad), data_dir=fresh)
    assert code == 0
    assert "2 rows held in quarantine" in out
    code, out, _ = call_cli("quarantine", "list", data_dir=fresh)
    assert "persons" in out
    code, out, _ = call_cli("quarantine", "show", "3", data_dir=fresh)
    assert "lsoa_code" in out
    assert "date_of_birth" in out
    target = tmp_path / "held.csv"
    code, out, _ = call_cli(
        "quarantine", "export", "--out", str(target), data_dir=fresh
    )
    assert code == 0
    with target.open(newline="") as fh:
        held = list(csv.DictReader(fh))
    assert {r["column_name"] for r in held} >= {"lsoa_code", "date_of_birth"}
    assert all(r["original_row"] for r in held)


def test_a_file_with_the_wrong_header_is_rejected_with_exit_code_11(
    call_cli, tmp_path: Path
) -> None:
    bad = tmp_path / "persons.csv"
    bad.write_text("person,sex\n1,F\n", encoding="utf-8")
    code, _, err = call_cli("load", str(bad))
    assert code == 11
    assert "LoadError" in err
    assert "persons.csv" in err


def test_unknown_table_and_missing_warehouse_are_clear_errors(
    call_cli, tmp_path: Path
) -> None:
    extract = tmp_path / "patients.csv"
    extract.write_text("a\n1\n", encoding="utf-8")
    code, _, err = call_cli("load", str(extract))
    assert code == 15
    assert "There is no warehouse table 'patients'" in err
    code, _, err = call_cli("info", data_dir=tmp_path / "nothing-here")
    assert code == 15
    assert "tripleaim generate" in err


def test_help_lists_every_command(call_cli) -> None:
    code, out, _ = call_cli("--help")
    assert code == 0
    for command in ("generate", "load", "info", "quarantine", "export"):
        assert command in out


def test_demo_accounts_are_created_once_and_printed(built: Path, call_cli) -> None:
    code, out, _ = call_cli("users", "demo")
    assert code == 0
    assert "administrator-demo-2026" in out
    code, again, _ = call_cli("users", "demo")
    assert code == 0
    assert again.count("demo-2026") == out.count("demo-2026")


def test_users_create_reads_the_password_from_the_environment(
    built: Path, call_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = (
        "users",
        "create",
        "--username",
        "a.analyst",
        "--role",
        "system_analyst",
        "--org",
        "QGH",
        "--name",
        "A Analyst",
    )
    code, _, err = call_cli(*args)
    assert code == 2
    assert "TRIPLEAIM_NEW_PASSWORD" in err
    monkeypatch.setenv("TRIPLEAIM_NEW_PASSWORD", "a long enough password")
    code, out, _ = call_cli(*args)
    assert code == 0, out
    assert "Created a.analyst" in out
    code, _, err = call_cli(*args)
    assert code == 14
    assert "ConflictError" in err
    code, _, err = call_cli(
        "users",
        "create",
        "--username",
        "b",
        "--role",
        "system_analyst",
        "--org",
        "ZZZ99",
        "--name",
        "B",
    )
    assert code == 15
    assert "ZZZ99 is not an organisation of this footprint" in err


def test_serve_get_answers_one_request_in_process(built: Path, call_cli) -> None:
    code, out, _ = call_cli("serve", "--get", "/health")
    assert code == 0
    assert '"status":"ok"' in out.replace(" ", "")
    code, _, _ = call_cli("serve", "--get", "/admin/audit")
    assert code == 1  # a redirect to sign in is not a success
