"""Segment rules as data: validation names the file, segment and field; compilation."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

from tripleaim.errors import DefinitionError
from tripleaim.phm.segments.fields import segment_fields
from tripleaim.phm.segments.methods import reduction_in_variance, risk_band
from tripleaim.phm.segments.predicates import FieldInfo, compile_predicate
from tripleaim.phm.segments.rules import assign_segments, default_rules, parse_rules

FIELDS = {
    "age": FieldInfo("int", "Age."),
    "sex": FieldInfo("string", "Sex.", ("F", "M")),
    "dementia": FieldInfo("bool", "Dementia."),
}

HEAD = """
id: test
title: Test
description: Test rules.
source: test
version: 1
segments:
"""


def _rules(body: str):
    return parse_rules("test.yaml", HEAD + body, FIELDS)


def test_the_shipped_rules_follow_the_bnssg_order() -> None:
    ids = [s.id for s in default_rules().segments]
    assert ids == [
        "frailty",
        "limited_reserve",
        "cancer",
        "disability",
        "long_term_conditions",
        "maternity",
        "acutely_ill",
        "healthy",
    ]


def test_every_shipped_field_has_a_type_and_description() -> None:
    assert all(info.description for info in segment_fields().values())
    assert segment_fields()["dementia"].type == "bool"


def test_an_unknown_field_is_refused_naming_file_segment_and_field() -> None:
    with pytest.raises(
        DefinitionError, match=r"test\.yaml: segment old: unknown field 'agee'"
    ):
        _rules("""
  - {id: old, title: Old, description: d, predicate: {field: agee, op: gt, value: 80}}
  - {id: rest, title: Rest, description: d}
""")


def test_an_unknown_operator_is_refused_naming_the_segment() -> None:
    with pytest.raises(DefinitionError, match=r"test\.yaml: segments\.old\..*op"):
        _rules("""
  - {id: old, title: Old, description: d, predicate: {field: age, op: over, value: 80}}
  - {id: rest, title: Rest, description: d}
""")


@pytest.mark.parametrize(
    ("predicate", "problem"),
    [
        ("{field: sex, op: eq, value: X}", "field 'sex' takes one of F, M, not 'X'"),
        ("{field: age, op: eq, value: old}", "field 'age' takes a int, not 'old'"),
        ("{field: sex, op: gt, value: 1}", "gt needs a number field"),
        ("{field: age, op: is_true}", "is_true needs a bool field"),
    ],
)
def test_a_value_or_operator_the_field_cannot_take_is_refused(
    predicate: str, problem: str
) -> None:
    with pytest.raises(DefinitionError, match=problem):
        _rules(f"""
  - {{id: one, title: One, description: d, predicate: {predicate}}}
  - {{id: rest, title: Rest, description: d}}
""")


def test_is_true_takes_no_value_and_in_takes_a_list() -> None:
    with pytest.raises(DefinitionError, match="is_true takes no value"):
        _rules("""
  - {id: one, title: One, description: d, predicate: {field: dementia, op: is_true, value: 1}}
  - {id: rest, title: Rest, description: d}
""")
    with pytest.raises(DefinitionError, match="in needs a non-empty list"):
        _rules("""
  - {id: one, title: One, description: d, predicate: {field: sex, op: in, value: F}}
  - {id: rest, title: Rest, description: d}
""")


def test_the_last_segment_takes_everyone_left() -> None:
    with pytest.raises(DefinitionError, match="must have no predicate"):
        _rules("""
  - {id: one, title: One, description: d, predicate: {field: dementia, op: is_true}}
""")


def test_compiled_rules_pick_the_first_match_and_say_which_part_fired() -> None:
    rules = _rules("""
  - id: one
    title: One
    description: d
    predicate:
      any_of:
        - {field: dementia, op: is_true}
        - all_of: [{field: age, op: ge, value: 80}, {not: {field: sex, op: eq, value: M}}]
  - {id: two, title: Two, description: d, predicate: {field: age, op: ge, value: 65}}
  - {id: rest, title: Rest, description: d}
""")
    frame = pd.DataFrame(
        {
            "age": [90, 85, 70, 30, None],
            "sex": ["M", "F", "F", "F", "F"],
            "dementia": [True, False, True, False, None],
        }
    )
    table = ibis.memtable(frame)
    result = assign_segments(table, rules).to_pandas()
    assert result["segment"].tolist() == ["one", "one", "one", "rest", "rest"]
    assert result["segment_order"].tolist() == [1, 1, 1, 3, 3]
    assert result["segment_rule"].tolist() == [
        "dementia",
        "age >= 80 and not sex = M",
        "dementia",
        "otherwise",
        "otherwise",
    ]


def test_a_null_value_fails_every_leaf() -> None:
    rules = _rules("""
  - {id: one, title: One, description: d, predicate: {field: age, op: lt, value: 5}}
  - {id: rest, title: Rest, description: d}
""")
    table = ibis.memtable(pd.DataFrame({"age": [None, 1.0]}))
    predicate = rules.segments[0].predicate
    assert predicate is not None
    flags = table.select(f=compile_predicate(predicate, table)).to_pandas()["f"]
    assert flags.tolist() == [False, True]


def test_reduction_in_variance_matches_the_formula() -> None:
    spend = [0.0, 10.0, 100.0, 120.0]
    groups = ["a", "a", "b", "b"]
    total = (57.5**2 + 47.5**2 + 42.5**2 + 62.5**2) / 4  # mean 57.5
    within = (2 * 25.0 + 2 * 100.0) / 4
    assert reduction_in_variance(spend, groups) == pytest.approx(
        100 * (total - within) / total
    )
    assert reduction_in_variance([5.0, 5.0], ["a", "b"]) is None
    assert reduction_in_variance([], []) is None


@pytest.mark.parametrize(
    ("percentile", "band"),
    [
        (100, "top_2"),
        (99, "top_2"),
        (98, "next_3"),
        (96, "next_3"),
        (95, "next_15"),
        (81, "next_15"),
        (80, "rest"),
        (1, "rest"),
    ],
)
def test_risk_bands_split_at_2_5_and_20_percent(percentile: int, band: str) -> None:
    assert risk_band(percentile) == band
