"""National comparators: England, upper-tier authorities and ICBs.

England and upper-tier authorities (UTLAs) are read from ``national_activity`` and
``national_population`` as they are; an ICB is the sum of its sub-ICB locations.
Each measure asked for becomes a column beside the population; a measure an area
lacks counts 0.
"""

from tripleaim.indicators.national import national_cube

title = "National comparators"

TABLES = {
    "national_areas": """
        area_code | area_type | icb_code
        E92000001 | england   |
        E06000019 | utla      | QGH
        E38000001 | sub_icb   | QGH
        E38000002 | sub_icb   | QGH
        E38000003 | sub_icb   | QHM
    """,
    "national_population": """
        area_code | financial_year | sex | age_band | population
        E92000001 | 2022/23        | F   | 0-4      | 1000
        E06000019 | 2022/23        | F   | 0-4      | 100
        E38000001 | 2022/23        | F   | 0-4      | 60
        E38000002 | 2022/23        | F   | 0-4      | 40
        E38000003 | 2022/23        | F   | 0-4      | 50
        E92000001 | 2021/22        | F   | 0-4      | 990
    """,
    "national_activity": """
        area_code | financial_year | measure   | sex | age_band | value
        E92000001 | 2022/23        | deaths    | F   | 0-4      | 7
        E92000001 | 2022/23        | live_births | F | 0-4      | 999
        E06000019 | 2022/23        | deaths    | F   | 0-4      | 2
        E38000001 | 2022/23        | deaths    | F   | 0-4      | 1
        E38000002 | 2022/23        | deaths    | F   | 0-4      | 1
    """,
}


def test_icbs_are_the_sum_of_their_sub_icb_locations(spec_test):
    spec_test(
        TABLES,
        lambda t: national_cube(vars(t), ["deaths"], ["2022/23"], by=()),
        [
            {
                "comparator": "england",
                "area_code": "E92000001",
                "period": "2022/23",
                "population": 1000.0,
                "deaths": 7.0,
            },
            {
                "comparator": "utla",
                "area_code": "E06000019",
                "period": "2022/23",
                "population": 100.0,
                "deaths": 2.0,
            },
            {
                "comparator": "icb",
                "area_code": "QGH",
                "period": "2022/23",
                "population": 60.0 + 40.0,
                "deaths": 1.0 + 1.0,
            },
            # QHM's sub-ICB location has people and no deaths
            {
                "comparator": "icb",
                "area_code": "QHM",
                "period": "2022/23",
                "population": 50.0,
                "deaths": 0.0,
            },
        ],
    )
