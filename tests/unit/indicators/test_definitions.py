"""Indicator definitions: every shipped file is valid, and a bad one says where and why.

Each ``indicators/definitions/<id>.yaml`` is read against ``IndicatorSpec`` (frozen,
no undeclared fields). A bad file stops with ``DefinitionError`` naming the file,
the field path and the problem.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tripleaim.errors import DefinitionError
from tripleaim.indicators.catalogue import (
    definition_files,
    definitions,
    load_definition,
    parse_definition,
)
from tripleaim.warehouse.synthetic.conditions import condition_specs

title = "Indicator definitions"

FILES = definition_files()
METHODS_PAGE = (
    Path(__file__).resolve().parents[3] / "docs" / "methods" / "indicators.md"
)

GOOD = textwrap.dedent(
    """
    id: falls
    version: 1
    title: Emergency admissions due to falls, 65 and over
    description: Emergency admissions for injuries caused by falls, aged 65 and over.
    domain: health_and_wellbeing
    numerator:
      table: inpatient_spells
      where: {admission_method: [emergency], age_min: 65, primary_diagnosis: [S00-T98]}
    denominator:
      table: registered_population
      where: {age_min: 65}
    method: {kind: dsr}
    multiplier: 100000
    polarity: lower_is_better
    benchmark: system
    source: OHID Fingertips indicator 22401
    """
)


@pytest.mark.parametrize("file", FILES, ids=[f.name for f in FILES])
def test_every_shipped_definition_is_valid(file) -> None:
    spec = load_definition(file)
    assert f"{spec.id}.yaml" == file.name


def test_at_least_thirty_definitions_ship_covering_each_domain() -> None:
    specs = definitions().values()
    assert len(specs) >= 30
    assert {s.domain for s in specs} == {
        "health_and_wellbeing",
        "care_and_quality",
        "finance_and_efficiency",
    }


@pytest.mark.parametrize("indicator_id", sorted(definitions()))
def test_every_definition_is_listed_in_the_methods_page(indicator_id) -> None:
    assert f"`{indicator_id}`" in METHODS_PAGE.read_text(encoding="utf-8")


def test_every_register_condition_is_one_the_warehouse_records() -> None:
    used = {
        spec.numerator.where.condition
        for spec in definitions().values()
        if getattr(spec.numerator.where, "condition", None)
    }
    assert used
    assert used <= set(condition_specs())


def test_a_good_definition_reads() -> None:
    spec = parse_definition("falls.yaml", GOOD)
    assert spec.numerator.where.primary_diagnosis == ("S00-T98",)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("polarity: lower_is_better", "polarity: down"),
            "falls.yaml: polarity: Input should be 'higher_is_better', 'lower_is_better' or 'neither'",
        ),
        (
            ("age_min: 65, primary", "age_min: 65, colour: red, primary"),
            "falls.yaml: numerator.inpatient_spells.where.colour: Extra inputs are not permitted",
        ),
        (
            ("primary_diagnosis: [S00-T98]", "primary_diagnosis: [S00.0]"),
            "falls.yaml: numerator.inpatient_spells.where.primary_diagnosis.0: "
            "'S00.0' is not an ICD-10 code or range",
        ),
        (
            ("table: inpatient_spells", "table: deaths"),
            "falls.yaml: numerator.deaths.where.admission_method: Extra inputs are not permitted",
        ),
        (
            ("where: {age_min: 65}", "where: {age_min: 60}"),
            "falls.yaml: numerator.where: dsr needs the same age_min, age_max and sex",
        ),
        (
            ("benchmark: system", "benchmark: england"),
            "falls.yaml: benchmark: england needs a national block",
        ),
        (
            ("id: falls", "id: falls_65"),
            "falls.yaml: id 'falls_65' must be the file name",
        ),
    ],
    ids=[
        "polarity",
        "extra-field",
        "dotted-code",
        "wrong-table",
        "dsr-ages",
        "england",
        "id",
    ],
)
def test_a_bad_definition_names_the_file_the_field_and_the_problem(
    change, expected
) -> None:
    old, new = change
    with pytest.raises(DefinitionError) as error:
        parse_definition("falls.yaml", GOOD.replace(old, new))
    assert expected in str(error.value)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            (
                "method: {kind: dsr}",
                "method: {kind: crude_rate, standard_population: esp2013}",
            ),
            "method: standard_population applies only to kind dsr",
        ),
        (
            ("method: {kind: dsr}", "method: {kind: life_expectancy}"),
            "numerator.table: life_expectancy counts deaths",
        ),
        (
            (
                "benchmark: system",
                "benchmark: england\nnational: {numerator: [falls], denominator: population}",
            ),
            "national.numerator.0: 'falls' is not a national_activity measure",
        ),
        (
            (
                "table: registered_population\n",
                "table: registered_population\n  at: year_end\n",
            ),
            "denominator: dsr needs table: registered_population at mid_year",
        ),
    ],
    ids=[
        "standard-population",
        "life-expectancy-deaths",
        "national-measure",
        "dsr-year-end",
    ],
)
def test_rules_across_fields_name_the_field_they_concern(change, expected) -> None:
    old, new = change
    with pytest.raises(DefinitionError) as error:
        parse_definition("falls.yaml", GOOD.replace(old, new))
    assert f"falls.yaml: {expected}" in str(error.value)


def test_life_expectancy_is_for_one_sex_at_birth() -> None:
    text = textwrap.dedent(
        """
        id: le
        version: 1
        title: Life expectancy at birth
        description: Life expectancy at birth for everyone, which is not allowed.
        domain: health_and_wellbeing
        numerator: {table: deaths}
        denominator: {table: registered_population}
        method: {kind: life_expectancy}
        multiplier: 1
        polarity: higher_is_better
        benchmark: system
        source: OHID Fingertips indicator 90366
        """
    )
    with pytest.raises(
        DefinitionError, match=r"le\.yaml: numerator\.where: life expectancy"
    ):
        parse_definition("le.yaml", text)


def test_ages_of_a_standardised_rate_must_follow_five_year_bands() -> None:
    text = GOOD.replace("age_min: 65", "age_min: 66")
    with pytest.raises(
        DefinitionError,
        match=r"numerator\.where\.age_min: 66 must start a five-year band",
    ):
        parse_definition("falls.yaml", text)


def test_malformed_yaml_is_reported_with_the_file_name() -> None:
    with pytest.raises(DefinitionError, match=r"^falls\.yaml: not valid YAML"):
        parse_definition("falls.yaml", "id: [falls")
