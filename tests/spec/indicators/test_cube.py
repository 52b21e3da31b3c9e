"""Counts by area level, deprivation and age: the aggregates a profile reads.

Each count is made once per practice and rolled up the organisation hierarchy:
a PCN, place or ICB count is the sum of its practices'. Below area and year a
count can be split by the IMD 2019 decile of the person's LSOA (null when the LSOA
is unknown) and by life-table age group: under 1, 1-4, then five-year groups to 90+.
"""

from tests.spec.indicators.support import YEARS, count, with_reference
from tripleaim.indicators.pipelines import area_dimension, count_cube

title = "Roll-up, deprivation and age groups"

PERSONS = """
    person_id | sex | date_of_birth | practice_code | lsoa_code | registration_start | registration_end
    1         | F   | 2022-01-01    | A81001        | E01000001 | 2022-01-01         |
    2         | M   | 2018-06-01    | A81001        | E01000002 | 2018-06-01         |
    3         | F   | 1930-01-01    | A81002        | E01000002 | 2000-01-01         |
    4         | M   | 1980-01-01    | A81003        | E01099999 | 2000-01-01         |
    5         | M   | 1980-01-01    | Y99999        | E01000001 | 2000-01-01         |
"""

POPULATION = {"people": count(table="registered_population")}


def test_practices_roll_up_to_pcn_place_and_system(spec_test):
    spec_test(
        with_reference({"persons": PERSONS}),
        lambda t: count_cube(
            vars(t), "registered_population_mid_year", POPULATION, ["2022/23"], by=()
        ),
        [
            {
                "area_level": "practice",
                "area_code": "A81001",
                "period": "2022/23",
                "people": 2,
            },
            {
                "area_level": "practice",
                "area_code": "A81002",
                "period": "2022/23",
                "people": 1,
            },
            {
                "area_level": "practice",
                "area_code": "A81003",
                "period": "2022/23",
                "people": 1,
            },
            # Y99999 is not in the organisation hierarchy: a practice, but in no PCN
            {
                "area_level": "practice",
                "area_code": "Y99999",
                "period": "2022/23",
                "people": 1,
            },
            {
                "area_level": "pcn",
                "area_code": "U00001",
                "period": "2022/23",
                "people": 2 + 1,
            },
            {
                "area_level": "pcn",
                "area_code": "U00002",
                "period": "2022/23",
                "people": 1,
            },
            {
                "area_level": "place",
                "area_code": "E06000047",
                "period": "2022/23",
                "people": 2 + 1,
            },
            {
                "area_level": "place",
                "area_code": "E06000057",
                "period": "2022/23",
                "people": 1,
            },
            {
                "area_level": "icb",
                "area_code": "QHM",
                "period": "2022/23",
                "people": 2 + 1 + 1,
            },
        ],
    )


def test_counts_split_by_deprivation_decile_and_life_table_age_group(spec_test):
    spec_test(
        with_reference({"persons": PERSONS}),
        lambda t: count_cube(
            vars(t),
            "registered_population_mid_year",
            POPULATION,
            ["2022/23"],
            levels=("place",),
        ),
        [
            # on 2022-09-30: 1 is 0, 2 is 4, 3 is 92
            {
                "area_level": "place",
                "area_code": "E06000047",
                "period": "2022/23",
                "imd_decile": 1,
                "age_group": "0",
                "people": 1,
            },
            {
                "area_level": "place",
                "area_code": "E06000047",
                "period": "2022/23",
                "imd_decile": 10,
                "age_group": "1-4",
                "people": 1,
            },
            {
                "area_level": "place",
                "area_code": "E06000047",
                "period": "2022/23",
                "imd_decile": 10,
                "age_group": "90+",
                "people": 1,
            },
            # 4 lives in an LSOA the lookup does not hold
            {
                "area_level": "place",
                "area_code": "E06000057",
                "period": "2022/23",
                "imd_decile": None,
                "age_group": "40-44",
                "people": 1,
            },
        ],
    )


def test_several_measures_of_one_source_are_counted_in_one_pass(spec_test):
    spec_test(
        with_reference({"persons": PERSONS}),
        lambda t: count_cube(
            vars(t),
            "registered_population_mid_year",
            {
                "under_5": count(table="registered_population", where={"age_max": 4}),
                "women": count(table="registered_population", where={"sex": "F"}),
            },
            YEARS,
            levels=("icb",),
            by=(),
        ),
        [
            {
                "area_level": "icb",
                "area_code": "QHM",
                "period": "2022/23",
                "under_5": 2,
                "women": 2,
            },
            # 2 turns 5 on 2023-06-01
            {
                "area_level": "icb",
                "area_code": "QHM",
                "period": "2023/24",
                "under_5": 1,
                "women": 2,
            },
        ],
    )


def test_the_area_dimension_lists_every_practice_and_the_areas_above_it(spec_test):
    spec_test(
        with_reference({"persons": PERSONS}),
        lambda t: area_dimension(t.persons, t.organisations),
        [
            {"area_level": "practice", "area_code": "A81001"},
            {"area_level": "practice", "area_code": "A81002"},
            {"area_level": "practice", "area_code": "A81003"},
            {"area_level": "practice", "area_code": "Y99999"},
            {"area_level": "pcn", "area_code": "U00001"},
            {"area_level": "pcn", "area_code": "U00002"},
            {"area_level": "place", "area_code": "E06000047"},
            {"area_level": "place", "area_code": "E06000057"},
            {"area_level": "icb", "area_code": "QHM"},
        ],
    )
