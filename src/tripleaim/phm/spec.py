"""Pydantic models that validate the code lists and weightings in ``phm/codelists``.

Every file names its source (paper, table, DOI). Codes are written as in the papers
without dots, as prefixes of a normalised code (``I21`` covers ``I214``); ``A-B`` is
an inclusive range of codes of one length that differ only in their trailing digits
(``I60-I69``, ``E102-E105``, ``140-172``), expanded on load.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CODE_PATTERN = re.compile(r"^[A-Z0-9]{2,6}$")
"""A normalised code prefix: upper-case letters and digits, no dot, 2 to 6 characters."""

HFRS_CATEGORY = re.compile(r"^[A-Z][0-9]{2}$")


class Frozen(BaseModel):
    """Base: immutable, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def expand_range(item: str) -> list[str]:
    """The codes of ``item``: itself, or every code of an ``A-B`` range.

    Raises:
        ValueError: If the range's ends differ in length or in their non-digit head.
    """
    if "-" not in item:
        return [item]
    start, end = item.split("-", maxsplit=1)
    head_start = start.rstrip("0123456789")
    head_end = end.rstrip("0123456789")
    if (
        len(start) != len(end)
        or head_start != head_end
        or len(head_start) == len(start)
    ):
        raise ValueError(
            f"range {item!r} must join two codes of one length that differ only in "
            "their trailing digits (I60-I69, E102-E105)"
        )
    width = len(start) - len(head_start)
    low, high = int(start[len(head_start) :]), int(end[len(head_end) :])
    if low > high:
        raise ValueError(f"range {item!r} runs backwards")
    return [f"{head_start}{number:0{width}d}" for number in range(low, high + 1)]


class Category(Frozen):
    """One comorbidity: its label and the code prefixes that flag it."""

    label: str
    codes: tuple[str, ...] = Field(min_length=1)

    @field_validator("codes", mode="before")
    @classmethod
    def _expand(cls, value: object) -> object:
        if not isinstance(value, list | tuple):
            return value
        expanded: list[str] = []
        for item in value:
            for code in expand_range(str(item)):
                if not CODE_PATTERN.match(code):
                    raise ValueError(
                        f"{code!r} is not a code prefix: write 2 to 6 upper-case "
                        "letters and digits without a dot (I252, not I25.2)"
                    )
                if code not in expanded:
                    expanded.append(code)
        return tuple(expanded)


class Hierarchy(Frozen):
    """A milder form zeroed when the severe form is present (``assign0``)."""

    milder: str
    severe: str


class Described(Frozen):
    """Fields every definition carries (STYLE.md section 5)."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    title: str
    description: str
    source: str
    version: int = Field(ge=1)


class CodeList(Described):
    """A comorbidity mapping: categories of ICD code prefixes."""

    kind: Literal["codelist"]
    score: Literal["charlson", "elixhauser"]
    icd: Literal["icd10", "icd9"]
    categories: dict[str, Category]
    hierarchy: tuple[Hierarchy, ...] = ()

    @model_validator(mode="after")
    def _hierarchy_names_categories(self) -> CodeList:
        for pair in self.hierarchy:
            for name in (pair.milder, pair.severe):
                if name not in self.categories:
                    raise ValueError(
                        f"hierarchy names {name!r}, which is not a category"
                    )
        return self


class DisabilityList(Described):
    """Disability and impairment groups; a code belongs to its longest matching prefix."""

    kind: Literal["disability"]
    categories: dict[str, Category]


class Weighting(Frozen):
    """Points for each comorbidity of one score."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    title: str
    source: str
    version: int = Field(ge=1)
    score: Literal["charlson", "elixhauser"]
    weights: dict[str, int]
    floor: int | None = None
    age_adjusted: bool = False


class Weightings(Frozen):
    """The weightings file."""

    kind: Literal["weightings"]
    weightings: tuple[Weighting, ...]


class HfrsBands(Frozen):
    """HFRS bands: low below ``intermediate_from``, high above ``high_above``."""

    intermediate_from: float
    high_above: float


class HfrsSpec(Described):
    """The Hospital Frailty Risk Score: a weight per ICD-10 three-character category."""

    kind: Literal["hfrs"]
    bands: HfrsBands
    weights: dict[str, float]

    @field_validator("weights")
    @classmethod
    def _three_characters(cls, value: dict[str, float]) -> dict[str, float]:
        for code, weight in value.items():
            if not HFRS_CATEGORY.match(code):
                raise ValueError(f"{code!r} is not a three-character ICD-10 category")
            if round(weight * 10) != weight * 10 or weight <= 0:
                raise ValueError(f"{code}: weight {weight} is not a positive tenth")
        return value


class Deficit(Frozen):
    """One eFI deficit and the warehouse condition slugs that record it."""

    label: str
    conditions: tuple[str, ...] = ()


class EfiCutPoints(Frozen):
    """Category cut points: a score above each is at least that category."""

    mild_above: float
    moderate_above: float
    severe_above: float


class EfiSpec(Described):
    """The electronic frailty index."""

    kind: Literal["efi"]
    denominator: int = Field(ge=1)
    cut_points: EfiCutPoints
    deficits: dict[str, Deficit]

    @model_validator(mode="after")
    def _denominator_counts_deficits(self) -> EfiSpec:
        if len(self.deficits) != self.denominator:
            raise ValueError(
                f"{len(self.deficits)} deficits listed but the denominator is "
                f"{self.denominator}"
            )
        return self


class LongTermConditions(Described):
    """Condition slugs counted towards multimorbidity."""

    kind: Literal["long_term_conditions"]
    multimorbidity_from: int = Field(ge=1)
    complex_multimorbidity_from: int = Field(ge=1)
    conditions: tuple[str, ...] = Field(min_length=1)
