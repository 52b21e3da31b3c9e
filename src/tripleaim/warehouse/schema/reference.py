"""Reference tables: organisations and geography."""

from __future__ import annotations

from tripleaim.warehouse.schema.model import Column, Table

ORG_TYPES = (
    "icb",
    "sub_icb",
    "place",
    "local_authority_district",
    "pcn",
    "practice",
    "trust",
    "site",
)

ORGANISATIONS = Table(
    name="organisations",
    group="reference",
    description=(
        "Every organisation of the footprint in one hierarchy: system (ICB) -> place "
        "(upper-tier local authority / health and wellbeing board) -> primary care network "
        "-> GP practice; ICB -> NHS trust -> site; place -> local authority district; "
        "ICB -> sub-ICB location."
    ),
    primary_key=("org_code",),
    columns=(
        Column(
            "org_code",
            "string",
            "ODS code (ICB, sub-ICB, PCN, practice, trust, site) or ONS GSS code (place, district).",
            code="org_code",
        ),
        Column("org_name", "string", "Name as published by ODS or ONS."),
        Column("org_type", "string", "Kind of organisation.", allowed=ORG_TYPES),
        Column(
            "parent_code",
            "string",
            "org_code of the parent in the hierarchy; empty for the ICB.",
            nullable=True,
            code="org_code",
            references=("organisations", "org_code"),
        ),
        Column(
            "icb_code",
            "string",
            "ODS code of the integrated care board the organisation belongs to.",
            code="ods_org",
        ),
        Column(
            "place_code",
            "string",
            "GSS code of the place (upper-tier local authority) the organisation mostly serves; empty for ICB-wide bodies.",
            nullable=True,
            code="gss",
        ),
        Column(
            "postcode",
            "string",
            "Postcode of the main address (ODS); empty where not published.",
            nullable=True,
        ),
        Column(
            "open_date", "date", "Date the organisation opened (ODS).", nullable=True
        ),
        Column(
            "close_date",
            "date",
            "Date the organisation closed (ODS); empty if open.",
            nullable=True,
        ),
    ),
    ordered=(("open_date", "close_date"),),
)

LSOAS = Table(
    name="lsoas",
    group="reference",
    description=(
        "2011 Lower layer Super Output Areas of the footprint with their MSOA, local "
        "authority district, upper-tier authority (place), sub-ICB location and the English "
        "Indices of Deprivation 2019."
    ),
    primary_key=("lsoa_code",),
    columns=(
        Column("lsoa_code", "string", "ONS 2011 LSOA code (E01...).", code="lsoa11"),
        Column("lsoa_name", "string", "ONS LSOA name."),
        Column("msoa_code", "string", "ONS 2011 MSOA code (E02...).", code="gss"),
        Column("msoa_name", "string", "ONS MSOA name."),
        Column(
            "lad_code",
            "string",
            "Local authority district, April 2021 (E06/E07/E08/E09).",
            code="gss",
        ),
        Column("lad_name", "string", "Local authority district name."),
        Column(
            "place_code",
            "string",
            "Upper-tier local authority (county or unitary), April 2021: the place and health and wellbeing board.",
            code="gss",
        ),
        Column("place_name", "string", "Upper-tier local authority name."),
        Column(
            "sub_icb_code",
            "string",
            "Sub-ICB location ODS code (2022).",
            code="ods_org",
        ),
        Column("icb_code", "string", "ICB ODS code (2022).", code="ods_org"),
        Column(
            "imd_score",
            "float",
            "IMD 2019 score (higher is more deprived).",
            minimum=0,
            maximum=100,
        ),
        Column(
            "imd_rank",
            "int",
            "IMD 2019 rank of 32,844 LSOAs (1 = most deprived).",
            minimum=1,
            maximum=32844,
        ),
        Column(
            "imd_decile",
            "int",
            "IMD 2019 national decile (1 = most deprived 10%).",
            minimum=1,
            maximum=10,
        ),
        Column(
            "resident_population",
            "int",
            "ONS mid-2020 resident population estimate.",
            minimum=0,
        ),
    ),
)

TABLES = (ORGANISATIONS, LSOAS)
