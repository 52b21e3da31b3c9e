"""Registered population at a date.

A person counts on a date when their registration began on or before it, had not
ended by it and they were born by then. A practice with nobody registered has no
row.
"""

from datetime import date

from tripleaim.warehouse.queries import mid_year_population, registered_population

title = "Registered population at a date"


def test_population_excludes_people_not_yet_registered_deregistered_or_unborn(
    spec_test,
):
    spec_test(
        {
            "persons": """
                person_id | date_of_birth | practice_code | registration_start | registration_end
                1         | 1980-01-01    | A81001        | 2010-01-01         |
                2         | 1980-01-01    | A81001        | 2024-04-01         |
                3         | 1980-01-01    | A81001        | 2024-04-02         |
                4         | 1980-01-01    | A81001        | 2010-01-01         | 2024-04-01
                5         | 1980-01-01    | A81001        | 2010-01-01         | 2024-04-02
                6         | 2024-05-01    | A81002        | 2024-03-01         |
                7         | 1990-01-01    | A81002        | 2000-01-01         |
            """,
        },
        lambda t: registered_population(t.persons, date(2024, 4, 1)),
        {
            # 1 registered long ago, 2 from that day, 5 leaves the next day
            "A81001": 3,
            # 6 is registered in advance but not yet born
            "A81002": 1,
        },
    )


def test_population_is_counted_by_sex_and_age_band(spec_test):
    spec_test(
        {
            "persons": """
                person_id | sex | date_of_birth | registration_start | registration_end
                1         | F   | 2020-01-01    | 2020-01-01         |
                2         | F   | 2019-06-01    | 2019-06-01         |
                3         | M   | 2019-01-01    | 2019-01-01         |
                4         | M   | 1930-01-01    | 1990-01-01         |
                5         | F   | 1930-01-01    | 1990-01-01         |
            """,
        },
        lambda t: registered_population(
            t.persons, date(2024, 1, 1), by=("sex", "age_band")
        ),
        [
            {"sex": "F", "age_band": "0-4", "population": 2},
            {"sex": "F", "age_band": "90+", "population": 1},
            {"sex": "M", "age_band": "5-9", "population": 1},
            {"sex": "M", "age_band": "90+", "population": 1},
        ],
    )


def test_mid_year_population_counts_each_financial_year_on_30_september(spec_test):
    spec_test(
        {
            "persons": """
                person_id | date_of_birth | practice_code | registration_start | registration_end
                1         | 1980-01-01    | A81001        | 2020-01-01         |
                2         | 1980-01-01    | A81001        | 2022-09-30         |
                3         | 1980-01-01    | A81001        | 2022-10-01         |
                4         | 1980-01-01    | A81002        | 2020-01-01         | 2023-09-30
            """,
        },
        lambda t: mid_year_population(t.persons, ["2022/23", "2023/24"]),
        [
            {"financial_year": "2022/23", "practice_code": "A81001", "population": 2},
            {"financial_year": "2022/23", "practice_code": "A81002", "population": 1},
            {"financial_year": "2023/24", "practice_code": "A81001", "population": 3},
        ],
    )
