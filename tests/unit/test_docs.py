"""Docs are kept honest by tests (Datasette's test_docs): what exists must be documented."""

from __future__ import annotations

import json
from importlib.resources.abc import Traversable
from pathlib import Path

import jsonschema
import pytest
import yaml

from tripleaim import errors
from tripleaim.cli import app
from tripleaim.indicators.catalogue import definition_files
from tripleaim.indicators.jsonschema import render as render_schema
from tripleaim.settings import Settings
from tripleaim.warehouse.schema.docs import render
from tripleaim.warehouse.synthetic.conditions import condition_specs

ROOT = Path(__file__).resolve().parents[2]


def _read(relative: str) -> str:
    return (ROOT / relative).read_text(encoding="utf-8")


def test_data_model_reference_is_generated_from_the_current_schema() -> None:
    assert _read("docs/data-model.md") == render(), (
        "run: python -m tripleaim.warehouse.schema.docs > docs/data-model.md"
    )


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_documented(field: str) -> None:
    assert f"TRIPLEAIM_{field.upper()}" in _read("docs/operations.md")


def test_every_setting_has_a_description() -> None:
    assert all(f.description for f in Settings.model_fields.values())


@pytest.mark.parametrize(
    "error",
    sorted(
        name
        for name, obj in vars(errors).items()
        if isinstance(obj, type) and issubclass(obj, errors.UserError)
    ),
)
def test_every_user_error_is_explained(error: str) -> None:
    assert f"`{error}`" in _read("docs/how-to/errors.md")


def test_every_cli_command_is_in_the_readme() -> None:
    readme = _read("README.md")
    names = [
        c.name or (c.callback.__name__ if c.callback else "")
        for c in app.registered_commands
    ]
    names += [g.name or "" for g in app.registered_groups]
    assert names
    for name in names:
        assert f"tripleaim {name}" in readme


@pytest.mark.parametrize("condition", sorted(condition_specs()))
def test_every_generated_condition_is_documented(condition: str) -> None:
    assert f"`{condition}`" in _read("docs/synthetic-data.md")


def test_readme_quick_start_is_the_two_commands() -> None:
    readme = _read("README.md")
    quick = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make demo\nmake test" in quick


SCHEMA_FILE = "docs/schemas/indicator-definition.schema.json"


def test_indicator_json_schema_is_generated_from_the_current_spec() -> None:
    assert _read(SCHEMA_FILE) == render_schema(), (
        f"run: python -m tripleaim.indicators.jsonschema > {SCHEMA_FILE}"
    )


@pytest.mark.parametrize("file", definition_files(), ids=lambda f: f.name)
def test_every_shipped_definition_validates_against_the_json_schema(
    file: Traversable,
) -> None:
    schema = json.loads(_read(SCHEMA_FILE))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    errors = [
        error.message
        for error in validator.iter_errors(yaml.safe_load(file.read_text()))
    ]
    assert errors == []


def test_the_json_schema_refuses_what_the_spec_refuses() -> None:
    schema = json.loads(_read(SCHEMA_FILE))
    good = yaml.safe_load(definition_files()[0].read_text())
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid(good)
    assert not validator.is_valid({**good, "colour": "blue"})
    assert not validator.is_valid({**good, "polarity": "sideways"})


def test_every_methods_page_and_the_schema_are_linked_from_the_methods_readme() -> None:
    readme = _read("docs/methods/README.md")
    pages = sorted(p.name for p in (ROOT / "docs" / "methods").glob("*.md"))
    assert "README.md" in pages
    for page in pages:
        if page != "README.md":
            assert f"]({page})" in readme or f"]({page}#" in readme, page
    assert "](../schemas/indicator-definition.schema.json)" in readme
