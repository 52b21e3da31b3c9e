"""Area-level national comparators: every English upper-tier authority and sub-ICB location.

Rankings ("55th of 150 authorities"), comparator groups and the "similar 10" need the
same measures for every area in England, not only the footprint.
"""

from __future__ import annotations

from tripleaim.warehouse.schema.model import Column, Table

AREA_TYPES = ("england", "utla", "sub_icb")

AGE_BANDS = (*(f"{a}-{a + 4}" for a in range(0, 90, 5)), "90+")

COMPARATOR_MEASURES = (
    "emergency_admissions",
    "elective_admissions",
    "day_cases",
    "maternity_admissions",
    "ae_attendances",
    "ae_4h_breaches",
    "outpatient_first",
    "outpatient_follow_up",
    "outpatient_dna",
    "deaths",
    "deaths_cvd",
    "deaths_cancer",
    "deaths_respiratory",
    "live_births",
    "stillbirths",
    "low_birth_weight_births",
    "inpatient_cost_gbp",
    "prescribing_items",
    "prescribing_cost_gbp",
)

NATIONAL_AREAS = Table(
    name="national_areas",
    group="comparators",
    description="Every English upper-tier local authority and sub-ICB location, and England, with deprivation.",
    primary_key=("area_code",),
    columns=(
        Column(
            "area_code",
            "string",
            "GSS code (E92000001 England, E06/E08/E09/E10 upper tier, E38 sub-ICB).",
            code="gss",
        ),
        Column("area_name", "string", "Area name."),
        Column(
            "area_type",
            "string",
            "england, utla (upper-tier local authority) or sub_icb.",
            allowed=AREA_TYPES,
        ),
        Column(
            "icb_code",
            "string",
            "ODS code of the ICB the area lies in (sub-ICB), or holding most of its population (utla); empty for England.",
            nullable=True,
        ),
        Column(
            "resident_population", "int", "ONS mid-2020 resident population.", minimum=0
        ),
        Column(
            "imd_score",
            "float",
            "Population-weighted average of IMD 2019 LSOA scores (the MHCLG local authority summary 'average score').",
            minimum=0,
            maximum=100,
        ),
        Column(
            "imd_rank",
            "int",
            "Rank of imd_score among areas of the same type (1 = most deprived).",
            nullable=True,
            minimum=1,
        ),
        Column(
            "imd_decile",
            "int",
            "Decile of imd_rank among areas of the same type (1 = most deprived).",
            nullable=True,
            minimum=1,
            maximum=10,
        ),
        Column(
            "in_footprint", "bool", "True when the area lies in the demo footprint."
        ),
    ),
)

NATIONAL_POPULATION = Table(
    name="national_population",
    group="comparators",
    description="Resident population by financial year, sex and five-year age band for every comparator area.",
    primary_key=("area_code", "financial_year", "sex", "age_band"),
    columns=(
        Column(
            "area_code",
            "string",
            "Area GSS code.",
            code="gss",
            references=("national_areas", "area_code"),
        ),
        Column(
            "financial_year", "string", "Financial year, e.g. 2022/23.", allowed=None
        ),
        Column("sex", "string", "F or M.", allowed=("F", "M")),
        Column(
            "age_band",
            "string",
            "Five-year age band (0-4 ... 85-89, 90+), as the 2013 European Standard Population.",
            allowed=AGE_BANDS,
        ),
        Column("population", "int", "Persons.", minimum=0),
    ),
)

NATIONAL_ACTIVITY = Table(
    name="national_activity",
    group="comparators",
    description="Counts of activity and outcomes by area, financial year, sex and age band, from the same rate models as the footprint.",
    primary_key=("area_code", "financial_year", "measure", "sex", "age_band"),
    columns=(
        Column(
            "area_code",
            "string",
            "Area GSS code.",
            code="gss",
            references=("national_areas", "area_code"),
        ),
        Column("financial_year", "string", "Financial year, e.g. 2022/23."),
        Column("measure", "string", "What is counted.", allowed=COMPARATOR_MEASURES),
        Column("sex", "string", "F or M.", allowed=("F", "M")),
        Column("age_band", "string", "Five-year age band.", allowed=AGE_BANDS),
        Column(
            "value", "float", "Count (or pounds for *_cost_gbp measures).", minimum=0
        ),
    ),
)

TABLES = (NATIONAL_AREAS, NATIONAL_POPULATION, NATIONAL_ACTIVITY)
