"""Benchmark definitions: the pydantic models ``definitions/**/*.yaml`` must satisfy.

A peer group names the level, variables, weights, number of peers and the cap of the
RightCare method. A measure names what it counts (national comparator measures for
upper-tier authorities and sub-ICB locations, or footprint activity for practices and
PCNs), how counts become a value, which way is good, and how a gap becomes bed days
and pounds. Rules across fields are checked when a file is read.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from tripleaim.benchmark.peer_inputs import PEER_VARIABLES
from tripleaim.warehouse.schema.comparators import COMPARATOR_MEASURES

NATIONAL_LEVELS = ("utla", "sub_icb")
FOOTPRINT_LEVELS = ("practice", "pcn")
Level = Literal["utla", "sub_icb", "practice", "pcn"]


class Frozen(BaseModel):
    """Definitions are values: frozen, and no field that is not declared."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _check_variable(name: str) -> str:
    if name not in PEER_VARIABLES:
        raise ValueError(
            f"{name!r} is not a peer variable; choose from {', '.join(PEER_VARIABLES)}"
        )
    return name


def _check_measure(name: str) -> str:
    if name not in COMPARATOR_MEASURES:
        raise ValueError(
            f"{name!r} is not a national_activity measure; choose from {', '.join(COMPARATOR_MEASURES)}"
        )
    return name


class PeerVariable(Frozen):
    """One variable and its weight in the distance."""

    name: Annotated[str, AfterValidator(_check_variable)]
    weight: float = Field(gt=0, le=1)


class PeerGroupSpec(Frozen):
    """One peer group definition (``definitions/peer_groups/<id>.yaml``)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    version: int = Field(ge=1)
    title: str = Field(min_length=5)
    description: str = Field(min_length=20)
    level: Level
    peers: int = Field(
        ge=1, le=50, description="Peers kept (10 RightCare, 5 Model Hospital)."
    )
    cap_sd: float = Field(5.0, gt=0, description="Cap at mean + cap_sd SD.")
    sd_divisor: Literal["n", "n-1"] = Field("n", description="RightCare's R uses n.")
    variables: tuple[PeerVariable, ...] = Field(min_length=1)
    source: str = Field(min_length=10)

    @property
    def weights(self) -> dict[str, float]:
        """Variable name to weight."""
        return {v.name: v.weight for v in self.variables}


class NationalCount(Frozen):
    """A sum of ``national_activity`` measures (England, upper tier, sub-ICB)."""

    measures: tuple[Annotated[str, AfterValidator(_check_measure)], ...] = Field(
        min_length=1
    )


AdmissionMethod = Literal["elective", "emergency", "maternity", "other"]


class FootprintCount(Frozen):
    """Rows of a footprint activity table, and what of them is summed.

    ``procedures`` and ``bnf_sections`` are code prefixes (``J18``, ``0302``);
    ``treatment_functions`` are exact codes.
    """

    table: Literal[
        "inpatient_spells", "outpatient_appointments", "ae_attendances", "prescribing"
    ]
    value: Literal["count", "bed_days", "cost_gbp", "items"] = "count"
    admission_method: tuple[AdmissionMethod, ...] | None = None
    day_case: bool | None = None
    treatment_functions: (
        tuple[Annotated[str, Field(pattern=r"^\d{3}$")], ...] | None
    ) = None
    procedures: tuple[Annotated[str, Field(pattern=r"^[A-Z]\d{1,3}$")], ...] | None = (
        None
    )
    first_attendance: bool | None = None
    attended: bool | None = None
    bnf_sections: tuple[Annotated[str, Field(pattern=r"^\d{2,4}$")], ...] | None = None

    @model_validator(mode="after")
    def _filters_fit_table(self) -> FootprintCount:
        allowed = {
            "inpatient_spells": {
                "admission_method",
                "day_case",
                "treatment_functions",
                "procedures",
            },
            "outpatient_appointments": {
                "first_attendance",
                "attended",
                "treatment_functions",
            },
            "ae_attendances": set(),
            "prescribing": {"bnf_sections"},
        }[self.table]
        values = {
            "inpatient_spells": {"count", "bed_days", "cost_gbp"},
            "outpatient_appointments": {"count", "cost_gbp"},
            "ae_attendances": {"count"},
            "prescribing": {"items", "cost_gbp"},
        }[self.table]
        for name in (
            "admission_method",
            "day_case",
            "treatment_functions",
            "procedures",
            "first_attendance",
            "attended",
            "bnf_sections",
        ):
            if getattr(self, name) is not None and name not in allowed:
                raise ValueError(
                    f"{name}: {self.table} has no such filter; it takes {', '.join(sorted(allowed)) or 'none'}"
                )
        if self.value not in values:
            raise ValueError(
                f"value: {self.table} sums {', '.join(sorted(values))}, not {self.value}"
            )
        return self


Count = NationalCount | FootprintCount


class CostSpec(Frozen):
    """How an activity gap becomes pounds.

    ``numerator``: the numerator is pounds already. ``observed``: the area's own mean
    cost per event (``cost_gbp`` of the counted rows). ``tariff``: the price of ``key``
    in ``data/tariff.csv``.
    """

    source: Literal["numerator", "observed", "tariff"]
    key: str | None = Field(None, description="Tariff key when source is tariff.")

    @model_validator(mode="after")
    def _key_for_tariff(self) -> CostSpec:
        if (self.source == "tariff") != (self.key is not None):
            raise ValueError("key: give a tariff key exactly when source is tariff")
        return self


class MeasureSpec(Frozen):
    """One benchmark measure (``definitions/measures/<id>.yaml``)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    version: int = Field(ge=1)
    title: str = Field(min_length=5)
    description: str = Field(min_length=20)
    category: Literal["activity", "spend", "procedure", "prescribing"]
    programme: str = Field(
        min_length=3, description="Programme budget category or specialty."
    )
    scope: Literal["national", "footprint"]
    numerator: Count
    denominator: Literal["population"] | Count
    events: Count | None = Field(
        None, description="Counted events behind a pounds numerator, for its interval."
    )
    method: Literal["isr", "crude_rate", "proportion", "ratio"]
    multiplier: float = Field(gt=0)
    polarity: Literal["lower_is_better", "higher_is_better"]
    unit: str = Field(
        min_length=2,
        description="What the activity gap counts (admissions, bed days, pounds).",
    )
    target: float | None = Field(
        None, ge=0, description="Target value (BADS day-case rate), in value units."
    )
    target_source: str | None = None
    bed_days: Literal["none", "numerator", "mean_stay", "ordinary_stay"] = "none"
    cost: CostSpec | None = None
    min_events: int = Field(
        10, ge=1, description="Fewer events: flagged too_few_events."
    )
    source: str = Field(min_length=10)

    @model_validator(mode="after")
    def _consistent(self) -> MeasureSpec:
        counts = [self.numerator, self.events] + (
            [] if self.denominator == "population" else [self.denominator]
        )
        kind = NationalCount if self.scope == "national" else FootprintCount
        for count in counts:
            if count is not None and not isinstance(count, kind):
                raise ValueError(
                    f"numerator: a {self.scope} measure counts with {'measures' if kind is NationalCount else 'table'}"
                )
        if self.method == "isr" and self.denominator != "population":
            raise ValueError("denominator: isr standardises against population")
        if self.method == "proportion" and self.denominator == "population":
            raise ValueError(
                "denominator: a proportion needs counted rows, not population"
            )
        if (self.target is None) != (self.target_source is None):
            raise ValueError(
                "target_source: a target needs its source, and only a target"
            )
        if self.bed_days in ("mean_stay", "ordinary_stay") and not (
            isinstance(self.numerator, FootprintCount)
            and self.numerator.table == "inpatient_spells"
        ):
            raise ValueError(
                f"bed_days: {self.bed_days} needs footprint inpatient spells"
            )
        if (
            self.cost is not None
            and self.cost.source == "observed"
            and self.scope == "national"
        ):
            raise ValueError(
                "cost.source: observed cost needs footprint rows; use tariff"
            )
        return self

    @property
    def levels(self) -> tuple[str, ...]:
        """The levels the measure is computed for."""
        return NATIONAL_LEVELS if self.scope == "national" else FOOTPRINT_LEVELS
