"""Deaths and births.

Deaths count in the areas of the person who died and births in the areas of the
mother. Low birth weight counts live births under 2,500 g.
"""

from tripleaim.warehouse.queries import birth_counts, death_counts, person_areas

title = "Deaths and births"


def test_deaths_roll_up_to_the_primary_care_network_of_the_practice(spec_test):
    spec_test(
        {
            "organisations": """
                org_code | org_type | parent_code | place_code | icb_code
                A81001   | practice | U00001      | E06000047  | QHM
                A81002   | practice | U00001      | E06000047  | QHM
                A81003   | practice | U00002      | E06000057  | QHM
            """,
            "lsoas": """
                lsoa_code | lad_code  | place_code | imd_decile
                E01000001 | E06000047 | E06000047  | 1
            """,
            "persons": """
                person_id | practice_code | lsoa_code
                1         | A81001        | E01000001
                2         | A81002        | E01000001
                3         | A81003        | E01000001
            """,
            "deaths": """
                person_id | date_of_death
                1         | 2023-03-31
                2         | 2023-04-01
                3         | 2023-04-02
            """,
        },
        lambda t: death_counts(
            t.deaths, person_areas(t.persons, t.organisations, t.lsoas), level="pcn"
        ),
        [
            {"pcn_code": "U00001", "financial_year": "2022/23", "deaths": 1},
            {"pcn_code": "U00001", "financial_year": "2023/24", "deaths": 1},
            {"pcn_code": "U00002", "financial_year": "2023/24", "deaths": 1},
        ],
    )


def test_births_count_in_the_mothers_practice_with_low_birth_weight_under_2500_g(
    spec_test,
):
    spec_test(
        {
            "persons": """
                person_id | practice_code
                1         | A81001
                2         | A81002
            """,
            "births": """
                birth_id | mother_person_id | birth_date | outcome | birth_weight_g
                1        | 1                | 2023-04-10 | live    | 3400
                2        | 1                | 2023-05-10 | live    | 2499
                3        | 2                | 2023-06-10 | still   | 1800
                4        | 2                | 2023-07-10 | live    | 2500
            """,
        },
        lambda t: birth_counts(t.births, t.persons),
        [
            {
                "practice_code": "A81001",
                "financial_year": "2023/24",
                "live_births": 2,
                "stillbirths": 0,
                "low_birth_weight_births": 1,
            },
            {
                "practice_code": "A81002",
                "financial_year": "2023/24",
                "live_births": 1,
                "stillbirths": 1,
                "low_birth_weight_births": 0,
            },
        ],
    )
