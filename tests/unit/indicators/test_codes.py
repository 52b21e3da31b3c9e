"""ICD-10 code lists.

Definitions write codes without the dot. A code stands for every code it begins; a
range ``A-B`` of equal-length codes for every code between, which the pipelines
test with ``BETWEEN`` on single codes and with a regular expression (digits as
classes) on ';'-separated lists.
"""

from __future__ import annotations

import re

import pytest

from tripleaim.indicators.codes import check_code_pattern, expand, pattern_regex

title = "ICD-10 code lists"


@pytest.mark.parametrize(
    "pattern",
    [
        "S00-T98",
        "W00-W19",
        "V01-Y36",
        "X60-X84",
        "S720-S722",
        "C00-C97",
        "A05-A10",
        "F10",
    ],
)
def test_the_regular_expression_of_a_pattern_matches_exactly_its_codes(pattern) -> None:
    width = len(pattern.split("-")[0])
    every = [
        f"{letter}{number:0{width - 1}d}"
        for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        for number in range(10 ** (width - 1))
    ]
    regex = re.compile(f"({pattern_regex(pattern)})")
    assert {code for code in every if regex.fullmatch(code)} == set(expand(pattern))


def test_a_range_expands_across_letters() -> None:
    codes = expand("S98-T01")
    assert codes == ["S98", "S99", "T00", "T01"]


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("S72.0", "not an ICD-10 code or range"),
        ("s720", "not an ICD-10 code or range"),
        ("S7", "not an ICD-10 code or range"),
        ("S722-S720", "the first not after the second"),
        ("S72-S722", "same length"),
        ("S72A-S72C", "only vary digits"),
    ],
)
def test_a_malformed_pattern_is_refused_with_the_reason(pattern, problem) -> None:
    with pytest.raises(ValueError, match=problem):
        check_code_pattern(pattern)
