"""What an indicator counts: a warehouse table and the rows of it that qualify.

A numerator or denominator names one table and a ``where`` of filters that table
understands; a filter another table would need (``admission_method`` on ``deaths``)
is refused when the definition is read. Ages are whole years on the event's date
(admission, death, delivery for the mother, arrival, appointment, dispensing month)
or on the count date for ``registered_population``; both ends are inclusive.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from tripleaim.indicators.codes import check_code_pattern

CodePattern = Annotated[str, AfterValidator(check_code_pattern)]
Codes = tuple[CodePattern, ...]


class FrozenModel(BaseModel):
    """Definitions are values: frozen, and no field that is not declared."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class AgeSex(FrozenModel):
    """Filters every table understands: age in whole years (inclusive) and sex."""

    age_min: int | None = Field(None, ge=0, le=120, description="Youngest age counted.")
    age_max: int | None = Field(None, ge=0, le=120, description="Oldest age counted.")
    sex: Literal["F", "M"] | None = Field(None, description="F or M; both if absent.")

    @model_validator(mode="after")
    def _ages_in_order(self) -> AgeSex:
        if (
            self.age_min is not None
            and self.age_max is not None
            and self.age_min > self.age_max
        ):
            raise ValueError(f"age_min {self.age_min} is above age_max {self.age_max}")
        return self


class PopulationWhere(AgeSex):
    """People on a practice list; ``condition`` keeps those on that register."""

    condition: str | None = Field(
        None,
        pattern=r"^[a-z][a-z_]*$",
        description="Condition slug (conditions.condition) diagnosed on or before the count date.",
    )


class InpatientWhere(AgeSex):
    """Hospital spells by admission method, day case and diagnosis (ICD-10, no dot)."""

    admission_method: tuple[
        Literal["elective", "emergency", "maternity", "other"], ...
    ] = ()
    day_case: bool | None = None
    primary_diagnosis: Codes = Field(
        (), description="Codes the primary diagnosis must match."
    )
    any_diagnosis: Codes = Field(
        (), description="Codes some diagnosis (primary or secondary) must match."
    )


class DeathWhere(AgeSex):
    """Registered deaths by underlying cause, place and (for infants) age in days."""

    age_under_days: int | None = Field(
        None, ge=1, le=366, description="Died fewer than this many days after birth."
    )
    underlying_cause: Codes = ()
    place_of_death: tuple[
        Literal["hospital", "home", "care_home", "hospice", "other"], ...
    ] = ()


class BirthWhere(AgeSex):
    """Births by outcome, weight and gestation; age and sex are the mother's."""

    outcome: Literal["live", "still"] | None = None
    birth_weight_under_g: int | None = Field(None, ge=200, le=7000)
    gestation_weeks_min: int | None = Field(None, ge=22, le=45)


class AEWhere(AgeSex):
    """A&E attendances by department type and four-hour breach."""

    department_type: tuple[Annotated[int, Field(ge=1, le=4)], ...] = ()
    breach_4h: bool | None = None


class OutpatientWhere(AgeSex):
    """Outpatient appointments by first or follow-up and attendance status."""

    first_attendance: bool | None = None
    attendance_status: tuple[
        Literal[
            "attended",
            "did_not_attend",
            "cancelled_by_patient",
            "cancelled_by_provider",
        ],
        ...,
    ] = ()


class PrescribingWhere(AgeSex):
    """Prescribing by BNF chapter or section (prefixes such as ``06`` or ``0601``)."""

    bnf_section: tuple[Annotated[str, Field(pattern=r"^[0-9]{2,4}$")], ...] = ()


class PopulationCount(FrozenModel):
    """People registered on the middle day (30 September) or last day of the year."""

    table: Literal["registered_population"]
    at: Literal["mid_year", "year_end"] = Field(
        "mid_year",
        description="mid_year (30 September, for rates) or year_end (31 March, as QOF counts registers).",
    )
    where: PopulationWhere = PopulationWhere()


class InpatientCount(FrozenModel):
    """Inpatient spells, or their bed days or cost."""

    table: Literal["inpatient_spells"]
    measure: Literal["spells", "bed_days", "cost_gbp"] = "spells"
    where: InpatientWhere = InpatientWhere()


class DeathCount(FrozenModel):
    """Registered deaths."""

    table: Literal["deaths"]
    where: DeathWhere = DeathWhere()


class BirthCount(FrozenModel):
    """Births, counted in the areas of the mother."""

    table: Literal["births"]
    where: BirthWhere = BirthWhere()


class AECount(FrozenModel):
    """A&E attendances."""

    table: Literal["ae_attendances"]
    where: AEWhere = AEWhere()


class OutpatientCount(FrozenModel):
    """Outpatient appointments, or their cost."""

    table: Literal["outpatient_appointments"]
    measure: Literal["appointments", "cost_gbp"] = "appointments"
    where: OutpatientWhere = OutpatientWhere()


class PrescribingCount(FrozenModel):
    """Prescription items dispensed, or their net ingredient cost."""

    table: Literal["prescribing"]
    measure: Literal["items", "cost_gbp"] = "items"
    where: PrescribingWhere = PrescribingWhere()


CountSpec = Annotated[
    PopulationCount
    | InpatientCount
    | DeathCount
    | BirthCount
    | AECount
    | OutpatientCount
    | PrescribingCount,
    Field(discriminator="table"),
]
"""A numerator or denominator: the ``table`` key chooses which filters are allowed."""

AnyCount = (
    PopulationCount
    | InpatientCount
    | DeathCount
    | BirthCount
    | AECount
    | OutpatientCount
    | PrescribingCount
)


def source_of(count: AnyCount) -> str:
    """The engine pass that counts ``count``: its table, and for people the count date."""
    if isinstance(count, PopulationCount):
        return f"registered_population_{count.at}"
    return count.table
