"""Registered population by PCN, place and deprivation.

A practice's population rolls up to its primary care network and place through the
organisation hierarchy; a person's LSOA gives their district and IMD 2019 decile.
People whose practice or LSOA is not in the reference tables are counted with no
area, so the areas still add up to everyone.
"""

from datetime import date

from tripleaim.warehouse.queries import registered_population_by_area

title = "Registered population by PCN, place and deprivation"

TABLES = {
    "organisations": """
        org_code | org_type | parent_code | place_code | icb_code
        QHM      | icb      |             |            | QHM
        U00001   | pcn      | E06000047   | E06000047  | QHM
        A81001   | practice | U00001      | E06000047  | QHM
        A81002   | practice | U00001      | E06000047  | QHM
        A81003   | practice | U00002      | E06000057  | QHM
    """,
    "lsoas": """
        lsoa_code | lad_code  | place_code | imd_decile
        E01000001 | E06000047 | E06000047  | 1
        E01000002 | E06000047 | E06000047  | 5
        E01000003 | E08000021 | E08000021  | 1
    """,
    "persons": """
        person_id | date_of_birth | practice_code | lsoa_code | registration_start | registration_end
        1         | 1980-01-01    | A81001        | E01000001 | 2010-01-01         |
        2         | 1980-01-01    | A81001        | E01000001 | 2010-01-01         |
        3         | 1980-01-01    | A81002        | E01000002 | 2010-01-01         |
        4         | 1980-01-01    | A81003        | E01000003 | 2010-01-01         |
        5         | 1980-01-01    | A81003        | E01000003 | 2010-01-01         |
        6         | 1980-01-01    | Y99999        | E01099999 | 2010-01-01         |
    """,
}


def test_practices_roll_up_to_their_primary_care_network(spec_test):
    spec_test(
        TABLES,
        lambda t: registered_population_by_area(
            t.persons, t.organisations, t.lsoas, date(2024, 1, 1), level="pcn"
        ),
        {None: 1, "U00001": 2 + 1, "U00002": 2},
    )


def test_practices_roll_up_to_their_place(spec_test):
    spec_test(
        TABLES,
        lambda t: registered_population_by_area(
            t.persons, t.organisations, t.lsoas, date(2024, 1, 1), level="place"
        ),
        {None: 1, "E06000047": 2 + 1, "E06000057": 2},
    )


def test_residents_are_counted_by_the_deprivation_decile_of_their_lsoa(spec_test):
    spec_test(
        TABLES,
        lambda t: registered_population_by_area(
            t.persons, t.organisations, t.lsoas, date(2024, 1, 1), level="imd_decile"
        ),
        {None: 1, 1: 2 + 2, 5: 1},
    )
