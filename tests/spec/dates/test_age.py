"""Age at a date.

Age is counted in whole years and goes up on the birthday itself. Someone born on
29 February turns a year older on 1 March in a common year.
"""

from datetime import date

from tripleaim.warehouse.queries import age_at

title = "Age at a date"


def test_age_goes_up_on_the_birthday_and_not_the_day_before(spec_test):
    spec_test(
        {
            "persons": """
                person_id | date_of_birth
                1         | 1990-06-15
                2         | 1990-06-14
                3         | 2024-06-14
                4         | 2023-06-15
                5         |
            """,
        },
        lambda t: t.persons.select(
            "person_id", age=age_at(t.persons.date_of_birth, date(2024, 6, 14))
        ),
        {
            1: 2024 - 1990 - 1,
            2: 2024 - 1990,
            3: 0,
            4: 0,
            5: None,
        },
    )


def test_someone_born_on_29_february_turns_a_year_older_on_1_march_in_a_common_year(
    spec_test,
):
    spec_test(
        {
            "persons": """
                person_id | date_of_birth | registration_start
                1         | 2000-02-29    | 2023-02-28
                2         | 2000-02-29    | 2023-03-01
                3         | 2000-02-29    | 2024-02-28
                4         | 2000-02-29    | 2024-02-29
                5         | 2003-03-01    | 2024-02-29
            """,
        },
        lambda t: t.persons.select(
            "person_id",
            age=age_at(t.persons.date_of_birth, t.persons.registration_start),
        ),
        {
            1: 22,
            2: 23,
            3: 23,
            4: 24,
            5: 20,
        },
    )
