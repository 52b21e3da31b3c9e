"""Outpatient attendances and DNA rate.

First and follow-up attendances count attended appointments only. The DNA rate is
did-not-attends over attended and did-not-attend appointments; cancelled
appointments count in neither, and the rate is missing when nothing was attended
or missed.
"""

from tripleaim.warehouse.queries import outpatient_activity

title = "Outpatient attendances and DNA rate"

PERSONS = """
    person_id | practice_code
    1         | A81001
    2         | A81002
"""


def test_dna_rate_is_dnas_over_attended_and_missed_appointments(spec_test):
    spec_test(
        {
            "persons": PERSONS,
            "outpatient_appointments": """
                appointment_id | person_id | appointment_date | first_attendance | attendance_status     | cost_gbp
                1              | 1         | 2023-05-01       | T                | attended              | 150.0
                2              | 1         | 2023-06-01       | F                | attended              | 100.0
                3              | 1         | 2023-07-01       | F                | did_not_attend        | 0.0
                4              | 1         | 2023-08-01       | F                | cancelled_by_patient  | 0.0
                5              | 2         | 2023-05-01       | T                | cancelled_by_provider | 0.0
            """,
        },
        lambda t: outpatient_activity(t.outpatient_appointments, t.persons),
        [
            {
                "practice_code": "A81001",
                "financial_year": "2023/24",
                "appointments": 4,
                "first_attendances": 1,
                "follow_up_attendances": 1,
                "dna": 1,
                "dna_rate": 1 / (1 + 1 + 1),
                "cost_gbp": 150.0 + 100.0,
            },
            {
                "practice_code": "A81002",
                "financial_year": "2023/24",
                "appointments": 1,
                "first_attendances": 0,
                "follow_up_attendances": 0,
                "dna": 0,
                "dna_rate": None,
                "cost_gbp": 0.0,
            },
        ],
        tolerance=1e-9,
    )


def test_appointments_with_no_recorded_status_count_as_zero_attendances_not_missing(
    spec_test,
):
    # Ibis counts with SUM(CAST(condition AS BIGINT)) on Spark, which is null when
    # the condition is null on every row; DuckDB's COUNT FILTER gives 0.
    spec_test(
        {
            "persons": PERSONS,
            "outpatient_appointments": """
                appointment_id | person_id | appointment_date | first_attendance | attendance_status | cost_gbp
                1              | 1         | 2023-05-01       | T                |                   | 0.0
                2              | 1         | 2023-06-01       |                  |                   | 0.0
            """,
        },
        lambda t: outpatient_activity(t.outpatient_appointments, t.persons),
        [
            {
                "practice_code": "A81001",
                "financial_year": "2023/24",
                "appointments": 2,
                "first_attendances": 0,
                "follow_up_attendances": 0,
                "dna": 0,
                "dna_rate": None,
                "cost_gbp": 0.0,
            },
        ],
    )
