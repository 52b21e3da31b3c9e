"""The indicator definition: the pydantic model every ``definitions/*.yaml`` must satisfy.

An indicator says what it counts (numerator and denominator as warehouse queries,
see :mod:`tripleaim.indicators.counts`), how the count becomes a value (a method of
:mod:`tripleaim.indicators.methods`), which way is good (polarity), what it is
compared with (England from the national comparator tables, or the system) and where
the definition comes from. Rules that span fields (a DSR needs five-year age bands; an
England comparison needs national measures) are checked here, when a file is read.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from tripleaim.indicators.counts import (
    AnyCount,
    CountSpec,
    DeathCount,
    FrozenModel,
    PopulationCount,
)
from tripleaim.warehouse.schema.comparators import COMPARATOR_MEASURES

Domain = Literal["health_and_wellbeing", "care_and_quality", "finance_and_efficiency"]
"""The triple aim: health and wellbeing, care and quality, finance and efficiency."""

Polarity = Literal["higher_is_better", "lower_is_better", "neither"]
"""Which way is good; ``neither`` compares as higher / similar / lower (Fingertips BOB)."""

MethodKind = Literal["proportion", "crude_rate", "dsr", "life_expectancy", "ratio"]

Benchmark = Literal["england", "system"]


def _check_measure(name: str) -> str:
    if name not in COMPARATOR_MEASURES:
        raise ValueError(
            f"{name!r} is not a national_activity measure; choose from "
            + ", ".join(COMPARATOR_MEASURES)
        )
    return name


ComparatorMeasure = Annotated[str, AfterValidator(_check_measure)]


class MethodSpec(FrozenModel):
    """How counts become a value with confidence limits (95% and 99.8%).

    ``proportion``: Wilson score limits. ``crude_rate``: exact Poisson below 10 events,
    Byar's from 10. ``dsr``: directly standardised to the 2013 European Standard
    Population, Dobson limits. ``life_expectancy``: Chiang II life table at birth (or at
    ``at_age``), Silcocks limits. ``ratio``: a value without limits (costs per head), never
    compared for significance. See ``docs/methods/indicators.md``.
    """

    kind: MethodKind
    standard_population: Literal["esp2013"] | None = Field(
        None, description="Standard population of a DSR: esp2013 (the default)."
    )

    at_age: int = Field(
        0,
        ge=0,
        le=85,
        multiple_of=5,
        description="Life expectancy: the age it is given at (0 = at birth, 65 ...).",
    )

    @model_validator(mode="after")
    def _standard_population_only_for_dsr(self) -> MethodSpec:
        if self.kind != "dsr" and self.standard_population is not None:
            raise ValueError("standard_population applies only to kind dsr")
        if self.kind != "life_expectancy" and self.at_age != 0:
            raise ValueError("at_age applies only to kind life_expectancy")
        return self


class NationalSpec(FrozenModel):
    """The same indicator from the national comparator tables (England, every UTLA, ICB).

    Numerator and denominator are sums of ``national_activity`` measures; a
    denominator of ``population`` is ``national_population``. The age and sex filters
    of the footprint numerator and denominator apply (they must follow five-year bands).
    """

    numerator: tuple[ComparatorMeasure, ...] = Field(min_length=1)
    denominator: Literal["population"] | tuple[ComparatorMeasure, ...]


class IndicatorSpec(FrozenModel):
    """One indicator definition (one YAML file in ``indicators/definitions``)."""

    id: str = Field(
        pattern=r"^[a-z][a-z0-9_]*$", description="Stable slug; the file name."
    )
    version: int = Field(ge=1, description="Raised whenever the definition changes.")
    title: str = Field(min_length=5)
    description: str = Field(min_length=20)
    domain: Domain
    numerator: CountSpec
    denominator: CountSpec
    method: MethodSpec
    multiplier: float = Field(gt=0, description="Value per this many (100 = per cent).")
    polarity: Polarity
    benchmark: Benchmark = Field(
        description="england (national comparator tables) or system (the ICB footprint)."
    )
    national: NationalSpec | None = None
    source: str = Field(min_length=10, description="Where the definition comes from.")
    fingertips_id: int | None = Field(
        None, ge=1, description="OHID Fingertips IndicatorID."
    )

    @model_validator(mode="after")
    def _consistent(self) -> IndicatorSpec:
        """Rules across fields; each message starts with the field it is about."""
        kind = self.method.kind
        if kind in ("dsr", "life_expectancy"):
            _require_mid_year_population(self.denominator, kind)
            _require_same_people(self.numerator, self.denominator, kind)
            _require_bands(self.numerator, "numerator", kind)
        if kind == "life_expectancy":
            if not isinstance(self.numerator, DeathCount):
                raise ValueError(
                    "numerator.table: life_expectancy counts deaths; write table: deaths"
                )
            where = self.numerator.where
            if (
                where.sex is None
                or where.age_min is not None
                or where.age_max is not None
            ):
                raise ValueError(
                    "numerator.where: life expectancy is at birth for one sex; set "
                    "sex (in numerator and denominator) and no age limits"
                )
        if self.benchmark == "england" and self.national is None:
            raise ValueError(
                "benchmark: england needs a national block naming the "
                "national_activity measures to compare with"
            )
        if self.national is not None:
            _require_bands(self.numerator, "numerator", "a national comparison")
            _require_bands(self.denominator, "denominator", "a national comparison")
        return self


def _require_mid_year_population(count: AnyCount, kind: str) -> None:
    if not (isinstance(count, PopulationCount) and count.at == "mid_year"):
        raise ValueError(
            f"denominator: {kind} needs table: registered_population at mid_year"
        )
    if count.where.condition is not None:
        raise ValueError(f"denominator.where.condition: not allowed with {kind}")


def _require_same_people(numerator: AnyCount, denominator: AnyCount, kind: str) -> None:
    num, den = numerator.where, denominator.where
    if (num.age_min, num.age_max, num.sex) != (den.age_min, den.age_max, den.sex):
        raise ValueError(
            f"numerator.where: {kind} needs the same age_min, age_max and sex in "
            "numerator and denominator (standardisation runs over the same bands)"
        )


def _require_bands(count: AnyCount, role: str, why: str) -> None:
    """Age limits that fall on five-year band edges (0-4 ... 85-89, 90+)."""
    where = count.where
    if where.age_min is not None and where.age_min % 5 != 0:
        raise ValueError(
            f"{role}.where.age_min: {where.age_min} must start a five-year band "
            f"(0, 5 ... 90) for {why}"
        )
    if where.age_max is not None and (
        (where.age_max + 1) % 5 != 0 or where.age_max > 89
    ):
        raise ValueError(
            f"{role}.where.age_max: {where.age_max} must end a five-year band "
            f"(4, 9 ... 89) for {why}"
        )
    if isinstance(count, DeathCount) and count.where.age_under_days is not None:
        raise ValueError(
            f"{role}.where.age_under_days: days do not follow five-year bands ({why})"
        )
