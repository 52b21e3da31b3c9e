"""The emergency-admission model trained on the small footprint (scale 0.02).

About 16,000 people: a hold-out of about 3,000 with about 260 admissions. The
c-statistic's standard error there is about 0.02 (Hanley and McNeil 1982), so the
floor of 0.60 is five standard errors above chance (0.5) and five below what the
model reaches (about 0.69): it fails when the model stops learning, not by chance.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from tripleaim.errors import NotFoundError
from tripleaim.phm import labelled, risk_features, score_population, train_risk_model
from tripleaim.phm.risk import artifact, scoring
from tripleaim.phm.risk.features import SOURCE_TABLES
from tripleaim.phm.risk.metrics import OVERALL_TOLERANCE
from tripleaim.settings import Settings
from tripleaim.warehouse import connect
from tripleaim.warehouse.engines.duckdb import DuckDBEngine

INDEX = date(2022, 4, 1)
C_FLOOR = 0.60

# Post-index rows and the column that dates them, for the leakage test.
DATED = {
    "inpatient_spells": "admission_date",
    "ae_attendances": "arrival_time",
    "outpatient_appointments": "appointment_date",
    "prescribing": "period_start",
    "conditions": "diagnosis_date",
}


@pytest.fixture(scope="module")
def trained(small_footprint: Settings, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("models")
    return train_risk_model(small_footprint, INDEX, out=out), out


def test_training_picks_a_model_that_discriminates(trained) -> None:
    summary, _ = trained
    assert summary.chosen in ("logistic", "boosting")
    assert summary.holdout["c_statistic"] > C_FLOOR
    for candidate in summary.candidates.values():
        assert candidate["validation"]["c_statistic"] > C_FLOOR


def test_hold_out_is_calibrated_within_the_stated_tolerance(trained) -> None:
    summary, _ = trained
    hold = summary.holdout
    assert abs(hold["expected_observed"] - 1) <= OVERALL_TOLERANCE
    outside = [b for b in hold["calibration"] if not b["within_tolerance"]]
    assert outside == []
    assert hold["calibrated"]
    assert len(hold["calibration"]) == 10


def test_subgroups_cover_sex_age_deprivation_and_ethnicity(trained) -> None:
    subgroups = trained[0].holdout["subgroups"]
    assert set(subgroups) == {"sex", "age_band", "imd_quintile", "ethnic_group"}
    assert set(subgroups["sex"]) == {"F", "M"}
    assert "85+" in subgroups["age_band"]
    persons = sum(g["persons"] for g in subgroups["sex"].values())
    assert persons == trained[0].holdout["persons"]


def test_the_artifact_holds_model_metrics_chart_and_card(trained) -> None:
    summary, out = trained
    assert summary.path == out / f"risk-{summary.version}"
    assert artifact.current(out) == summary.path
    saved = json.loads((summary.path / "metrics.json").read_text())
    assert saved["version"] == summary.version
    assert saved["chosen"] == summary.chosen
    assert (summary.path / "calibration.svg").read_text().startswith("<svg")
    assert summary.version in (summary.path / "model-card.md").read_text()
    assert summary.temporal is not None
    assert summary.temporal["index_date"] == "2023-04-01"


def test_retraining_gives_the_same_version_and_metrics(
    trained, small_footprint: Settings, tmp_path: Path
) -> None:
    again = train_risk_model(small_footprint, INDEX, out=tmp_path)
    first = trained[0]
    assert again.version == first.version
    assert again.holdout == first.holdout
    assert again.candidates == first.candidates


def test_scoring_writes_person_risk_for_everyone_registered(
    trained, small_footprint: Settings
) -> None:
    summary, _ = trained
    scores, risk = score_population(
        small_footprint, index_date=date(2023, 4, 1), model=summary.path
    )
    assert risk is not None
    engine = connect(small_footprint, read_only=True)
    try:
        table = engine.execute(engine.table("person_risk"))
        tables = {n: engine.table(n) for n in SOURCE_TABLES}
        registered = engine.scalar(risk_features(tables, date(2023, 4, 1)).count())
    finally:
        engine.close()
    assert table.num_rows == risk.persons == registered
    assert pc.min(table.column("risk")).as_py() > 0
    assert pc.max(table.column("risk")).as_py() < 1
    assert pc.max(table.column("risk_percentile")).as_py() == 100
    assert set(table.column("model_version").to_pylist()) == {summary.version}
    assert scores.index_date == date(2023, 4, 1)
    reasons = [r for r in table.column("reasons").to_pylist() if r]
    assert len(reasons) > table.num_rows / 2


def test_an_index_date_without_a_year_either_side_is_refused(
    small_footprint: Settings, tmp_path: Path
) -> None:
    with pytest.raises(NotFoundError, match="a year of outcome after it"):
        train_risk_model(small_footprint, date(2024, 1, 1), out=tmp_path)


def _copy(small_footprint: Settings) -> DuckDBEngine:
    """The small footprint's source tables in an in-memory warehouse."""
    source = connect(small_footprint, read_only=True)
    copy = DuckDBEngine.in_memory()
    try:
        for name in SOURCE_TABLES:
            copy.create_table(name, source.execute(source.table(name)))
    finally:
        source.close()
    return copy


def _altered(table: pa.Table, column: str) -> pa.Table:
    """Rows dated on or after the index date moved later, emergencies and diagnoses changed."""
    frame = table.to_pandas()
    when = frame[column]
    after = (when.dt.date if hasattr(when, "dt") else when) >= INDEX
    assert after.any()
    frame.loc[after, column] = when[after] + timedelta(days=40)
    if "admission_method" in frame:
        frame.loc[after, "admission_method"] = "emergency"
        frame.loc[after, "primary_diagnosis"] = "I500"
    if "items" in frame:
        frame.loc[after, "items"] = frame.loc[after, "items"] * 10
    if "condition" in frame:
        frame.loc[after, "condition"] = "heart_failure"
    return pa.Table.from_pandas(frame, schema=table.schema, preserve_index=False)


def test_no_feature_can_see_past_the_index_date(small_footprint: Settings) -> None:
    """Change every row dated on or after the index date; no feature changes."""
    engine = _copy(small_footprint)
    try:
        tables = {n: engine.table(n) for n in SOURCE_TABLES}
        before = engine.execute(risk_features(tables, INDEX))
        outcome_before = engine.execute(labelled(tables, INDEX)).column("admitted")
        for name, column in DATED.items():
            engine.create_table(name, _altered(engine.execute(tables[name]), column))
        tables = {n: engine.table(n) for n in SOURCE_TABLES}
        after = engine.execute(risk_features(tables, INDEX))
        outcome_after = engine.execute(labelled(tables, INDEX)).column("admitted")
    finally:
        engine.close()
    assert after.equals(before)
    assert before.num_rows > 10_000
    # The alteration was real: every post-index spell became an emergency.
    assert pc.sum(outcome_after).as_py() > pc.sum(outcome_before).as_py()


def test_scoring_in_batches_gives_the_same_rows_as_one_batch(
    trained, small_footprint: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary, _ = trained
    loaded = artifact.load(summary.path)
    engine = connect(small_footprint, read_only=True)
    try:
        features = scoring.features_table(engine, date(2023, 4, 1))
        whole = scoring.risk_table(engine, loaded, date(2023, 4, 1))
    finally:
        engine.close()
    assert features.num_rows > 1_000
    monkeypatch.setattr(scoring, "BATCH_ROWS", 997)
    batched = scoring.risk_rows(features, loaded, date(2023, 4, 1))
    for name in whole.column_names:
        if name != "risk":
            assert batched.column(name).equals(whole.column(name)), name
    risk = batched.column("risk").to_numpy()
    assert abs(risk - whole.column("risk").to_numpy()).max() < 1e-12
