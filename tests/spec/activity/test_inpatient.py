"""Inpatient spells.

Spells count in the practice of their person and the period of admission. Bed days
are the sum of lengths of stay, so a day case adds none. Spells of people not in
``persons`` count with no practice.
"""

from datetime import date

from tripleaim.warehouse.queries import emergency_admissions, inpatient_activity

title = "Inpatient spells"

PERSONS = """
    person_id | practice_code
    1         | A81001
    2         | A81002
    3         | A81002
"""


def test_emergency_admissions_are_counted_by_practice_and_financial_year(spec_test):
    spec_test(
        {
            "persons": PERSONS,
            "inpatient_spells": """
                spell_id | person_id | admission_date | admission_method
                1        | 1         | 2023-03-31     | emergency
                2        | 1         | 2023-04-01     | emergency
                3        | 2         | 2023-05-01     | emergency
                4        | 2         | 2023-06-01     | elective
                5        | 3         | 2023-06-02     | emergency
                6        | 9         | 2023-07-01     | emergency
            """,
        },
        lambda t: emergency_admissions(t.inpatient_spells, t.persons),
        [
            {
                "practice_code": None,
                "financial_year": "2023/24",
                "emergency_admissions": 1,
            },
            {
                "practice_code": "A81001",
                "financial_year": "2022/23",
                "emergency_admissions": 1,
            },
            {
                "practice_code": "A81001",
                "financial_year": "2023/24",
                "emergency_admissions": 1,
            },
            {
                "practice_code": "A81002",
                "financial_year": "2023/24",
                "emergency_admissions": 2,
            },
        ],
    )


def test_bed_days_mean_length_of_stay_and_cost_are_given_by_month_and_admission_method(
    spec_test,
):
    spec_test(
        {
            "persons": PERSONS,
            "inpatient_spells": """
                spell_id | person_id | admission_date | admission_method | day_case | length_of_stay | cost_gbp
                1        | 1         | 2023-04-03     | elective         | T        | 0              | 800.0
                2        | 1         | 2023-04-20     | emergency        | F        | 3              | 2500.5
                3        | 1         | 2023-04-28     | emergency        | F        | 6              | 4000.25
                4        | 1         | 2023-05-02     | emergency        | F        | 1              | 1200.0
            """,
        },
        lambda t: inpatient_activity(
            t.inpatient_spells, t.persons, period="month", by=("admission_method",)
        ),
        [
            {
                "practice_code": "A81001",
                "month": date(2023, 4, 1),
                "admission_method": "elective",
                "spells": 1,
                "bed_days": 0,
                "mean_length_of_stay": 0.0,
                "cost_gbp": 800.0,
            },
            {
                "practice_code": "A81001",
                "month": date(2023, 4, 1),
                "admission_method": "emergency",
                "spells": 2,
                "bed_days": 3 + 6,
                "mean_length_of_stay": (3 + 6) / 2,
                "cost_gbp": 2500.5 + 4000.25,
            },
            {
                "practice_code": "A81001",
                "month": date(2023, 5, 1),
                "admission_method": "emergency",
                "spells": 1,
                "bed_days": 1,
                "mean_length_of_stay": 1.0,
                "cost_gbp": 1200.0,
            },
        ],
        tolerance=1e-9,
    )
