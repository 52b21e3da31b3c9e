"""Scores for every person on the small synthetic footprint, end to end."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from tripleaim.phm import ScoreOptions, compute_scores
from tripleaim.phm.service import SOURCE_TABLES, score_table
from tripleaim.warehouse import connect
from tripleaim.warehouse.engines.duckdb import DuckDBEngine


@pytest.fixture(scope="module")
def scored(small_footprint):
    summary = compute_scores(small_footprint)
    engine = connect(small_footprint, "duckdb", read_only=True)
    try:
        scores = engine.execute(engine.table("person_scores")).to_pandas()
        persons = engine.execute(engine.table("persons")).to_pandas()
    finally:
        engine.close()
    return summary, scores, persons


def test_every_person_born_by_the_index_date_has_one_row(scored):
    summary, scores, persons = scored
    born = persons[[day <= summary.index_date for day in persons["date_of_birth"]]]
    assert summary.persons == len(scores) == len(born)
    assert scores["person_id"].is_unique
    assert set(scores["person_id"]) == set(born["person_id"])


def test_people_without_activity_are_scored_as_zeros_and_flagged(scored):
    summary, scores, _ = scored
    quiet = scores[~scores["has_inpatient_history"]]
    assert len(quiet) == summary.without_inpatient_history > 0
    assert (
        (quiet[["charlson_score", "elixhauser_score", "inpatient_spells"]] == 0)
        .all()
        .all()
    )
    assert (quiet["hfrs_score"] == 0).all()
    assert (quiet["hfrs_band"] == "low").all()


def test_distributions_are_plausible(scored):
    _, scores, _ = scored
    assert scores["charlson_score"].min() >= 0
    assert scores["efi_score"].between(0, 1).all()
    assert set(scores["hfrs_band"]) <= {"low", "intermediate", "high"}
    assert set(scores["efi_category"]) <= {"fit", "mild", "moderate", "severe"}
    # Multimorbidity rises with age; complex multimorbidity is a subset.
    young = scores[scores["age"] < 40]["multimorbidity"].mean()
    old = scores[scores["age"] >= 75]["multimorbidity"].mean()
    assert old > young
    assert not (scores["complex_multimorbidity"] & ~scores["multimorbidity"]).any()


def test_frailty_rises_with_age(scored):
    _, scores, _ = scored
    frail = scores["hfrs_band"] != "low"
    under_65 = frail[scores["age"] < 65].mean()
    over_75 = frail[scores["age"] >= 75].mean()
    assert over_75 > under_65
    assert (
        scores[scores["age"] >= 75]["hfrs_score"].mean()
        > scores[scores["age"] < 65]["hfrs_score"].mean()
    )
    assert (
        scores[scores["age"] >= 75]["efi_score"].mean()
        > scores[scores["age"] < 65]["efi_score"].mean()
    )


def test_the_report_counts_codes_of_every_source(scored):
    summary, _, _ = scored
    report = summary.report
    assert report.source("inpatient_spells", "primary_diagnosis").codes > 0
    assert report.source("conditions", "condition").unmapped == 0


def test_injected_malformed_codes_are_counted_not_dropped(small_footprint):
    source = connect(small_footprint, "duckdb", read_only=True)
    try:
        data = {name: source.execute(source.table(name)) for name in SOURCE_TABLES}
        index_date = date.fromisoformat(
            str(pc.max(data["inpatient_spells"].column("admission_date")))
        )
    finally:
        source.close()
    spells = data["inpatient_spells"]
    first = spells.slice(0, 3).to_pylist()
    for offset, row in enumerate(first):
        row["spell_id"] = 10_000_000 + offset
        row["admission_date"] = index_date
        row["primary_diagnosis"] = ["??", "I21.4", "12345"][offset]
        row["secondary_diagnoses"] = ["E119;;", "not a code", None][offset]
    data["inpatient_spells"] = pa.concat_tables(
        [spells, pa.Table.from_pylist(first, schema=spells.schema)]
    )
    engine = DuckDBEngine.in_memory()
    try:
        for name, table in data.items():
            engine.create_table(name, table)
        options = ScoreOptions(index_date=date.fromordinal(index_date.toordinal() + 1))
        _, before = score_table(engine, options)
    finally:
        engine.close()
    primary = before.source("inpatient_spells", "primary_diagnosis")
    secondary = before.source("inpatient_spells", "secondary_diagnoses")
    # '??' and '12345' in primary; two empty items and 'NOT A CODE' in secondary
    assert primary.malformed >= 2
    assert secondary.malformed >= 3
