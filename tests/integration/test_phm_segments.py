"""Segments and case-finding lists on the small synthetic footprint."""

from __future__ import annotations

import numpy as np
import pytest

from tripleaim.errors import UserError
from tripleaim.phm import compute_scores
from tripleaim.phm.segmenting import cohort_list, segment_population
from tripleaim.phm.segments.fields import SOURCE_TABLES, person_fields
from tripleaim.settings import Settings
from tripleaim.warehouse import connect


@pytest.fixture(scope="module")
def segmented(small_footprint: Settings):
    summary = segment_population(small_footprint)
    compute_scores(small_footprint, index_date=summary.index_date)
    engine = connect(small_footprint, read_only=True)
    try:
        table = engine.execute(engine.table("person_segments")).to_pandas()
        tables = {n: engine.table(n) for n in SOURCE_TABLES}
        fields = engine.execute(person_fields(tables, summary.index_date)).to_pandas()
    finally:
        engine.close()
    return summary, table, fields


def test_every_registered_person_gets_exactly_one_segment(segmented) -> None:
    summary, table, fields = segmented
    assert table.person_id.is_unique
    assert set(table.person_id) == set(fields.person_id)
    assert summary.persons == len(table) == sum(r.persons for r in summary.segments)


def test_the_rule_order_is_respected(segmented) -> None:
    _, table, fields = segmented
    merged = table.merge(fields[["person_id", "dementia", "heart_failure"]])
    both = merged[merged.dementia & merged.heart_failure]
    assert len(both) > 0
    assert set(both.segment) == {"frailty"}
    orders = table.groupby("segment").segment_order.unique()
    assert all(len(o) == 1 for o in orders)


def test_reduction_in_variance_matches_a_direct_calculation(segmented) -> None:
    summary, table, _ = segmented
    spend = table.total_cost.to_numpy()
    within = sum(
        len(g) * np.var(g.to_numpy()) for _, g in table.groupby("segment").total_cost
    )
    expected = 100 * (np.var(spend) - within / len(spend)) / np.var(spend)
    assert summary.reduction_in_variance == pytest.approx(expected)
    assert 0 < summary.reduction_in_variance < 100


def test_areas_add_up_to_everyone(segmented) -> None:
    summary, _, _ = segmented
    for level in ("practice", "pcn", "place"):
        assert sum(r["persons"] for r in summary.by_area[level]) == summary.persons


def test_cohort_list_ranks_within_a_practice(
    small_footprint: Settings, segmented
) -> None:
    _, table, _ = segmented
    busiest = table[table.emergency_admissions >= 3].practice_code.mode()[0]
    result = cohort_list(small_footprint, "three_emergency_admissions", busiest)
    counts = [int(r["reasons"].split(": ")[1].split(";")[0]) for r in result.rows]
    assert counts == sorted(counts, reverse=True)
    assert all(c >= 3 for c in counts)
    assert {r["practice_code"] for r in result.rows} == {busiest}
    assert [r["rank"] for r in result.rows] == list(range(1, len(result.rows) + 1))
    assert set(result.rows[0]) == {
        "rank",
        "person_id",
        "practice_code",
        "pcn_code",
        "age_band",
        "segment",
        "risk",
        "reasons",
    }
    limited = cohort_list(small_footprint, "three_emergency_admissions", limit=2)
    assert len(limited.rows) == 2


def test_frailty_cohort_uses_the_scores(small_footprint: Settings, segmented) -> None:
    result = cohort_list(small_footprint, "moderate_severe_frailty")
    assert all(
        "eFI category: moderate" in r["reasons"] or "severe" in r["reasons"]
        for r in result.rows
    )


def test_an_unknown_cohort_is_refused(small_footprint: Settings, segmented) -> None:
    with pytest.raises(UserError, match="Unknown cohort"):
        cohort_list(small_footprint, "nope")
