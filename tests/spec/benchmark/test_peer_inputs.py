"""Peer variables: size, age structure and deprivation of national areas and practices.

National areas read ``national_population`` (the 15-19 band counts two fifths towards
18-39) and ``national_areas.imd_score``. Practices and PCNs read the list on the day:
list size, shares aged 18-39, 65-84 and 85+, and the mean IMD score of the LSOAs
their patients live in.
"""

from datetime import date

from tests.spec.benchmark.test_counts import FOOTPRINT
from tripleaim.benchmark.peer_inputs import (
    footprint_peer_variables,
    national_peer_variables,
)

title = "Peer variables"


def test_national_areas_take_age_shares_from_five_year_bands(spec_test):
    spec_test(
        {
            "national_areas": """
                area_code | area_type | imd_score
                E92000001 | england   | 21.7
                E06000019 | utla      | 20.0
            """,
            "national_population": """
                area_code | financial_year | sex | age_band | population
                E06000019 | 2023/24        | F   | 15-19    | 50
                E06000019 | 2023/24        | M   | 20-24    | 30
                E06000019 | 2023/24        | F   | 70-74    | 10
                E06000019 | 2023/24        | F   | 90+      | 10
                E06000019 | 2022/23        | F   | 90+      | 999
            """,
        },
        lambda t: national_peer_variables(vars(t), "utla", "2023/24"),
        [
            {
                "area_code": "E06000019",
                "imd_score": 20.0,
                "population": 100.0,
                "pct_18_39": (0.4 * 50 + 30) / 100,
                "pct_65_84": 10 / 100,
                "pct_85_plus": 10 / 100,
            },
        ],
        tolerance=1e-12,
    )


def test_practices_take_list_size_age_and_patients_deprivation(spec_test):
    spec_test(
        FOOTPRINT,
        lambda t: footprint_peer_variables(vars(t), "practice", date(2022, 9, 30)),
        [
            # persons 1 (62) and 2 (42), both in the IMD 30 LSOA
            {
                "area_code": "A81001",
                "imd_score": 30.0,
                "population": 2.0,
                "pct_18_39": 0.0,
                "pct_65_84": 0.0,
                "pct_85_plus": 0.0,
            },
            # person 3 (32) still registered in September 2022
            {
                "area_code": "A81002",
                "imd_score": 10.0,
                "population": 1.0,
                "pct_18_39": 1.0,
                "pct_65_84": 0.0,
                "pct_85_plus": 0.0,
            },
        ],
        tolerance=1e-12,
    )
