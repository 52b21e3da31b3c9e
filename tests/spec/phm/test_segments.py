"""Bridges to Health segments.

Each person registered and alive on the index date gets the first segment whose
rule is true (segments.yaml, BNSSG order), the part of the rule that fired, and the
year's spend before the index date: inpatient + outpatient + prescribing cost.
"""

from datetime import date

from tripleaim.phm.segments.fields import person_fields
from tripleaim.phm.segments.rules import assign_segments, default_rules

title = "Population segments"

INDEX = date(2024, 4, 1)

TABLES = {
    "persons": """
        person_id | sex | date_of_birth | practice_code | registration_start | registration_end | lsoa_code | ethnic_group
        1         | F   | 1930-01-01    | A81001        | 2000-01-01         | |           | A
        2         | M   | 1950-01-01    | A81001        | 2000-01-01         | |           | A
        3         | F   | 1995-01-01    | A81002        | 2000-01-01         | |           | A
        4         | M   | 1990-01-01    | A81002        | 2000-01-01         | |           | A
        5         | M   | 1990-01-01    | A81002        | 2000-01-01         | |           | A
        6         | M   | 1990-01-01    | A81002        | 2000-01-01         | 2020-01-01 |           | A
    """,
    "deaths": """
        person_id | date_of_death
    """,
    "lsoas": """
        lsoa_code | imd_decile
    """,
    "conditions": """
        person_id | condition      | diagnosis_date
        1         | dementia       | 2020-01-01
        1         | heart_failure  | 2020-01-01
        2         | heart_failure  | 2020-01-01
        2         | cancer         | 2020-01-01
        5         | dementia       | 2025-01-01
    """,
    "inpatient_spells": """
        spell_id | person_id | admission_date | admission_method | primary_diagnosis | secondary_diagnoses | cost_gbp
        1        | 3         | 2023-09-01     | maternity        | O800              |                     | 2000.0
        2        | 4         | 2023-10-01     | emergency        | J181              |                     | 3000.0
        3        | 4         | 2022-10-01     | emergency        | J181              |                     | 9999.0
    """,
    "ae_attendances": """
        attendance_id | person_id | arrival_time
    """,
    "outpatient_appointments": """
        appointment_id | person_id | appointment_date | attendance_status | cost_gbp
        1              | 2         | 2024-01-01       | attended          | 150.0
    """,
    "prescribing": """
        person_id | period_start | bnf_section | items | cost_gbp
        2         | 2023-05-01   | 0206        | 1     | 20.5
        2         | 2024-04-01   | 0206        | 1     | 99.0
    """,
}


def test_first_matching_segment_wins_and_spend_is_the_year_before(spec_test):
    def query(t):
        assigned = assign_segments(person_fields(vars(t), INDEX), default_rules())
        return assigned.select(
            "person_id", "segment", "segment_order", "segment_rule", "total_cost"
        )

    spec_test(
        TABLES,
        query,
        [
            # dementia and heart failure: Frailty comes first
            {
                "person_id": 1,
                "segment": "frailty",
                "segment_order": 1,
                "segment_rule": "dementia",
                "total_cost": 0.0,
            },
            # heart failure before cancer; 150 outpatient + 20.5 prescribing
            {
                "person_id": 2,
                "segment": "limited_reserve",
                "segment_order": 2,
                "segment_rule": "heart_failure",
                "total_cost": 150.0 + 20.5,
            },
            {
                "person_id": 3,
                "segment": "maternity",
                "segment_order": 6,
                "segment_rule": "sex = F and maternity_admissions > 0",
                "total_cost": 2000.0,
            },
            # the 2022 admission is outside the year
            {
                "person_id": 4,
                "segment": "acutely_ill",
                "segment_order": 7,
                "segment_rule": "emergency_admissions > 0",
                "total_cost": 3000.0,
            },
            # dementia diagnosed after the index date does not count
            {
                "person_id": 5,
                "segment": "healthy",
                "segment_order": 8,
                "segment_rule": "otherwise",
                "total_cost": 0.0,
            },
        ],
        tolerance=1e-9,
    )
