"""Docs are kept honest by tests (Datasette's test_docs): what exists must be documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from tripleaim import errors
from tripleaim.cli import app
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
