"""The shipped code lists: every file validates, and bad files fail with a clear message."""

from __future__ import annotations

import pytest

from tripleaim.errors import DefinitionError
from tripleaim.phm.catalogue import catalogue, codelist_files, parse_file
from tripleaim.phm.spec import CodeList, expand_range

FILES = codelist_files()


@pytest.mark.parametrize("file", FILES, ids=[f.name for f in FILES])
def test_every_shipped_file_validates_and_names_its_source(file):
    parsed = parse_file(file.name, file.read_text(encoding="utf-8"))
    source = getattr(parsed, "source", None) or parsed.weightings[0].source
    assert source


def test_the_catalogue_holds_every_variant_comorbidipy_offers():
    names = set(catalogue().codelists)
    assert names == {
        "charlson_icd10_quan",
        "charlson_icd10_swedish",
        "charlson_icd10_australian",
        "charlson_icd10_shmi",
        "charlson_icd9_quan",
        "elixhauser_icd10_quan",
        "elixhauser_icd9_quan",
    }
    assert set(catalogue().weightings) == {
        "charlson",
        "quan",
        "shmi",
        "shmi_modified",
        "van_walraven",
        "swiss",
    }


def test_hfrs_has_gilberts_109_categories_summing_to_173_2():
    weights = catalogue().hfrs.weights
    assert len(weights) == 109
    assert round(sum(weights.values()), 6) == 173.2
    assert weights["F00"] == 7.1


def test_efi_has_36_deficits_mapped_to_known_condition_slugs():
    cat = catalogue()
    assert len(cat.efi.deficits) == 36
    slugs = {s for d in cat.efi.deficits.values() for s in d.conditions}
    assert slugs <= set(cat.long_term_conditions.conditions)


def test_a_range_expands_to_every_code_between_its_ends():
    assert expand_range("E102-E105") == ["E102", "E103", "E104", "E105"]
    assert expand_range("140-142") == ["140", "141", "142"]
    assert expand_range("I21") == ["I21"]


@pytest.mark.parametrize("bad", ["I60-I6", "I69-I60", "I60-J69"])
def test_a_malformed_range_is_refused(bad):
    with pytest.raises(ValueError, match="range"):
        expand_range(bad)


def test_a_dotted_code_is_refused_naming_the_file_and_field():
    text = """
kind: codelist
id: broken
title: t
description: d
source: s
version: 1
score: charlson
icd: icd10
categories:
  ami: {label: MI, codes: [I25.2]}
"""
    with pytest.raises(DefinitionError, match=r"broken.yaml: .*categories.ami.codes"):
        parse_file("broken.yaml", text)


def test_a_hierarchy_naming_an_unknown_category_is_refused():
    with pytest.raises(ValueError, match="not a category"):
        CodeList.model_validate(
            {
                "kind": "codelist",
                "id": "x",
                "title": "t",
                "description": "d",
                "source": "s",
                "version": 1,
                "score": "charlson",
                "icd": "icd10",
                "categories": {"ami": {"label": "MI", "codes": ["I21"]}},
                "hierarchy": [{"milder": "ami", "severe": "chf"}],
            }
        )


def test_a_file_whose_id_is_not_its_name_is_refused():
    text = "kind: hfrs\nid: other\ntitle: t\ndescription: d\nsource: s\nversion: 1\nbands: {intermediate_from: 5, high_above: 15}\nweights: {F00: 7.1}\n"
    with pytest.raises(DefinitionError, match="must be the file name"):
        parse_file("hfrs.yaml", text)
