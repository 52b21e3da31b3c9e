"""Predicates over per-person fields: a small validated tree compiled to Ibis.

A predicate is a leaf ``{field, op, value}`` or ``{all_of: [...]}``, ``{any_of:
[...]}``, ``{not: ...}``. Pydantic checks the shape; :func:`check_fields` checks
each leaf against the fields a definition may use (name, type, allowed values);
:func:`compile_predicate` turns it into one engine-neutral Ibis boolean. A missing
(null) value fails every leaf, so ``not`` of a leaf on a null value is true.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import ibis
import ibis.expr.types as ir
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

from tripleaim.errors import DefinitionError

FieldType = Literal["bool", "int", "float", "string"]
Op = Literal["eq", "ne", "in", "gt", "ge", "lt", "le", "is_true"]
Scalar = bool | int | float | str
COMPARISONS = {"gt": "__gt__", "ge": "__ge__", "lt": "__lt__", "le": "__le__"}
WORDS = {"eq": "=", "ne": "!=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}


@dataclass(frozen=True)
class FieldInfo:
    """A field a predicate may name: its type, meaning and (for text) allowed values."""

    type: FieldType
    description: str
    allowed: tuple[str, ...] = ()


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Leaf(_Frozen):
    """``field op value``; ``is_true`` takes no value, ``in`` a list."""

    field: str
    op: Op
    value: Scalar | list[Scalar] | None = None

    @model_validator(mode="after")
    def _value_fits_op(self) -> Leaf:
        if self.op == "is_true" and self.value is not None:
            raise ValueError("is_true takes no value")
        if self.op != "is_true" and self.value is None:
            raise ValueError(f"{self.op} needs a value")
        if self.op == "in" and (not isinstance(self.value, list) or not self.value):
            raise ValueError("in needs a non-empty list of values")
        if self.op != "in" and isinstance(self.value, list):
            raise ValueError(f"{self.op} takes one value, not a list")
        return self


class AllOf(_Frozen):
    """True when every member is true."""

    all_of: list[Predicate] = Field(min_length=1)


class AnyOf(_Frozen):
    """True when any member is true."""

    any_of: list[Predicate] = Field(min_length=1)


class Not(_Frozen):
    """True when its member is false."""

    not_: Predicate = Field(alias="not")


def _kind(data: Any) -> str | None:
    if isinstance(data, dict):
        for key in ("all_of", "any_of", "not", "field"):
            if key in data:
                return key
        return None
    kinds: dict[type, str] = {
        Leaf: "field",
        AllOf: "all_of",
        AnyOf: "any_of",
        Not: "not",
    }
    return kinds.get(type(data))


Predicate = Annotated[
    Annotated[Leaf, Tag("field")]
    | Annotated[AllOf, Tag("all_of")]
    | Annotated[AnyOf, Tag("any_of")]
    | Annotated[Not, Tag("not")],
    Discriminator(
        _kind,
        custom_error_type="predicate",
        custom_error_message="a predicate is {field, op, value}, all_of, any_of or not",
    ),
]
AllOf.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()


def leaves(predicate: Predicate) -> Iterator[Leaf]:
    """Every leaf of ``predicate``, depth first."""
    if isinstance(predicate, Leaf):
        yield predicate
    elif isinstance(predicate, AllOf | AnyOf):
        for member in (
            predicate.all_of if isinstance(predicate, AllOf) else predicate.any_of
        ):
            yield from leaves(member)
    else:
        yield from leaves(predicate.not_)


def _fits(info: FieldInfo, value: Scalar) -> bool:
    if info.type == "bool":
        return isinstance(value, bool)
    if info.type == "string":
        return isinstance(value, str) and (not info.allowed or value in info.allowed)
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_fields(
    predicate: Predicate, fields: Mapping[str, FieldInfo], where: str
) -> None:
    """Refuse a leaf naming an unknown field, or an op or value its type cannot take.

    Raises:
        DefinitionError: Naming ``where`` (file and definition), the field and problem.
    """
    for leaf in leaves(predicate):
        info = fields.get(leaf.field)
        if info is None:
            raise DefinitionError(
                f"{where}: unknown field {leaf.field!r}; fields are "
                f"{', '.join(sorted(fields))}"
            )
        if leaf.op == "is_true" and info.type != "bool":
            raise DefinitionError(
                f"{where}: field {leaf.field!r} is {info.type}; is_true needs a bool field"
            )
        if leaf.op in COMPARISONS and info.type not in ("int", "float"):
            raise DefinitionError(
                f"{where}: field {leaf.field!r} is {info.type}; {leaf.op} needs a number field"
            )
        values = leaf.value if isinstance(leaf.value, list) else [leaf.value]
        bad = [v for v in values if v is not None and not _fits(info, v)]
        if bad:
            expected = (
                f"one of {', '.join(info.allowed)}"
                if info.allowed
                else f"a {info.type}"
            )
            raise DefinitionError(
                f"{where}: field {leaf.field!r} takes {expected}, not {bad[0]!r}"
            )


def compile_predicate(predicate: Predicate, table: ir.Table) -> ir.BooleanValue:
    """``predicate`` as an Ibis boolean over ``table``'s columns (never null)."""
    if isinstance(predicate, AllOf):
        parts = [compile_predicate(p, table) for p in predicate.all_of]
        return ibis.and_(*parts)
    if isinstance(predicate, AnyOf):
        parts = [compile_predicate(p, table) for p in predicate.any_of]
        return ibis.or_(*parts)
    if isinstance(predicate, Not):
        return ~compile_predicate(predicate.not_, table)
    column = table[predicate.field]
    value = predicate.value
    if predicate.op == "is_true":
        result = column == ibis.literal(True)
    elif predicate.op == "in":
        result = column.isin(value if isinstance(value, list) else [value])
    elif predicate.op == "eq":
        result = column == value
    elif predicate.op == "ne":
        result = column != value
    else:
        result = getattr(column, COMPARISONS[predicate.op])(value)
    return result.fill_null(False)


def describe(predicate: Predicate) -> str:
    """A short readable form: ``dementia or efi_category in (moderate, severe)``."""
    if isinstance(predicate, AllOf):
        return " and ".join(_grouped(p) for p in predicate.all_of)
    if isinstance(predicate, AnyOf):
        return " or ".join(_grouped(p) for p in predicate.any_of)
    if isinstance(predicate, Not):
        return f"not {_grouped(predicate.not_)}"
    if predicate.op == "is_true":
        return predicate.field
    if isinstance(predicate.value, list):
        return f"{predicate.field} in ({', '.join(str(v) for v in predicate.value)})"
    return f"{predicate.field} {WORDS[predicate.op]} {predicate.value}"


def _grouped(predicate: Predicate) -> str:
    text = describe(predicate)
    return f"({text})" if isinstance(predicate, AllOf | AnyOf) else text
