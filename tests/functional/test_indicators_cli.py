"""`tripleaim indicators`: compute, list, show, export and schema, in-process on a small footprint."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from tests.conftest import SHARED
from tripleaim import cli
from tripleaim.indicators import definitions, jsonschema, reading
from tripleaim.settings import Settings


def run(*args: str, data_dir: Path) -> tuple[int, str, str]:
    """Run the CLI in-process with an explicit environment; returns code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with (
        pytest.MonkeyPatch.context() as mp,
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        mp.setenv("TRIPLEAIM_DATA_DIR", str(data_dir))
        mp.setenv("TRIPLEAIM_SHARED_DIR", str(SHARED))
        try:
            cli.main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def computed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A footprint at scale 0.004 with profiles computed on DuckDB, and compute's output."""
    data_dir = tmp_path_factory.mktemp("indicators") / "var"
    code, out, err = run(
        "generate", "--scale", "0.004", "--seed", "5", data_dir=data_dir
    )
    assert code == 0, err
    code, out, err = run("indicators", "compute", data_dir=data_dir)
    assert code == 0, err
    yield data_dir, out


@pytest.fixture
def data_dir(computed: tuple[Path, str]) -> Path:
    return computed[0]


@pytest.fixture
def profiles(data_dir: Path) -> reading.Profiles:
    return reading.load(
        Settings(data_dir=data_dir, shared_dir=SHARED, environment="test")
    )


def test_compute_prints_indicators_periods_rows_and_seconds(
    computed: tuple[Path, str], profiles: reading.Profiles
) -> None:
    _, out = computed
    assert "Indicator profiles" in out
    assert f"{len(definitions())}" in out
    assert ", ".join(profiles.periods) in out
    assert f"{len(profiles.values):,}" in out
    assert "Computed on duckdb" in out


def test_compute_without_a_warehouse_says_how_to_build_one(tmp_path: Path) -> None:
    code, _, err = run("indicators", "compute", data_dir=tmp_path / "nothing")
    assert code == 15
    assert "NotFoundError" in err
    assert "tripleaim generate" in err


def test_compute_on_spark_without_the_parquet_export_says_how_to_make_it(
    data_dir: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "var"
    copy.mkdir()
    shutil.copyfile(data_dir / "warehouse.duckdb", copy / "warehouse.duckdb")
    code, _, err = run("indicators", "compute", "--engine", "spark", data_dir=copy)
    assert code == 15
    assert "tripleaim export parquet" in err


def test_an_unknown_engine_is_a_usage_error(data_dir: Path) -> None:
    code, _, err = run("indicators", "compute", "--engine", "oracle", data_dir=data_dir)
    assert code == 2
    assert "--engine" in err


def test_list_shows_the_definitions_of_a_domain(data_dir: Path) -> None:
    code, out, _ = run(
        "indicators", "list", "--domain", "finance_and_efficiency", data_dir=data_dir
    )
    assert code == 0
    finance = [
        s.id for s in definitions().values() if s.domain == "finance_and_efficiency"
    ]
    assert f"{len(finance)} indicators" in out
    for indicator_id in finance:
        assert indicator_id in out
    assert "life_expectancy_at_birth_male" not in out


def test_show_with_an_area_prints_the_value_the_reading_layer_publishes(
    data_dir: Path, profiles: reading.Profiles
) -> None:
    place = reading.areas_of(profiles, "place").iloc[0]
    rows = reading.area_profile(profiles, "place", place["area_code"])
    row = rows[rows["indicator_id"] == "emergency_admissions_dsr"].iloc[0]
    code, out, _ = run(
        "indicators",
        "show",
        "emergency_admissions_dsr",
        "--area",
        place["area_code"],
        data_dir=data_dir,
    )
    assert code == 0
    assert f"value {float(row['value']):,.1f}" in out
    assert f"{float(row['lower_95']):,.1f} to {float(row['upper_95']):,.1f}" in out
    assert "Trend" in out
    for period in profiles.periods:
        assert period in out


def test_show_without_an_area_lists_every_area_of_the_level(
    data_dir: Path, profiles: reading.Profiles
) -> None:
    code, out, _ = run(
        "indicators",
        "show",
        "emergency_admissions_dsr",
        "--level",
        "pcn",
        data_dir=data_dir,
    )
    assert code == 0
    assert "Emergency admissions" in out
    for pcn in reading.areas_of(profiles, "pcn")["area_code"]:
        assert pcn in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("no_such_indicator",), "There is no indicator 'no_such_indicator'"),
        (("emergency_admissions_dsr", "--area", "X1"), "There is no place 'X1'"),
        (("emergency_admissions_dsr", "--period", "1999/00"), "period '1999/00'"),
    ],
)
def test_show_names_what_does_not_exist(
    data_dir: Path, args: tuple[str, ...], message: str
) -> None:
    code, _, err = run("indicators", "show", *args, data_dir=data_dir)
    assert code == 15
    assert "NotFoundError" in err
    assert message in " ".join(err.split())


def test_the_gap_workbook_is_written_to_the_current_folder_by_default(
    data_dir: Path,
    profiles: reading.Profiles,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("indicators", "export", data_dir=data_dir)
    assert code == 0
    path = tmp_path / f"health-gap-{profiles.latest.replace('/', '-')}.xlsx"
    assert path.name in out
    book = load_workbook(path)
    places = list(reading.areas_of(profiles, "place")["area_name"])
    assert book.sheetnames == ["Contents", "System", *places, "Life expectancy gap"]
    sheet = book["System"]
    assert sheet["A1"].fill.fgColor.rgb.endswith("005EB8")
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")


def test_the_profiles_workbook_leaves_suppressed_cells_blank_with_the_reason(
    data_dir: Path, profiles: reading.Profiles, tmp_path: Path
) -> None:
    target = tmp_path / "practices.xlsx"
    code, _, err = run(
        "indicators",
        "export",
        "--what",
        "profiles",
        "--level",
        "practice",
        "--output",
        str(target),
        data_dir=data_dir,
    )
    assert code == 0, err
    book = load_workbook(target)
    assert book.sheetnames == ["Contents", "GP practice profiles", "Definitions"]
    sheet = book["GP practice profiles"]
    headers = [c.value for c in sheet[1]]
    rows = [
        dict(zip(headers, r, strict=True))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    ]
    v = profiles.values
    assert len(rows) == len(
        v[(v["area_level"] == "practice") & (v["period"] == profiles.latest)]
    )
    hidden = [r for r in rows if r["Reason"] == "Small count"]
    assert hidden
    assert all(r["Value"] is None and r["Numerator"] is None for r in hidden)
    assert all(
        not isinstance(x, str) or x.lower() != "nan" for r in rows for x in r.values()
    )
    assert len(list(book["Definitions"].iter_rows(min_row=2))) == len(definitions())


def test_the_csv_neutralises_text_a_spreadsheet_would_run(
    data_dir: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "var"
    copy.mkdir()
    shutil.copyfile(data_dir / "warehouse.duckdb", copy / "warehouse.duckdb")
    con = duckdb.connect(str(copy / "warehouse.duckdb"))
    try:
        (place,) = con.execute(
            "SELECT min(org_code) FROM organisations WHERE org_type = 'place'"
        ).fetchone()
        con.execute(
            "UPDATE organisations SET org_name = '=HYPERLINK(\"http://x\")' WHERE org_code = ?",
            [place],
        )
    finally:
        con.close()
    target = tmp_path / "profiles.csv"
    code, _, err = run(
        "indicators",
        "export",
        "--format",
        "csv",
        "--what",
        "profiles",
        "--output",
        str(target),
        data_dir=copy,
    )
    assert code == 0, err
    with target.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    names = {r["Area"] for r in rows if r["Area code"] == place}
    assert names == {'\'=HYPERLINK("http://x")'}
    assert not any(v.lower() == "nan" for r in rows for v in r.values())


def test_export_of_an_unknown_period_is_a_clear_error(
    data_dir: Path, tmp_path: Path
) -> None:
    code, _, err = run(
        "indicators",
        "export",
        "--period",
        "1999/00",
        "--output",
        str(tmp_path),
        data_dir=data_dir,
    )
    assert code == 15
    assert "1999/00" in err
    assert list(tmp_path.iterdir()) == []


def test_schema_writes_the_json_schema_of_a_definition(tmp_path: Path) -> None:
    target = tmp_path / "indicator.schema.json"
    code, _, _ = run("indicators", "schema", "--output", str(target), data_dir=tmp_path)
    assert code == 0
    schema = json.loads(target.read_text(encoding="utf-8"))
    assert schema == jsonschema.indicator_json_schema()
    assert {"id", "title", "method", "polarity"} <= set(schema["properties"])


def test_help_lists_the_indicator_commands(tmp_path: Path) -> None:
    code, out, _ = run("indicators", "--help", data_dir=tmp_path)
    assert code == 0
    for command in ("compute", "list", "show", "export", "schema"):
        assert command in out
