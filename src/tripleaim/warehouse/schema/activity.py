"""Hospital, emergency, outpatient and prescribing activity (SUS/HES and ePACT2 shapes)."""

from __future__ import annotations

from tripleaim.warehouse.schema.model import Column, Table
from tripleaim.warehouse.schema.population import PERSON_ID

ADMISSION_METHODS = ("elective", "emergency", "maternity", "other")

PROVIDER = Column(
    "provider_code",
    "string",
    "ODS code of the provider trust.",
    code="ods_org",
    references=("organisations", "org_code"),
)
SITE = Column(
    "site_code",
    "string",
    "ODS code of the provider site.",
    code="ods_org",
    references=("organisations", "org_code"),
)

INPATIENT_SPELLS = Table(
    name="inpatient_spells",
    group="activity",
    description="Admitted patient care hospital provider spells (SUS/HES APC), one row a spell.",
    primary_key=("spell_id",),
    columns=(
        Column("spell_id", "int", "Spell identifier.", minimum=1),
        PERSON_ID,
        PROVIDER,
        SITE,
        Column("admission_date", "date", "Date of admission."),
        Column("discharge_date", "date", "Date of discharge."),
        Column(
            "admission_method",
            "string",
            "Admission method grouped from the NHS Data Dictionary ADMISSION METHOD (11-13 elective, 21-2B emergency, 31-32 maternity, 81-83 other).",
            allowed=ADMISSION_METHODS,
        ),
        Column(
            "day_case",
            "bool",
            "True for a day case (PATIENT CLASSIFICATION 2): planned, admitted and discharged the same day.",
        ),
        Column(
            "primary_diagnosis",
            "string",
            "ICD-10 primary diagnosis, no dot (E119).",
            code="icd10",
        ),
        Column(
            "secondary_diagnoses",
            "string",
            "ICD-10 secondary diagnoses, no dot, separated by ';'.",
            nullable=True,
            code="icd10_list",
        ),
        Column(
            "primary_procedure",
            "string",
            "OPCS-4 primary procedure, no dot (W371); empty when none.",
            nullable=True,
            code="opcs4",
        ),
        Column(
            "secondary_procedures",
            "string",
            "OPCS-4 secondary procedures separated by ';'.",
            nullable=True,
            code="opcs4_list",
        ),
        Column(
            "length_of_stay",
            "int",
            "Discharge date minus admission date, in days.",
            minimum=0,
            maximum=3650,
        ),
        Column(
            "treatment_function",
            "string",
            "NHS Data Dictionary TREATMENT FUNCTION CODE of the discharging specialty (100 general surgery ...).",
            code="treatment_function",
        ),
        Column(
            "cost_gbp",
            "float",
            "Cost of the spell in pounds (synthetic: national tariff averages).",
            minimum=0,
            maximum=2_000_000,
        ),
    ),
    ordered=(("admission_date", "discharge_date"),),
)

AE_DISPOSALS = (
    "admitted",
    "discharged",
    "referred",
    "transferred",
    "left_before_treatment",
    "died",
)

AE_ATTENDANCES = Table(
    name="ae_attendances",
    group="activity",
    description="Emergency care attendances (ECDS), one row an attendance.",
    primary_key=("attendance_id",),
    columns=(
        Column("attendance_id", "int", "Attendance identifier.", minimum=1),
        PERSON_ID,
        PROVIDER,
        SITE,
        Column("arrival_time", "timestamp", "Arrival date and time."),
        Column("departure_time", "timestamp", "Departure (conclusion) date and time."),
        Column(
            "department_type",
            "int",
            "Emergency care department type: 1 major A&E, 2 single specialty, 3 UTC / minor injuries, 4 walk-in.",
            minimum=1,
            maximum=4,
        ),
        Column(
            "acuity",
            "int",
            "ECDS initial acuity, 1 immediate resuscitation to 5 non-urgent.",
            minimum=1,
            maximum=5,
        ),
        Column("disposal", "string", "How the attendance ended.", allowed=AE_DISPOSALS),
        Column(
            "breach_4h",
            "bool",
            "True when the time from arrival to departure exceeded 4 hours.",
        ),
    ),
    ordered=(("arrival_time", "departure_time"),),
)

ATTENDANCE_STATUSES = (
    "attended",
    "did_not_attend",
    "cancelled_by_patient",
    "cancelled_by_provider",
)

OUTPATIENT_APPOINTMENTS = Table(
    name="outpatient_appointments",
    group="activity",
    description="Outpatient appointments (SUS/HES OP), one row an appointment.",
    primary_key=("appointment_id",),
    columns=(
        Column("appointment_id", "int", "Appointment identifier.", minimum=1),
        PERSON_ID,
        PROVIDER,
        Column("appointment_date", "date", "Date of the appointment."),
        Column(
            "first_attendance",
            "bool",
            "True for a first appointment, false for a follow-up.",
        ),
        Column(
            "treatment_function",
            "string",
            "NHS Data Dictionary TREATMENT FUNCTION CODE.",
            code="treatment_function",
        ),
        Column(
            "attendance_status",
            "string",
            "Attended, did not attend, or cancelled.",
            allowed=ATTENDANCE_STATUSES,
        ),
        Column(
            "cost_gbp",
            "float",
            "Cost in pounds (zero unless attended; synthetic tariff averages).",
            minimum=0,
            maximum=100_000,
        ),
    ),
)

PRESCRIBING = Table(
    name="prescribing",
    group="activity",
    description="Primary care prescriptions dispensed, per person, BNF section and month (ePACT2 shape).",
    primary_key=("person_id", "period_start", "bnf_section"),
    columns=(
        PERSON_ID,
        Column(
            "practice_code",
            "string",
            "ODS code of the prescribing practice.",
            code="ods_practice",
            references=("organisations", "org_code"),
        ),
        Column("period_start", "date", "First day of the month dispensed."),
        Column(
            "bnf_section",
            "string",
            "BNF section code: chapter (2 digits) and section (2 digits), e.g. 0601 diabetes.",
            code="bnf_section",
        ),
        Column(
            "items", "int", "Prescription items dispensed.", minimum=1, maximum=10_000
        ),
        Column(
            "cost_gbp",
            "float",
            "Net ingredient cost in pounds.",
            minimum=0,
            maximum=1_000_000,
        ),
    ),
)

TABLES = (INPATIENT_SPELLS, AE_ATTENDANCES, OUTPATIENT_APPOINTMENTS, PRESCRIBING)
