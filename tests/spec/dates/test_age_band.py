"""Five-year age bands.

Ages fall into the bands of the 2013 European Standard Population: 0-4, 5-9 ...
85-89, and 90+ for everyone aged 90 or over.
"""

from datetime import date

from tripleaim.warehouse.queries import age_at, age_band

title = "Five-year age bands"


def test_ages_fall_into_five_year_bands_with_everyone_90_and_over_together(spec_test):
    def query(t):
        age = age_at(t.persons.date_of_birth, date(2024, 1, 1))
        return t.persons.select("person_id", age=age, age_band=age_band(age))

    spec_test(
        {
            "persons": """
                person_id | date_of_birth
                1         | 2023-06-01
                2         | 2019-01-02
                3         | 2019-01-01
                4         | 1934-01-02
                5         | 1934-01-01
                6         | 1919-07-01
                7         | 2024-06-01
            """,
        },
        query,
        [
            {"person_id": 1, "age": 0, "age_band": "0-4"},
            {"person_id": 2, "age": 4, "age_band": "0-4"},
            {"person_id": 3, "age": 5, "age_band": "5-9"},
            {"person_id": 4, "age": 89, "age_band": "85-89"},
            {"person_id": 5, "age": 90, "age_band": "90+"},
            {"person_id": 6, "age": 104, "age_band": "90+"},
            {"person_id": 7, "age": -1, "age_band": None},
        ],
    )
