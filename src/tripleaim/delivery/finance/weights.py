"""Risk adjustment of savings by stage: weights as a validated YAML definition.

A savings plan is not money in the bank: the further a scheme is from delivery, the
less of it a board should count on. The weights live in
``definitions/stage_weights.yaml`` (docs/decisions/0031-savings-stage-weights.md) so a
partnership can change them without code; :func:`parse_stage_weights` refuses a file
that misses a stage, gives a weight outside 0 to 1, or lets an earlier stage count
for more than a later one.
"""

from __future__ import annotations

import functools
from importlib.resources import files

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tripleaim.errors import DefinitionError

STAGES = ("unidentified", "identified", "in_delivery", "delivered")
"""Stages of a savings scheme, least to most mature (the store's ``SAVINGS_STAGES``)."""
FILE = "stage_weights.yaml"


class StageWeights(BaseModel):
    """Weights by stage: the share of a stage's planned savings counted as likely."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    description: str
    source: str
    version: int = Field(ge=1)
    weights: dict[str, float]

    @model_validator(mode="after")
    def _every_stage_once_in_order(self) -> StageWeights:
        missing = [s for s in STAGES if s not in self.weights]
        unknown = [s for s in self.weights if s not in STAGES]
        if missing or unknown:
            raise ValueError(
                f"weights must name exactly the stages {', '.join(STAGES)}; "
                f"missing {missing or 'none'}, unknown {unknown or 'none'}"
            )
        for stage, weight in self.weights.items():
            if not 0.0 <= weight <= 1.0:
                raise ValueError(f"weights.{stage}: {weight} is not between 0 and 1")
        ordered = [self.weights[s] for s in STAGES]
        if ordered != sorted(ordered):
            raise ValueError(
                "weights must not fall as a scheme matures: "
                + ", ".join(f"{s} {self.weights[s]}" for s in STAGES)
            )
        return self

    def weight(self, stage: str) -> float:
        """The weight of ``stage``."""
        return self.weights[stage]


def parse_stage_weights(name: str, text: str) -> StageWeights:
    """Validate the YAML ``text`` of the file ``name``.

    Raises:
        DefinitionError: Malformed YAML or a field that breaks a rule, with its path.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DefinitionError(f"{name}: not valid YAML: {error}") from None
    try:
        return StageWeights.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in d['loc']) or 'file'}: "
            + d["msg"].removeprefix("Value error, ")
            for d in error.errors()
        )
        raise DefinitionError(f"{name}: {problems}") from None


@functools.cache
def stage_weights() -> StageWeights:
    """The shipped stage weights (read once per process)."""
    path = files("tripleaim.delivery.finance").joinpath("definitions", FILE)
    return parse_stage_weights(FILE, path.read_text(encoding="utf-8"))
