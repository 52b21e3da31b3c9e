"""Segment rules as data: ``definitions/segments.yaml``, validated and compiled.

Segments are evaluated in file order and the first whose predicate is true wins;
the last segment has no predicate and takes everyone left (Healthy in the Bridges
to Health order of BNSSG, 2019). A bad file stops the run with a
:class:`DefinitionError` naming the file, the segment and the field.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Mapping
from importlib.resources import files

import ibis
import ibis.expr.types as ir
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tripleaim.errors import DefinitionError
from tripleaim.phm.segments.predicates import (
    AnyOf,
    FieldInfo,
    Predicate,
    check_fields,
    compile_predicate,
    describe,
)

SEGMENTS_FILE = "segments.yaml"
SLUG = r"^[a-z][a-z0-9_]*$"


class Segment(BaseModel):
    """One segment: its id, title, description and the predicate that admits a person."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=SLUG)
    title: str
    description: str
    predicate: Predicate | None = None


class SegmentRules(BaseModel):
    """The ordered segments of ``segments.yaml``: the first that matches wins."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=SLUG)
    title: str
    description: str
    source: str
    version: int = Field(ge=1)
    segments: tuple[Segment, ...] = Field(min_length=1)

    @field_validator("segments")
    @classmethod
    def _last_takes_the_rest(cls, segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
        ids = [s.id for s in segments]
        if len(set(ids)) != len(ids):
            raise ValueError(f"segment ids repeat: {ids}")
        if segments[-1].predicate is not None:
            raise ValueError(
                f"the last segment ({segments[-1].id}) must have no predicate: it "
                "takes everyone the others leave"
            )
        open_ended = [s.id for s in segments[:-1] if s.predicate is None]
        if open_ended:
            raise ValueError(
                f"only the last segment may have no predicate, not {open_ended}"
            )
        return segments

    def segment(self, segment_id: str) -> Segment:
        """The segment ``segment_id``."""
        for segment in self.segments:
            if segment.id == segment_id:
                return segment
        raise KeyError(segment_id)


def parse_rules(name: str, text: str, fields: Mapping[str, FieldInfo]) -> SegmentRules:
    """Validate the YAML ``text`` of the file called ``name`` against ``fields``.

    Raises:
        DefinitionError: Naming the file, the field path (or segment and field) and
            the problem.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DefinitionError(f"{name}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise DefinitionError(f"{name}: expected a mapping of fields, got {data!r}")
    try:
        rules = SegmentRules.model_validate(data)
    except ValidationError as error:
        raise DefinitionError(f"{name}: {problems(error, data)}") from None
    for segment in rules.segments:
        if segment.predicate is not None:
            check_fields(segment.predicate, fields, f"{name}: segment {segment.id}")
    return rules


def problems(error: ValidationError, data: object) -> str:
    """Pydantic's errors as ``path: message``, segments named by id, not index."""
    found = []
    for detail in error.errors():
        path = [str(p) for p in detail["loc"]]
        if len(path) > 1 and path[0] == "segments" and isinstance(data, dict):
            with contextlib.suppress(KeyError, IndexError, TypeError, ValueError):
                path[1] = str(data["segments"][int(path[1])]["id"])
        message = detail["msg"].removeprefix("Value error, ")
        found.append(f"{'.'.join(path)}: {message}")
    return "; ".join(found)


@functools.cache
def default_rules() -> SegmentRules:
    """The shipped ``definitions/segments.yaml`` (read once per process)."""
    from tripleaim.phm.segments.fields import segment_fields  # noqa: PLC0415

    text = (
        files("tripleaim.phm")
        .joinpath("definitions", SEGMENTS_FILE)
        .read_text(encoding="utf-8")
    )
    return parse_rules(SEGMENTS_FILE, text, segment_fields())


def _branches(segment: Segment) -> list[Predicate]:
    """The parts a rule can fire on: each member of a top-level ``any_of``."""
    if segment.predicate is None:
        return []
    if isinstance(segment.predicate, AnyOf):
        return list(segment.predicate.any_of)
    return [segment.predicate]


def assign_segments(fields: ir.Table, rules: SegmentRules) -> ir.Table:
    """``fields`` with ``segment``, ``segment_order`` (1 = first) and ``segment_rule``.

    ``segment_rule`` is the part of the rule that fired (the first true member of a
    top-level ``any_of``), or ``otherwise`` for the last segment.
    """
    segment_cases, order_cases, rule_cases = [], [], []
    for order, segment in enumerate(rules.segments, start=1):
        for branch in _branches(segment):
            test = compile_predicate(branch, fields)
            segment_cases.append((test, segment.id))
            order_cases.append((test, order))
            rule_cases.append((test, describe(branch)))
    last = rules.segments[-1]
    if not segment_cases:
        return fields.mutate(
            segment=ibis.literal(last.id),
            segment_order=ibis.literal(len(rules.segments), "int64"),
            segment_rule=ibis.literal("otherwise"),
        )
    return fields.mutate(
        segment=ibis.cases(*segment_cases, else_=last.id),
        segment_order=ibis.cases(*order_cases, else_=len(rules.segments)).cast("int64"),
        segment_rule=ibis.cases(*rule_cases, else_="otherwise"),
    )
