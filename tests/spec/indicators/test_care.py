"""A&E attendances, outpatient appointments and prescribing.

A&E attendances count by the date of arrival; outpatient appointments by status
and whether they are first or follow-up; prescribing sums items or cost over the
months of the year, for BNF sections given as prefixes (``06`` is chapter 6).
"""

from tests.spec.indicators.support import YEARS, count, with_reference
from tripleaim.indicators.pipelines import measure_total

title = "A&E, outpatients and prescribing"

PERSONS = """
    person_id | sex | date_of_birth | practice_code | lsoa_code
    1         | F   | 1950-01-01    | A81001        | E01000001
    2         | M   | 1980-01-01    | A81002        | E01000002
"""


def test_four_hour_breaches_count_by_the_day_of_arrival(spec_test):
    spec_test(
        with_reference(
            {
                "persons": PERSONS,
                "ae_attendances": """
                    attendance_id | person_id | arrival_time        | breach_4h
                    1             | 1         | 2023-03-31 23:30:00 | T
                    2             | 1         | 2023-04-01 00:10:00 | T
                    3             | 1         | 2023-04-02 10:00:00 | F
                """,
            }
        ),
        lambda t: measure_total(
            vars(t), count(table="ae_attendances", where={"breach_4h": True}), YEARS
        ),
        [
            {"area_code": "A81001", "period": "2022/23", "value": 1},
            {"area_code": "A81001", "period": "2023/24", "value": 1},
        ],
    )


def test_follow_ups_count_attended_appointments_only(spec_test):
    spec_test(
        with_reference(
            {
                "persons": PERSONS,
                "outpatient_appointments": """
                    appointment_id | person_id | appointment_date | first_attendance | attendance_status
                    1              | 2         | 2022-05-01       | T                | attended
                    2              | 2         | 2022-06-01       | F                | attended
                    3              | 2         | 2022-07-01       | F                | did_not_attend
                    4              | 2         | 2022-08-01       | F                | attended
                """,
            }
        ),
        lambda t: measure_total(
            vars(t),
            count(
                table="outpatient_appointments",
                where={"first_attendance": False, "attendance_status": ["attended"]},
            ),
            YEARS,
        ),
        [{"area_code": "A81002", "period": "2022/23", "value": 2}],
    )


def test_prescribing_sums_items_of_the_sections_named(spec_test):
    spec_test(
        with_reference(
            {
                "persons": PERSONS,
                "prescribing": """
                    person_id | period_start | bnf_section | items | cost_gbp
                    1         | 2022-04-01   | 0601        | 3     | 30.0
                    1         | 2022-05-01   | 0602        | 2     | 12.5
                    1         | 2022-05-01   | 0212        | 4     | 8.0
                    1         | 2024-04-01   | 0601        | 9     | 90.0
                """,
            }
        ),
        lambda t: measure_total(
            vars(t),
            count(table="prescribing", measure="items", where={"bnf_section": ["06"]}),
            YEARS,
        ),
        [{"area_code": "A81001", "period": "2022/23", "value": 3 + 2}],
    )
