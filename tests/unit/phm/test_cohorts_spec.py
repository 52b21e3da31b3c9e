"""Cohort definitions: the shipped files load; a bad file names the cohort and field."""

from __future__ import annotations

import pytest

from tripleaim.errors import DefinitionError, UserError
from tripleaim.phm.cohorts.listing import reason_text, reasons
from tripleaim.phm.cohorts.spec import cohort, cohort_fields, cohorts, parse_cohort

GOOD = """
id: test
title: Test
description: d
source: s
version: 1
predicate: {field: emergency_admissions, op: ge, value: 3}
rank_by: {field: emergency_admissions}
reasons: [emergency_admissions, risk]
"""


def test_three_cohorts_ship() -> None:
    assert set(cohorts()) == {
        "top_2_percent_risk",
        "moderate_severe_frailty",
        "three_emergency_admissions",
    }
    assert "care plan" in cohort("moderate_severe_frailty").description


def test_an_unknown_cohort_is_a_user_error() -> None:
    with pytest.raises(UserError, match="Unknown cohort 'nope'; cohorts are"):
        cohort("nope")


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            "field: emergency_admissions, op",
            "field: admissions, op",
            "unknown field 'admissions'",
        ),
        (
            "rank_by: {field: emergency_admissions}",
            "rank_by: {field: wealth}",
            "rank_by names unknown field 'wealth'",
        ),
        (
            "[emergency_admissions, risk]",
            "[emergency_admissions, mood]",
            "reasons names unknown field 'mood'",
        ),
        ("op: ge", "op: greater", "predicate"),
        ("value: 3}", "value: three}", "takes a int, not 'three'"),
    ],
)
def test_a_bad_cohort_file_is_refused_naming_the_problem(
    old: str, new: str, problem: str
) -> None:
    with pytest.raises(DefinitionError, match=f"test.yaml: .*{problem}"):
        parse_cohort("test.yaml", GOOD.replace(old, new))


def test_the_id_must_be_the_file_name() -> None:
    with pytest.raises(DefinitionError, match="must be the file name 'other'"):
        parse_cohort("other.yaml", GOOD)


def test_reasons_are_in_words() -> None:
    spec = parse_cohort("test.yaml", GOOD)
    row = {"emergency_admissions": 4, "risk": 0.3125}
    assert reasons(spec, row) == (
        "Emergency admissions in the year: 4; Risk of emergency admission: 31.2%"
    )
    assert (
        reason_text(cohort_fields()["total_cost"], 1234.5)
        == "Spend in the year: £1,234"
    )
    assert reason_text(cohort_fields()["risk"], None) is None
