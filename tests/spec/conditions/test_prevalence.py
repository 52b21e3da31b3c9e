"""Recorded prevalence.

Recorded prevalence is the people registered on a date with the condition first
diagnosed on or before it, over everyone registered on that date. Every practice
with a registered person appears, with a register of 0 when nobody has the
condition.
"""

from datetime import date

from tripleaim.warehouse.queries import recorded_prevalence

title = "Recorded prevalence"


def test_prevalence_counts_diagnoses_by_the_date_among_people_registered_on_it(
    spec_test,
):
    spec_test(
        {
            "persons": """
                person_id | date_of_birth | practice_code | registration_start | registration_end
                1         | 1950-01-01    | A81001        | 2000-01-01         |
                2         | 1950-01-01    | A81001        | 2000-01-01         |
                3         | 1950-01-01    | A81001        | 2000-01-01         |
                4         | 1950-01-01    | A81001        | 2000-01-01         | 2020-01-01
                5         | 1950-01-01    | A81002        | 2000-01-01         |
                6         | 1950-01-01    | A81002        | 2000-01-01         |
                7         | 1950-01-01    | A81003        | 2000-01-01         |
            """,
            "conditions": """
                person_id | condition | diagnosis_date
                1         | diabetes  | 2010-05-01
                2         | diabetes  | 2024-04-01
                3         | asthma    | 2015-01-01
                4         | diabetes  | 2012-01-01
                6         | diabetes  | 2024-03-31
            """,
        },
        lambda t: recorded_prevalence(
            t.persons, t.conditions, "diabetes", date(2024, 3, 31)
        ),
        [
            # 2 is diagnosed the day after, 3 has asthma, 4 has left the practice
            {
                "practice_code": "A81001",
                "register": 1,
                "population": 3,
                "prevalence": 1 / 3,
            },
            # 6 is diagnosed on the day itself
            {
                "practice_code": "A81002",
                "register": 1,
                "population": 2,
                "prevalence": 1 / 2,
            },
            {
                "practice_code": "A81003",
                "register": 0,
                "population": 1,
                "prevalence": 0.0,
            },
        ],
        tolerance=1e-9,
    )
