"""Deaths and births.

Deaths count in the areas of the person who died, by underlying cause and age at
death; ``age_under_days`` counts deaths fewer than that many days after birth
(neonatal deaths: under 28 days). Births count in the areas of the mother, with her
age at delivery; weight and gestation filter the babies.
"""

from tests.spec.indicators.support import YEARS, count, with_reference
from tripleaim.indicators.pipelines import measure_total

title = "Deaths and births"

PERSONS = """
    person_id | sex | date_of_birth | practice_code | lsoa_code
    1         | M   | 1948-05-01    | A81001        | E01000001
    2         | F   | 1960-01-01    | A81001        | E01000001
    3         | M   | 2022-06-01    | A81002        | E01000002
    4         | F   | 2022-06-01    | A81002        | E01000002
    5         | F   | 2006-01-01    | A81003        | E01000001
    6         | F   | 1990-01-01    | A81003        | E01000001
"""


def test_premature_deaths_are_under_75_on_the_day_of_death_with_the_cause_in_range(
    spec_test,
):
    spec_test(
        with_reference(
            {
                "persons": PERSONS,
                "deaths": """
                    person_id | date_of_death | underlying_cause
                    1         | 2023-04-30    | I219
                    2         | 2023-05-01    | C349
                """,
            }
        ),
        lambda t: measure_total(
            vars(t),
            count(
                table="deaths",
                where={"age_max": 74, "underlying_cause": ["I00-I99", "C00-C97"]},
            ),
            YEARS,
        ),
        # 1 dies the day before his 75th birthday
        [{"area_code": "A81001", "period": "2023/24", "value": 1 + 1}],
    )


def test_neonatal_deaths_are_fewer_than_28_days_after_birth(spec_test):
    spec_test(
        with_reference(
            {
                "persons": PERSONS,
                "deaths": """
                    person_id | date_of_death | underlying_cause
                    3         | 2022-06-28    | P071
                    4         | 2022-06-29    | P071
                """,
            }
        ),
        lambda t: measure_total(
            vars(t), count(table="deaths", where={"age_under_days": 28}), YEARS
        ),
        # 3 dies on day 27 of life, 4 on day 28
        [{"area_code": "A81002", "period": "2022/23", "value": 1}],
    )


def test_low_birth_weight_term_births_count_in_the_mothers_practice(spec_test):
    spec_test(
        with_reference(
            {
                "persons": PERSONS,
                "births": """
                    birth_id | mother_person_id | birth_date | outcome | birth_weight_g | gestation_weeks
                    1        | 6                | 2022-06-01 | live    | 2499           | 37
                    2        | 6                | 2022-07-01 | live    | 2500           | 40
                    3        | 6                | 2022-08-01 | live    | 2100           | 36
                    4        | 6                | 2022-09-01 | still   | 1900           | 38
                """,
            }
        ),
        lambda t: measure_total(
            vars(t),
            count(
                table="births",
                where={
                    "outcome": "live",
                    "gestation_weeks_min": 37,
                    "birth_weight_under_g": 2500,
                },
            ),
            YEARS,
        ),
        # only 1: 2 weighs 2,500 g, 3 is preterm, 4 is stillborn
        [{"area_code": "A81003", "period": "2022/23", "value": 1}],
    )


def test_the_mothers_age_at_delivery_places_a_birth_in_an_age_range(spec_test):
    spec_test(
        with_reference(
            {
                "persons": PERSONS,
                "births": """
                    birth_id | mother_person_id | birth_date | outcome
                    1        | 5                | 2022-12-31 | live
                    2        | 5                | 2026-01-01 | live
                    3        | 6                | 2023-01-01 | live
                """,
            }
        ),
        lambda t: measure_total(
            vars(t),
            count(
                table="births", where={"outcome": "live", "age_min": 15, "age_max": 19}
            ),
            ["2022/23", "2025/26"],
        ),
        [
            {"area_code": "A81003", "period": "2022/23", "value": 1},
            # 5 turns 20 on the day of her second baby
            {"area_code": "A81003", "period": "2025/26", "value": 0},
        ],
    )
