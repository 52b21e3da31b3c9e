"""People: the pseudonymised person table, direct-care identity, conditions, deaths, births."""

from __future__ import annotations

from tripleaim.warehouse.schema.model import Column, Table

SEXES = ("F", "M")

# NHS Data Dictionary ETHNIC CATEGORY (2001 census categories), Z = not stated.
ETHNIC_CATEGORIES = tuple("ABCDEFGHJKLMNPRSZ")

PERSON_ID = Column(
    "person_id",
    "int",
    "Pseudonymised person identifier, stable across tables; carries no identity.",
    references=("persons", "person_id"),
)

PERSONS = Table(
    name="persons",
    group="population",
    description=(
        "Everyone registered with a footprint GP practice during the period: one row a "
        "person, pseudonymised. Identity lives only in person_identity."
    ),
    primary_key=("person_id",),
    columns=(
        Column("person_id", "int", "Pseudonymised person identifier.", minimum=1),
        Column(
            "sex",
            "string",
            "Sex (NHS Data Dictionary PERSON PHENOTYPIC SEX 1 -> M, 2 -> F).",
            allowed=SEXES,
        ),
        Column("date_of_birth", "date", "Date of birth."),
        Column(
            "lsoa_code",
            "string",
            "2011 LSOA of residence.",
            code="lsoa11",
            references=("lsoas", "lsoa_code"),
        ),
        Column(
            "practice_code",
            "string",
            "ODS code of the registered GP practice.",
            code="ods_practice",
            references=("organisations", "org_code"),
        ),
        Column(
            "registration_start", "date", "Date registration with the practice began."
        ),
        Column(
            "registration_end",
            "date",
            "Date registration ended (death or leaving); empty while registered.",
            nullable=True,
        ),
        Column(
            "ethnic_group",
            "string",
            "NHS Data Dictionary ETHNIC CATEGORY code (A-S; Z not stated).",
            allowed=ETHNIC_CATEGORIES,
        ),
    ),
    ordered=(
        ("date_of_birth", "registration_start"),
        ("registration_start", "registration_end"),
    ),
)

PERSON_IDENTITY = Table(
    name="person_identity",
    group="population",
    identifiable=True,
    description=(
        "Direct-care identity: NHS number and name. Never joined into analytic outputs; "
        "read only by direct-care features, with every read audited."
    ),
    primary_key=("person_id",),
    columns=(
        PERSON_ID,
        Column(
            "nhs_number",
            "string",
            "NHS number: 10 digits, Modulus 11 check digit (synthetic data uses the 999 test range).",
            code="nhs_number",
        ),
        Column("given_name", "string", "Given name (synthetic)."),
        Column("family_name", "string", "Family name (synthetic)."),
    ),
)

CONDITIONS = Table(
    name="conditions",
    group="population",
    description="Long-term conditions recorded in primary care: one row per person and condition, first diagnosis.",
    primary_key=("person_id", "condition"),
    columns=(
        PERSON_ID,
        Column(
            "condition",
            "string",
            "tripleaim condition slug (see the condition list in docs/data-model.md).",
        ),
        Column(
            "snomed_code",
            "string",
            "SNOMED CT concept identifier of the diagnosis (Verhoeff-checked).",
            code="snomed",
        ),
        Column("diagnosis_date", "date", "Date of first diagnosis."),
    ),
)

PLACES_OF_DEATH = ("hospital", "home", "care_home", "hospice", "other")

DEATHS = Table(
    name="deaths",
    group="population",
    description="Registered deaths of footprint residents (ONS civil registration form).",
    primary_key=("person_id",),
    columns=(
        PERSON_ID,
        Column("date_of_death", "date", "Date of death."),
        Column(
            "underlying_cause",
            "string",
            "ICD-10 underlying cause of death (no dot).",
            code="icd10",
        ),
        Column("place_of_death", "string", "Place of death.", allowed=PLACES_OF_DEATH),
    ),
)

BIRTHS = Table(
    name="births",
    group="population",
    description="Births to footprint mothers, live and still (ONS birth registration and NHS maternity form).",
    primary_key=("birth_id",),
    columns=(
        Column("birth_id", "int", "Birth identifier.", minimum=1),
        Column(
            "mother_person_id",
            "int",
            "person_id of the mother.",
            references=("persons", "person_id"),
        ),
        Column(
            "baby_person_id",
            "int",
            "person_id of the baby; empty for a stillbirth.",
            nullable=True,
            references=("persons", "person_id"),
        ),
        Column("birth_date", "date", "Date of delivery."),
        Column(
            "outcome",
            "string",
            "Live birth or stillbirth (24+ weeks).",
            allowed=("live", "still"),
        ),
        Column("sex", "string", "Sex of the baby.", allowed=SEXES),
        Column(
            "birth_weight_g", "int", "Birth weight in grams.", minimum=200, maximum=7000
        ),
        Column(
            "gestation_weeks",
            "int",
            "Gestational age at delivery, completed weeks.",
            minimum=22,
            maximum=45,
        ),
        Column(
            "provider_code",
            "string",
            "ODS code of the trust where the delivery took place.",
            code="ods_org",
            references=("organisations", "org_code"),
        ),
    ),
)

TABLES = (PERSONS, PERSON_IDENTITY, CONDITIONS, DEATHS, BIRTHS)
