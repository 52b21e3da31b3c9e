"""Hospital admissions by admission method, age and diagnosis.

Codes are ICD-10 without the dot. A code matches every code it begins (``F10``
matches ``F100``); a range matches codes whose first characters fall in it
(``S720-S722`` matches ``S721`` and ``S7229`` but not ``S723``). ``any_diagnosis``
looks at the primary diagnosis and every ';'-separated secondary one. Ages are whole
years on the day of admission.
"""

from tests.spec.indicators.support import YEARS, count, with_reference
from tripleaim.indicators.pipelines import measure_total

title = "Hospital admissions by diagnosis"

PERSONS = """
    person_id | sex | date_of_birth | practice_code | lsoa_code
    1         | F   | 1950-06-01    | A81001        | E01000001
    2         | M   | 1958-06-01    | A81002        | E01000002
    3         | F   | 2010-01-01    | A81003        | E01000001
"""


def test_falls_need_an_injury_first_and_a_fall_in_any_position_at_65_or_over(spec_test):
    spec_test(
        with_reference(
            {
                "persons": PERSONS,
                "inpatient_spells": """
                    spell_id | person_id | admission_date | admission_method | primary_diagnosis | secondary_diagnoses
                    1        | 1         | 2022-05-01     | emergency        | S720              | W19
                    2        | 1         | 2022-06-01     | emergency        | S525              | I10;W010
                    3        | 1         | 2022-07-01     | elective         | S720              | W19
                    4        | 1         | 2022-08-01     | emergency        | R296              | W19
                    5        | 1         | 2022-09-01     | emergency        | S720              | W20;I10
                    6        | 2         | 2023-05-31     | emergency        | S720              | W19
                    7        | 2         | 2023-06-01     | emergency        | T983              | W00
                    8        | 2         | 2023-07-01     | emergency        | T990              | W00
                """,
            }
        ),
        lambda t: measure_total(
            vars(t),
            count(
                table="inpatient_spells",
                where={
                    "admission_method": ["emergency"],
                    "age_min": 65,
                    "primary_diagnosis": ["S00-T98"],
                    "any_diagnosis": ["W00-W19"],
                },
            ),
            YEARS,
        ),
        [
            # 1 and 2 count; 3 is elective, 4 no injury, 5 no fall (W20)
            {"area_code": "A81001", "period": "2022/23", "value": 2},
            # 2 turns 65 on 2023-06-01: 6 is at 64; 7 counts; T99 is past T98
            {"area_code": "A81002", "period": "2023/24", "value": 1},
        ],
    )


def test_any_diagnosis_reads_primary_and_secondary_codes_by_prefix(spec_test):
    spec_test(
        with_reference(
            {
                "persons": PERSONS,
                "inpatient_spells": """
                    spell_id | person_id | admission_date | admission_method | primary_diagnosis | secondary_diagnoses
                    1        | 3         | 2022-05-01     | emergency        | F100              |
                    2        | 3         | 2022-06-01     | elective         | J189              | I10;K703
                    3        | 3         | 2022-07-01     | emergency        | J189              | F1
                    4        | 3         | 2022-08-01     | emergency        | J189              | XK70
                    5        | 3         | 2022-09-01     | emergency        | J189              |
                """,
            }
        ),
        lambda t: measure_total(
            vars(t),
            count(
                table="inpatient_spells",
                where={"age_max": 17, "any_diagnosis": ["F10", "K70"]},
            ),
            YEARS,
        ),
        # 1 (primary F100) and 2 (secondary K703); F1 is too short a code, XK70
        # does not start with K70
        [{"area_code": "A81003", "period": "2022/23", "value": 2}],
    )


def test_a_four_character_range_stops_at_its_last_code(spec_test):
    spec_test(
        with_reference(
            {
                "persons": PERSONS,
                "inpatient_spells": """
                    spell_id | person_id | admission_date | admission_method | primary_diagnosis
                    1        | 1         | 2023-04-01     | emergency        | S720
                    2        | 1         | 2023-04-02     | emergency        | S722
                    3        | 1         | 2023-04-03     | emergency        | S723
                    4        | 1         | 2023-04-04     | emergency        | S72
                """,
            }
        ),
        lambda t: measure_total(
            vars(t),
            count(table="inpatient_spells", where={"primary_diagnosis": ["S720-S722"]}),
            YEARS,
        ),
        [{"area_code": "A81001", "period": "2023/24", "value": 2}],
    )


def test_bed_days_and_cost_are_summed_over_the_spells_counted(spec_test):
    spells = """
        spell_id | person_id | admission_date | admission_method | day_case | length_of_stay | cost_gbp
        1        | 2         | 2022-04-01     | emergency        | F        | 3              | 2500.5
        2        | 2         | 2022-04-02     | emergency        | F        | 0              | 800.25
        3        | 2         | 2022-04-03     | elective         | T        | 0              | 900.0
        4        | 2         | 2024-04-01     | emergency        | F        | 9              | 9999.0
    """
    emergency = {"admission_method": ["emergency"]}
    spec_test(
        with_reference({"persons": PERSONS, "inpatient_spells": spells}),
        lambda t: measure_total(
            vars(t),
            count(table="inpatient_spells", measure="bed_days", where=emergency),
            YEARS,
        ),
        # spell 4 falls in 2024/25, outside the years asked for
        [{"area_code": "A81002", "period": "2022/23", "value": 3 + 0}],
    )
    spec_test(
        with_reference({"persons": PERSONS, "inpatient_spells": spells}),
        lambda t: measure_total(
            vars(t), count(table="inpatient_spells", measure="cost_gbp"), YEARS
        ),
        [
            {
                "area_code": "A81002",
                "period": "2022/23",
                "value": 2500.5 + 800.25 + 900.0,
            }
        ],
        tolerance=1e-9,
    )
