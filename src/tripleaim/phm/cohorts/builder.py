"""A cohort built on the page: conditions typed in a form, validated like a file.

The cohort builder sends rows of ``field``, ``op`` and ``value`` text. Values are
read as the field's type (a number field refuses ``abc`` rather than comparing
text), the rows become an ``all_of`` predicate, and the result goes through
:func:`parse_cohort`, the same validation a shipped cohort file gets, so an unknown
field or a value a field cannot take is refused with the same clear message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from tripleaim.errors import DefinitionError, UserError
from tripleaim.phm.cohorts.spec import CohortSpec, cohort_fields, parse_cohort

BUILT_ID = "custom"
OPS = {
    "ge": "at least",
    "gt": "more than",
    "le": "at most",
    "lt": "less than",
    "eq": "equal to",
    "ne": "not equal to",
    "in": "one of (comma-separated)",
    "is_true": "is yes",
}


@dataclass(frozen=True)
class Condition:
    """One row of the builder: ``field op value`` as typed."""

    field: str
    op: str
    value: str = ""


def _typed(field: str, kind: str, text: str) -> Any:
    text = text.strip()
    if kind == "int":
        try:
            return int(text)
        except ValueError:
            raise UserError(
                f"Condition on {field!r}: {text!r} is not a whole number."
            ) from None
    if kind == "float":
        try:
            return float(text)
        except ValueError:
            raise UserError(
                f"Condition on {field!r}: {text!r} is not a number."
            ) from None
    if kind == "bool":
        if text.lower() in ("yes", "true", "1"):
            return True
        if text.lower() in ("no", "false", "0"):
            return False
        raise UserError(f"Condition on {field!r}: answer yes or no, not {text!r}.")
    return text


def _leaf(condition: Condition) -> dict[str, Any]:
    fields = cohort_fields()
    if condition.field not in fields:
        raise UserError(
            f"Unknown field {condition.field!r}; fields are {', '.join(sorted(fields))}."
        )
    if condition.op not in OPS:
        raise UserError(
            f"Condition on {condition.field!r}: unknown comparison {condition.op!r}."
        )
    if condition.op == "is_true":
        return {"field": condition.field, "op": "is_true"}
    kind = fields[condition.field].info.type
    if not condition.value.strip():
        raise UserError(f"Condition on {condition.field!r} needs a value.")
    if condition.op == "in":
        values = [
            _typed(condition.field, kind, part)
            for part in condition.value.split(",")
            if part.strip()
        ]
        return {"field": condition.field, "op": "in", "value": values}
    return {
        "field": condition.field,
        "op": condition.op,
        "value": _typed(condition.field, kind, condition.value),
    }


def build_cohort(
    conditions: Sequence[Condition],
    rank_by: str,
    *,
    descending: bool = True,
    title: str = "",
) -> CohortSpec:
    """A cohort of everyone meeting every condition, ranked by ``rank_by``.

    The reasons shown are the fields the conditions and the rank use, in order.

    Raises:
        UserError: Naming the field and what is wrong with its condition.
    """
    used = [c for c in conditions if c.field]
    if not used:
        raise UserError("Add at least one condition to build a cohort.")
    leaves = [_leaf(c) for c in used]
    reasons = list(dict.fromkeys([*(c.field for c in used), rank_by]))
    data = {
        "id": BUILT_ID,
        "title": title.strip() or "Cohort built on the page",
        "description": "; ".join(
            f"{c.field} {OPS[c.op]} {c.value}".strip() for c in used
        ),
        "source": "cohort builder",
        "version": 1,
        "predicate": leaves[0] if len(leaves) == 1 else {"all_of": leaves},
        "rank_by": {"field": rank_by, "descending": descending},
        "reasons": reasons,
    }
    try:
        return parse_cohort(f"{BUILT_ID}.yaml", yaml.safe_dump(data, sort_keys=False))
    except DefinitionError as error:
        message = str(error).removeprefix(f"{BUILT_ID}.yaml: cohort {BUILT_ID}: ")
        raise UserError(message.removeprefix(f"{BUILT_ID}.yaml: ")) from None
