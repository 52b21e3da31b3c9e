"""Cohort definitions for case-finding: ``definitions/cohorts/*.yaml``, validated.

A cohort is a predicate (the segment rules' model) over the fields of
``person_segments``, ``person_scores`` and ``person_risk``, a field to rank by and
the fields shown as reasons. A file naming an unknown field is refused with a
:class:`DefinitionError` naming the file, the cohort and the field.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.resources import files
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tripleaim.errors import DefinitionError, UserError
from tripleaim.phm.segments.predicates import FieldInfo, Predicate, check_fields
from tripleaim.phm.segments.rules import SLUG, default_rules, problems

Format = Literal["count", "percent", "number", "money", "text", "yes_no"]


@dataclass(frozen=True)
class CohortField:
    """A field a cohort may use: its table, type, label and how a reason shows it."""

    table: str
    info: FieldInfo
    label: str
    format: Format


def _f(table: str, kind: str, label: str, fmt: Format, *allowed: str) -> CohortField:
    return CohortField(table, FieldInfo(kind, label, tuple(allowed)), label, fmt)  # type: ignore[arg-type]


@functools.cache
def cohort_fields() -> dict[str, CohortField]:
    """Every field a cohort may name (documented in phm-segmentation.md)."""
    seg, sco, rsk = "person_segments", "person_scores", "person_risk"
    segments = tuple(s.id for s in default_rules().segments)
    return {
        "segment": _f(seg, "string", "Segment", "text", *segments),
        "age": _f(seg, "int", "Age", "count"),
        "emergency_admissions": _f(
            seg, "int", "Emergency admissions in the year", "count"
        ),
        "ae_attendances": _f(seg, "int", "A&E attendances in the year", "count"),
        "outpatient_attendances": _f(
            seg, "int", "Outpatient attendances in the year", "count"
        ),
        "total_cost": _f(seg, "float", "Spend in the year", "money"),
        "charlson_score": _f(sco, "int", "Charlson index", "count"),
        "elixhauser_score": _f(sco, "int", "Elixhauser score", "count"),
        "hfrs_score": _f(sco, "float", "Hospital Frailty Risk Score", "number"),
        "hfrs_band": _f(
            sco, "string", "HFRS band", "text", "low", "intermediate", "high"
        ),
        "efi_score": _f(sco, "float", "eFI", "number"),
        "efi_category": _f(
            sco, "string", "eFI category", "text", "fit", "mild", "moderate", "severe"
        ),
        "ltc_count": _f(sco, "int", "Long-term conditions", "count"),
        "multimorbidity": _f(sco, "bool", "Multimorbidity", "yes_no"),
        "risk": _f(rsk, "float", "Risk of emergency admission", "percent"),
        "risk_percentile": _f(rsk, "int", "Risk percentile", "count"),
        "risk_reasons": _f(rsk, "string", "Model's reasons", "text"),
    }


class RankBy(BaseModel):
    """The field that ranks the list, highest first unless ``descending`` is false."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    field: str
    descending: bool = True


class CohortSpec(BaseModel):
    """One cohort definition."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=SLUG)
    title: str
    description: str
    source: str
    version: int = Field(ge=1)
    predicate: Predicate
    rank_by: RankBy
    reasons: tuple[str, ...] = Field(min_length=1)

    def field_names(self) -> set[str]:
        """Every field the cohort uses."""
        from tripleaim.phm.segments.predicates import leaves  # noqa: PLC0415

        names = {leaf.field for leaf in leaves(self.predicate)}
        return names | {self.rank_by.field, *self.reasons}


def parse_cohort(name: str, text: str) -> CohortSpec:
    """Validate the YAML ``text`` of the cohort file called ``name``.

    Raises:
        DefinitionError: Naming the file, the field path or field, and the problem.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DefinitionError(f"{name}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise DefinitionError(f"{name}: expected a mapping of fields, got {data!r}")
    try:
        spec = CohortSpec.model_validate(data)
    except ValidationError as error:
        raise DefinitionError(f"{name}: {problems(error, data)}") from None
    where = f"{name}: cohort {spec.id}"
    fields = cohort_fields()
    check_fields(spec.predicate, {k: v.info for k, v in fields.items()}, where)
    for part, names in (("rank_by", [spec.rank_by.field]), ("reasons", spec.reasons)):
        unknown = [n for n in names if n not in fields]
        if unknown:
            raise DefinitionError(
                f"{where}: {part} names unknown field {unknown[0]!r}; fields are "
                f"{', '.join(sorted(fields))}"
            )
    stem = name.removesuffix(".yaml")
    if spec.id != stem:
        raise DefinitionError(f"{name}: id {spec.id!r} must be the file name {stem!r}")
    return spec


@functools.cache
def cohorts() -> dict[str, CohortSpec]:
    """Every shipped cohort definition, by id."""
    folder = files("tripleaim.phm").joinpath("definitions", "cohorts")
    found = sorted(
        (f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name
    )
    parsed = [parse_cohort(f.name, f.read_text(encoding="utf-8")) for f in found]
    return {spec.id: spec for spec in parsed}


def cohort(cohort_id: str) -> CohortSpec:
    """The shipped cohort ``cohort_id``.

    Raises:
        UserError: If no such cohort ships.
    """
    known = cohorts()
    if cohort_id not in known:
        raise UserError(
            f"Unknown cohort {cohort_id!r}; cohorts are {', '.join(sorted(known))}."
        )
    return known[cohort_id]
