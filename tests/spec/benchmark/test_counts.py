"""Counting benchmark measures: footprint activity by practice or PCN, national comparators.

A footprint event counts for the practice (or its PCN) the patient is registered with,
in the financial year (or quarter) of its date, at the patient's age on that date.
A day-case rate counts day cases over all elective spells for the procedure codes
(prefixes), and keeps the bed days of the ordinary spells, which a day case would
release. National measures keep England as the standardisation reference.
"""

from tripleaim.benchmark.catalogue import measures
from tripleaim.benchmark.counts import footprint_counts, national_counts

title = "Benchmark counts"

FOOTPRINT = {
    "persons": """
        person_id | sex | date_of_birth | practice_code | lsoa_code | registration_start | registration_end
        1         | F   | 1960-01-01    | A81001        | E01000001 | 2000-01-01         |
        2         | M   | 1980-06-01    | A81001        | E01000001 | 2000-01-01         |
        3         | F   | 1990-01-01    | A81002        | E01000002 | 2000-01-01         | 2023-01-01
    """,
    "organisations": """
        org_code | org_type | parent_code | place_code | icb_code
        A81001   | practice | U00001      | E06000019  | QGH
        A81002   | practice | U00001      | E06000019  | QGH
        U00001   | pcn      | E06000019   | E06000019  | QGH
    """,
    "lsoas": """
        lsoa_code | lad_code  | place_code | imd_decile | imd_score
        E01000001 | E06000019 | E06000019  | 3          | 30.0
        E01000002 | E06000019 | E06000019  | 8          | 10.0
    """,
}

SPELLS = """
    spell_id | person_id | admission_date | admission_method | day_case | primary_procedure | length_of_stay | cost_gbp | treatment_function
    1        | 1         | 2023-04-10     | elective         | T        | J183              | 0              | 2200     | 100
    2        | 1         | 2023-05-10     | elective         | F        | J181              | 3              | 3600     | 100
    3        | 2         | 2023-07-01     | elective         | F        | J183              | 2              | 3600     | 100
    4        | 2         | 2024-01-15     | elective         | T        | J183              | 0              | 2200     | 100
    5        | 3         | 2022-06-01     | elective         | T        | J183              | 0              | 2200     | 100
    6        | 1         | 2023-06-01     | emergency        | F        | J183              | 5              | 4000     | 100
    7        | 1         | 2023-06-01     | elective         | T        | T201              | 0              | 1700     | 100
"""


def _totals(cube):
    return cube.group_by("area_code", "period").aggregate(
        numerator=cube.numerator.sum(),
        denominator=cube.denominator.sum(),
        bed_days=cube.bed_days.sum(),
        cost_gbp=cube.cost_gbp.sum(),
    )


def test_a_day_case_rate_counts_day_cases_over_elective_spells_by_practice(spec_test):
    spec = measures()["day_case_rate_lap_chole"]
    spec_test(
        {**FOOTPRINT, "inpatient_spells": SPELLS},
        lambda t: _totals(footprint_counts(vars(t), spec, "practice", ["2023/24"])),
        [
            # spells 1, 2 (person 1) and 3, 4 (person 2) are elective J18; 6 is
            # emergency, 7 is T20, 5 is in 2022/23
            {
                "area_code": "A81001",
                "period": "2023/24",
                "numerator": 2.0,
                "denominator": 4.0,
                "bed_days": 3.0 + 2.0,
                "cost_gbp": 2200.0 + 2200.0,
            },
        ],
    )


def test_pcns_add_up_their_practices_and_quarters_split_the_year(spec_test):
    spec = measures()["day_case_rate_lap_chole"]
    spec_test(
        {**FOOTPRINT, "inpatient_spells": SPELLS},
        lambda t: _totals(
            footprint_counts(
                vars(t), spec, "pcn", ["2022/23", "2023/24"], quarterly=True
            )
        ),
        [
            {
                "area_code": "U00001",
                "period": "2022/23 Q1",
                "numerator": 1.0,
                "denominator": 1.0,
                "bed_days": 0.0,
                "cost_gbp": 2200.0,
            },
            # April and May: one day case, one ordinary stay of 3 days
            {
                "area_code": "U00001",
                "period": "2023/24 Q1",
                "numerator": 1.0,
                "denominator": 2.0,
                "bed_days": 3.0,
                "cost_gbp": 2200.0,
            },
            {
                "area_code": "U00001",
                "period": "2023/24 Q2",
                "numerator": 0.0,
                "denominator": 1.0,
                "bed_days": 2.0,
                "cost_gbp": 0.0,
            },
            # January is the fourth quarter of the financial year
            {
                "area_code": "U00001",
                "period": "2023/24 Q4",
                "numerator": 1.0,
                "denominator": 1.0,
                "bed_days": 0.0,
                "cost_gbp": 2200.0,
            },
        ],
    )


def test_a_rate_per_population_counts_the_mid_year_list_by_age_and_sex(spec_test):
    spec = measures()["elective_admissions_general_surgery"]
    spec_test(
        {**FOOTPRINT, "inpatient_spells": SPELLS},
        lambda t: footprint_counts(vars(t), spec, "practice", ["2023/24"]).select(
            "area_code", "sex", "age_band", "numerator", "denominator"
        ),
        [
            # person 1 is 63 at admission and on 30 September 2023; spells 1, 2, 7
            {
                "area_code": "A81001",
                "sex": "F",
                "age_band": "60-64",
                "numerator": 3.0,
                "denominator": 1.0,
            },
            # person 2 turns 43 on 1 June 2023: spell 3 on 1 July, spell 4 in January
            {
                "area_code": "A81001",
                "sex": "M",
                "age_band": "40-44",
                "numerator": 2.0,
                "denominator": 1.0,
            },
            # person 3 left on 1 January 2023: not on the 2023/24 list
        ],
    )


NATIONAL = {
    "national_areas": """
        area_code | area_type
        E92000001 | england
        E06000019 | utla
        E06000020 | utla
        E38000001 | sub_icb
    """,
    "national_population": """
        area_code | financial_year | sex | age_band | population
        E92000001 | 2023/24        | F   | 0-4      | 1000
        E06000019 | 2023/24        | F   | 0-4      | 100
        E06000020 | 2023/24        | F   | 0-4      | 50
        E38000001 | 2023/24        | F   | 0-4      | 70
    """,
    "national_activity": """
        area_code | financial_year | measure            | sex | age_band | value
        E92000001 | 2023/24        | day_cases          | F   | 0-4      | 80
        E92000001 | 2023/24        | elective_admissions | F  | 0-4      | 20
        E06000019 | 2023/24        | day_cases          | F   | 0-4      | 6
        E06000019 | 2023/24        | elective_admissions | F  | 0-4      | 4
        E06000019 | 2022/23        | day_cases          | F   | 0-4      | 99
        E38000001 | 2023/24        | day_cases          | F   | 0-4      | 5
    """,
}


def test_national_counts_keep_england_as_the_reference(spec_test):
    spec = measures()["national_day_case_rate"]
    spec_test(
        NATIONAL,
        lambda t: national_counts(vars(t), spec, "utla", ["2023/24"]).select(
            "area_code", "numerator", "denominator", "reference"
        ),
        [
            {
                "area_code": "E92000001",
                "numerator": 80.0,
                "denominator": 80.0 + 20.0,
                "reference": True,
            },
            {
                "area_code": "E06000019",
                "numerator": 6.0,
                "denominator": 6.0 + 4.0,
                "reference": False,
            },
        ],
    )


def test_a_national_rate_per_population_reads_national_population(spec_test):
    spec = measures()["national_elective_admissions"]
    spec_test(
        NATIONAL,
        lambda t: national_counts(vars(t), spec, "utla", ["2023/24"]).select(
            "area_code", "numerator", "denominator"
        ),
        [
            {"area_code": "E92000001", "numerator": 100.0, "denominator": 1000.0},
            {"area_code": "E06000019", "numerator": 10.0, "denominator": 100.0},
            # an area with people and no activity counts 0
            {"area_code": "E06000020", "numerator": 0.0, "denominator": 50.0},
        ],
    )
