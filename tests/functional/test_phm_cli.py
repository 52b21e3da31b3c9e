"""`tripleaim phm train` and `tripleaim phm score`, in-process on a tiny footprint."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.functional.test_indicators_cli import run


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A footprint at scale 0.004 (about 3,000 people)."""
    data_dir = tmp_path_factory.mktemp("phm") / "var"
    code, _, err = run("generate", "--scale", "0.004", "--seed", "5", data_dir=data_dir)
    assert code == 0, err
    yield data_dir


@pytest.fixture(scope="module")
def trained(built: Path) -> tuple[Path, str]:
    code, out, err = run("phm", "train", "--index-date", "2022-04-01", data_dir=built)
    assert code == 0, err
    return built, out


def test_train_prints_models_hold_out_figures_and_the_artifact(
    trained: tuple[Path, str],
) -> None:
    data_dir, out = trained
    assert "logistic" in out
    assert "boosting" in out
    assert "(chosen)" in out
    assert "Hold-out: c-statistic" in out
    current = (data_dir / "models" / "risk-current.txt").read_text().strip()
    assert current.startswith("risk-2022-04-01-")
    assert f"Model {current.removeprefix('risk-')} saved" in out
    metrics = json.loads((data_dir / "models" / current / "metrics.json").read_text())
    assert metrics["index_date"] == "2022-04-01"


def test_train_again_reproduces_the_same_version(trained: tuple[Path, str]) -> None:
    data_dir, _ = trained
    before = (data_dir / "models" / "risk-current.txt").read_text()
    code, _, err = run("phm", "train", "--index-date", "2022-04-01", data_dir=data_dir)
    assert code == 0, err
    assert (data_dir / "models" / "risk-current.txt").read_text() == before
    assert len(list((data_dir / "models").glob("risk-2022*"))) == 1


def test_score_writes_person_scores_and_person_risk(trained: tuple[Path, str]) -> None:
    data_dir, _ = trained
    code, out, err = run("phm", "score", data_dir=data_dir)
    assert code == 0, err
    assert "person_scores" in out
    assert "person_risk" in out
    assert "top 2% from" in out
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        rows, dates, versions = con.execute(
            "SELECT count(*), count(DISTINCT index_date), any_value(model_version) "
            "FROM person_risk"
        ).fetchone()
    finally:
        con.close()
    assert rows > 1000
    assert dates == 1
    assert versions.startswith("2022-04-01-")


def test_score_without_a_model_scores_and_says_how_to_train(built: Path) -> None:
    fresh = built.parent / "untrained"
    code, _, err = run("generate", "--scale", "0.002", "--seed", "6", data_dir=fresh)
    assert code == 0, err
    code, out, err = run("phm", "score", data_dir=fresh)
    assert code == 0, err
    assert "person_scores" in out
    assert "run `tripleaim phm train`" in out


def test_score_with_a_missing_model_folder_is_a_user_error(built: Path) -> None:
    code, _, err = run(
        "phm", "score", "--model", str(built / "nowhere"), data_dir=built
    )
    assert code == 15
    assert "NotFoundError" in err
    assert "model.joblib" in err


def test_train_without_a_warehouse_says_how_to_build_one(tmp_path: Path) -> None:
    code, _, err = run("phm", "train", data_dir=tmp_path / "nothing")
    assert code == 15
    assert "NotFoundError" in err
    assert "tripleaim generate" in err


def test_train_refuses_a_malformed_date(built: Path) -> None:
    code, _, err = run("phm", "train", "--index-date", "April 2022", data_dir=built)
    assert code == 2
    assert "YYYY-MM-DD" in err
