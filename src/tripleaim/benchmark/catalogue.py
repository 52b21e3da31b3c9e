"""The shipped benchmark definitions (peer groups, measures) and the tariff, read and validated.

Each ``definitions/<kind>/<id>.yaml`` is checked against its pydantic model when read;
a bad file stops the run with a :class:`DefinitionError` naming the file, the field
path and the problem. The tariff (``data/tariff.csv``) prices an activity gap.
"""

from __future__ import annotations

import csv
import functools
import io
from importlib.resources import files
from typing import TypeVar

import yaml
from pydantic import ValidationError

from tripleaim.benchmark.spec import MeasureSpec, PeerGroupSpec
from tripleaim.errors import DefinitionError

__all__ = ["measures", "parse", "peer_groups", "tariff"]

Spec = TypeVar("Spec", MeasureSpec, PeerGroupSpec)


def parse(name: str, text: str, model: type[Spec]) -> Spec:
    """Validate the YAML ``text`` of file ``name`` against ``model``.

    Raises:
        DefinitionError: Malformed YAML, a wrong field (with its path), or an ``id``
            that is not the file name.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DefinitionError(f"{name}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise DefinitionError(f"{name}: expected a mapping of fields, got {data!r}")
    try:
        spec = model.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']}"
            for e in error.errors()
        )
        raise DefinitionError(f"{name}: {problems}") from None
    stem = name.removesuffix(".yaml")
    if getattr(spec, "id", stem) != stem:
        raise DefinitionError(f"{name}: id {spec.id!r} must be the file name")
    return spec


def _read(kind: str, model: type[Spec]) -> dict[str, Spec]:
    folder = files("tripleaim.benchmark").joinpath("definitions", kind)
    found = sorted(
        (f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name
    )
    specs = [parse(f.name, f.read_text(encoding="utf-8"), model) for f in found]
    return {s.id: s for s in specs}


@functools.cache
def peer_groups() -> dict[str, PeerGroupSpec]:
    """Every shipped peer group by id."""
    return _read("peer_groups", PeerGroupSpec)


@functools.cache
def measures() -> dict[str, MeasureSpec]:
    """Every shipped measure by id."""
    return _read("measures", MeasureSpec)


@functools.cache
def tariff() -> dict[str, float]:
    """Price in pounds of each tariff key (``data/tariff.csv``)."""
    text = (
        files("tripleaim.benchmark")
        .joinpath("data", "tariff.csv")
        .read_text(encoding="utf-8")
    )
    prices: dict[str, float] = {}
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            prices[row["key"]] = float(row["gbp"])
        except (KeyError, TypeError, ValueError):
            raise DefinitionError(
                f"tariff.csv row {number}: gbp must be a number, got {row.get('gbp')!r}"
            ) from None
    return prices
