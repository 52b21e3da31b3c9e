"""A&E four-hour performance.

Performance is the share of attendances that ended within four hours:
one minus breaches over attendances. An attendance counts in the financial year of
its arrival, so one arriving at 23:30 on 31 March belongs to the year that ends.
"""

from tripleaim.warehouse.queries import ae_activity

title = "A&E four-hour performance"


def test_four_hour_performance_is_one_minus_breaches_over_attendances(spec_test):
    spec_test(
        {
            "persons": """
                person_id | practice_code
                1         | A81001
                2         | A81002
            """,
            "ae_attendances": """
                attendance_id | person_id | arrival_time        | breach_4h
                1             | 1         | 2023-04-01 08:00:00 | F
                2             | 1         | 2023-04-02 09:00:00 | T
                3             | 1         | 2023-04-03 10:00:00 | F
                4             | 1         | 2023-04-04 11:00:00 | F
                5             | 2         | 2023-04-05 12:00:00 | F
                6             | 2         | 2024-03-31 23:30:00 | T
            """,
        },
        lambda t: ae_activity(t.ae_attendances, t.persons),
        [
            {
                "practice_code": "A81001",
                "financial_year": "2023/24",
                "attendances": 4,
                "breaches_4h": 1,
                "performance_4h": 1 - 1 / 4,
            },
            {
                "practice_code": "A81002",
                "financial_year": "2023/24",
                "attendances": 2,
                "breaches_4h": 1,
                "performance_4h": 1 - 1 / 2,
            },
        ],
        tolerance=1e-9,
    )
