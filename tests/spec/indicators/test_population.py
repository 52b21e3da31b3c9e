"""Registered population and condition registers.

Rates divide by the people on practice lists on 30 September, the middle of the
financial year; a register counts people on lists on 31 March with the condition
first recorded on or before that day, as the Quality and Outcomes Framework counts
them. Ages are whole years on the count date, both limits included.
"""

from tests.spec.indicators.support import YEARS, count, with_reference
from tripleaim.indicators.pipelines import measure_total

title = "Registered population and registers"

PERSONS = """
    person_id | sex | date_of_birth | practice_code | lsoa_code | registration_start | registration_end
    1         | F   | 2005-09-30    | A81001        | E01000001 | 2010-01-01         |
    2         | M   | 2005-10-01    | A81001        | E01000001 | 2010-01-01         |
    3         | F   | 1950-01-01    | A81001        | E01000002 | 2010-01-01         | 2022-09-30
    4         | M   | 1950-01-01    | A81002        | E01000002 | 2023-09-30         |
    5         | F   | 2023-01-01    | A81003        | E01000001 | 2023-01-01         |
"""


def test_people_count_on_30_september_and_age_limits_include_both_ends(spec_test):
    spec_test(
        with_reference({"persons": PERSONS}),
        lambda t: measure_total(
            vars(t),
            count(table="registered_population", where={"age_max": 17}),
            YEARS,
        ),
        [
            # 2022-09-30: 1 turns 17 that day, 2 is 16; 3 left that day; 5 is unborn
            {"area_code": "A81001", "period": "2022/23", "value": 2},
            # 2023-09-30: 1 turns 18 that day, 2 is still 17; 4 (73) is listed but
            # over the limit, so the practice counts 0; 5 is nine months old
            {"area_code": "A81001", "period": "2023/24", "value": 1},
            {"area_code": "A81002", "period": "2023/24", "value": 0},
            {"area_code": "A81003", "period": "2023/24", "value": 1},
        ],
    )


def test_people_whose_registration_ends_on_the_count_date_are_not_counted(spec_test):
    spec_test(
        with_reference({"persons": PERSONS}),
        lambda t: measure_total(
            vars(t),
            count(table="registered_population", where={"age_min": 65}),
            YEARS,
        ),
        # 3 left on 2022-09-30; 4 joined on 2023-09-30 and counts that day
        [
            {"area_code": "A81001", "period": "2022/23", "value": 0},
            {"area_code": "A81001", "period": "2023/24", "value": 0},
            {"area_code": "A81002", "period": "2023/24", "value": 1},
            {"area_code": "A81003", "period": "2023/24", "value": 0},
        ],
    )


def test_a_register_counts_diagnoses_by_31_march_among_people_listed_then(spec_test):
    spec_test(
        with_reference(
            {
                "persons": PERSONS,
                "conditions": """
                    person_id | condition    | diagnosis_date
                    1         | diabetes     | 2023-03-31
                    2         | diabetes     | 2023-04-01
                    4         | diabetes     | 2010-01-01
                    4         | hypertension | 2010-01-01
                    5         | hypertension | 2023-02-01
                """,
            }
        ),
        lambda t: measure_total(
            vars(t),
            count(
                table="registered_population",
                at="year_end",
                where={"condition": "diabetes", "age_min": 17},
            ),
            YEARS,
        ),
        [
            # 31 March 2023: 1 is 17 and diagnosed that day; 2 (16) is not yet; nobody
            # is on A81002's list, so it has no row
            {"area_code": "A81001", "period": "2022/23", "value": 1},
            {"area_code": "A81003", "period": "2022/23", "value": 0},
            # 31 March 2024: 2 is 18 and diagnosed; 4 has registered
            {"area_code": "A81001", "period": "2023/24", "value": 2},
            {"area_code": "A81002", "period": "2023/24", "value": 1},
            {"area_code": "A81003", "period": "2023/24", "value": 0},
        ],
    )
