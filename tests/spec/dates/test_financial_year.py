"""Financial years and months.

The NHS financial year runs from 1 April to 31 March and is labelled '2022/23'.
A timestamp counts in the financial year and month of its date.
"""

from datetime import date

from tripleaim.warehouse.queries import financial_year, month_start

title = "Financial years and months"


def test_31_march_ends_a_financial_year_and_1_april_starts_the_next(spec_test):
    spec_test(
        {
            "inpatient_spells": """
                spell_id | admission_date
                1        | 2023-03-31
                2        | 2023-04-01
                3        | 1999-04-01
                4        | 2000-01-15
                5        |
            """,
        },
        lambda t: t.inpatient_spells.select(
            "spell_id", financial_year=financial_year(t.inpatient_spells.admission_date)
        ),
        {
            1: "2022/23",
            2: "2023/24",
            3: "1999/00",
            4: "1999/00",
            5: None,
        },
    )


def test_a_timestamp_counts_in_the_financial_year_and_month_of_its_date(spec_test):
    spec_test(
        {
            "ae_attendances": """
                attendance_id | arrival_time
                1             | 2023-03-31 23:59:59
                2             | 2023-04-01 00:00:00
            """,
        },
        lambda t: t.ae_attendances.select(
            "attendance_id",
            financial_year=financial_year(t.ae_attendances.arrival_time),
            month=month_start(t.ae_attendances.arrival_time),
        ),
        [
            {
                "attendance_id": 1,
                "financial_year": "2022/23",
                "month": date(2023, 3, 1),
            },
            {
                "attendance_id": 2,
                "financial_year": "2023/24",
                "month": date(2023, 4, 1),
            },
        ],
    )
