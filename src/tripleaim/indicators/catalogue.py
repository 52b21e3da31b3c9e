"""The shipped indicator definitions: read, validated and indexed by id.

Each ``definitions/<id>.yaml`` is checked against :class:`IndicatorSpec` when read,
as the NHP model checks every parameter file against its schema before a run. A bad
file stops the run with a :class:`DefinitionError` naming the file, the field path and
the problem (``falls.yaml: numerator.inpatient_spells.where.colour: Extra inputs are
not permitted``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib.resources import files
from importlib.resources.abc import Traversable

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from tripleaim.errors import DefinitionError
from tripleaim.indicators.spec import IndicatorSpec

DEFINITIONS = "definitions"


def definition_files() -> list[Traversable]:
    """Every shipped definition file, sorted by name."""
    folder = files("tripleaim.indicators").joinpath(DEFINITIONS)
    return sorted(
        (f for f in folder.iterdir() if f.name.endswith(".yaml")),
        key=lambda f: f.name,
    )


def parse_definition(name: str, text: str) -> IndicatorSpec:
    """Validate the YAML ``text`` of the file called ``name``.

    Raises:
        DefinitionError: The YAML is malformed, a field is wrong (each problem with
            its field path), or the ``id`` is not the file name.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DefinitionError(f"{name}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise DefinitionError(f"{name}: expected a mapping of fields, got {data!r}")
    try:
        spec = IndicatorSpec.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(_problem(detail) for detail in error.errors())
        raise DefinitionError(f"{name}: {problems}") from None
    stem = name.removesuffix(".yaml")
    if spec.id != stem:
        raise DefinitionError(
            f"{name}: id {spec.id!r} must be the file name; rename the file to "
            f"{spec.id}.yaml or the id to {stem!r}"
        )
    return spec


def _problem(detail: ErrorDetails) -> str:
    """``field.path: message`` from one pydantic error.

    Rules across fields carry no location; their messages start with the field.
    """
    message = detail["msg"].removeprefix("Value error, ")
    path = ".".join(str(part) for part in detail["loc"])
    return f"{path}: {message}" if path else message


def load_definition(file: Traversable) -> IndicatorSpec:
    """Read and validate one definition file."""
    return parse_definition(file.name, file.read_text(encoding="utf-8"))


@functools.cache
def definitions() -> dict[str, IndicatorSpec]:
    """Every shipped definition, by id, in file-name order (read once per process)."""
    return index(load_definition(file) for file in definition_files())


def index(specs: Iterable[IndicatorSpec]) -> dict[str, IndicatorSpec]:
    """Definitions by id.

    Raises:
        DefinitionError: If two definitions share an id.
    """
    found: dict[str, IndicatorSpec] = {}
    for spec in specs:
        if spec.id in found:
            raise DefinitionError(f"Two definitions have the id {spec.id!r}.")
        found[spec.id] = spec
    return found
