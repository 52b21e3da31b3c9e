"""The shipped code lists and weightings: read once, validated, indexed by id.

Each ``codelists/*.yaml`` is checked against its model in :mod:`tripleaim.phm.spec`
(chosen by its ``kind``) when read. A bad file stops the run with a
:class:`DefinitionError` naming the file, the field path and the problem.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Annotated, TypeVar

import yaml
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from tripleaim.errors import DefinitionError
from tripleaim.phm.spec import (
    CodeList,
    DisabilityList,
    EfiSpec,
    HfrsSpec,
    LongTermConditions,
    Weighting,
    Weightings,
)

CODELISTS = "codelists"
_T = TypeVar("_T", bound=BaseModel)

AnyFile = Annotated[
    CodeList | DisabilityList | Weightings | HfrsSpec | EfiSpec | LongTermConditions,
    Field(discriminator="kind"),
]
_ADAPTER: TypeAdapter[AnyFile] = TypeAdapter(AnyFile)


@dataclass(frozen=True)
class Catalogue:
    """Everything in ``codelists/``, by id."""

    codelists: dict[str, CodeList]
    weightings: dict[str, Weighting]
    hfrs: HfrsSpec
    efi: EfiSpec
    disability: DisabilityList
    long_term_conditions: LongTermConditions

    def codelist(self, score: str, icd: str, variant: str) -> CodeList:
        """The mapping ``<score>_<icd>_<variant>``.

        Raises:
            DefinitionError: If no such mapping ships.
        """
        key = f"{score}_{icd}_{variant}"
        if key not in self.codelists:
            raise DefinitionError(
                f"No {score} mapping for {icd} variant {variant!r}; choose one of "
                f"{', '.join(sorted(self.codelists))}."
            )
        return self.codelists[key]

    def weightings_for(self, score: str) -> list[Weighting]:
        """The weightings of ``score`` (``charlson`` or ``elixhauser``), in file order."""
        return [w for w in self.weightings.values() if w.score == score]


def codelist_files() -> list[Traversable]:
    """Every shipped code-list file, sorted by name."""
    folder = files("tripleaim.phm").joinpath(CODELISTS)
    return sorted(
        (f for f in folder.iterdir() if f.name.endswith(".yaml")),
        key=lambda f: f.name,
    )


def parse_file(name: str, text: str) -> BaseModel:
    """Validate the YAML ``text`` of the code-list file called ``name``.

    Raises:
        DefinitionError: The YAML is malformed or a field is wrong.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DefinitionError(f"{name}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise DefinitionError(f"{name}: expected a mapping of fields, got {data!r}")
    try:
        parsed: BaseModel = _ADAPTER.validate_python(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in d['loc'])}: {d['msg'].removeprefix('Value error, ')}"
            for d in error.errors()
        )
        raise DefinitionError(f"{name}: {problems}") from None
    stem = name.removesuffix(".yaml")
    file_id = getattr(parsed, "id", stem)
    if file_id != stem:
        raise DefinitionError(f"{name}: id {file_id!r} must be the file name {stem!r}")
    return parsed


def _check(catalogue: Catalogue) -> None:
    """Cross-file rules: weights name real categories; eFI slugs are known."""
    for weighting in catalogue.weightings.values():
        for codelist in catalogue.codelists.values():
            if codelist.score != weighting.score:
                continue
            if set(weighting.weights) != set(codelist.categories):
                raise DefinitionError(
                    f"weightings.yaml: {weighting.id} weights "
                    f"{sorted(weighting.weights)} but {codelist.id} has categories "
                    f"{sorted(codelist.categories)}"
                )
    known = set(catalogue.long_term_conditions.conditions)
    for name, deficit in catalogue.efi.deficits.items():
        unknown = [slug for slug in deficit.conditions if slug not in known]
        if unknown:
            raise DefinitionError(
                f"efi.yaml: deficits.{name} names unknown condition(s) "
                f"{', '.join(unknown)}; add them to long_term_conditions.yaml first"
            )


def _one(parsed: list[BaseModel], kind: type[_T]) -> _T:
    found = [p for p in parsed if isinstance(p, kind)]
    if len(found) != 1:
        raise DefinitionError(
            f"expected one {kind.__name__} file in codelists/, found {len(found)}"
        )
    return found[0]


@functools.cache
def catalogue() -> Catalogue:
    """Every shipped code list and weighting (read once per process)."""
    parsed = [
        parse_file(f.name, f.read_text(encoding="utf-8")) for f in codelist_files()
    ]
    codelists = {p.id: p for p in parsed if isinstance(p, CodeList)}
    weightings = {
        w.id: w for p in parsed if isinstance(p, Weightings) for w in p.weightings
    }

    result = Catalogue(
        codelists=codelists,
        weightings=weightings,
        hfrs=_one(parsed, HfrsSpec),
        efi=_one(parsed, EfiSpec),
        disability=_one(parsed, DisabilityList),
        long_term_conditions=_one(parsed, LongTermConditions),
    )
    _check(result)
    return result
