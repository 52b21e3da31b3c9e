"""Warehouse coverage.

``tripleaim info`` shows each table's row count and the first and last date of its
main date column (a timestamp counts by its date). Undated and empty tables have
no dates.
"""

from datetime import date

from tripleaim.warehouse.queries import warehouse_coverage

title = "Warehouse coverage"


def test_coverage_gives_each_tables_rows_and_the_span_of_its_main_date(spec_test):
    spec_test(
        {
            "persons": """
                person_id | registration_start
                1         | 2010-01-01
                2         | 2023-06-30
            """,
            "ae_attendances": """
                attendance_id | arrival_time
                1             | 2023-04-01 00:30:00
                2             | 2024-03-31 23:59:00
            """,
            "inpatient_spells": """
                spell_id | admission_date
            """,
            "organisations": """
                org_code
                A81001
                A81002
                U00001
            """,
        },
        lambda t: warehouse_coverage(
            {
                "persons": t.persons,
                "ae_attendances": t.ae_attendances,
                "inpatient_spells": t.inpatient_spells,
                "organisations": t.organisations,
            }
        ),
        [
            {
                "table_name": "ae_attendances",
                "rows": 2,
                "min_date": date(2023, 4, 1),
                "max_date": date(2024, 3, 31),
            },
            {
                "table_name": "inpatient_spells",
                "rows": 0,
                "min_date": None,
                "max_date": None,
            },
            {
                "table_name": "organisations",
                "rows": 3,
                "min_date": None,
                "max_date": None,
            },
            {
                "table_name": "persons",
                "rows": 2,
                "min_date": date(2010, 1, 1),
                "max_date": date(2023, 6, 30),
            },
        ],
    )
