"""Scores for every person.

From inpatient spells admitted in the lookback window before the index date (primary
diagnosis and each ';'-separated secondary diagnosis, normalised: strip, upper-case,
no dots) and conditions recorded before the index date. The engine gives the same
answer as the pure scorers (``tripleaim.phm.comorbidity``, ``hfrs``), and a person
with no activity is scored as zeros and says so.
"""

from datetime import date

import pandas as pd

from tripleaim.phm import code_report, comorbidity, hfrs, person_scores
from tripleaim.phm.catalogue import catalogue
from tripleaim.phm.comorbidity_masks import comorbidity_scores
from tripleaim.phm.pipelines import (
    ScoreOptions,
    diagnosis_codes,
    hfrs_scores,
)

title = "Comorbidity and frailty scores"

OPTIONS = ScoreOptions(index_date=date(2024, 1, 1))

SPELLS = """
    spell_id | person_id | admission_date | primary_diagnosis | secondary_diagnoses
    1        | 1         | 2023-06-01     | I21.4             | E112;E119;f00.1; N18 ;;XX9
    2        | 1         | 2019-01-01     | C78               |
    3        | 3         | 2023-01-01     | F000              | F001;W19;I10;I110
    4        | 4         | 2022-03-01     | C189              | C787;E119;I50
    5        | 4         | 2023-12-31     | K703              | K721;G20
"""

# The same diagnoses as long-format rows for the pure scorers (spell 2 is outside the
# two-year window).
LONG = pd.DataFrame(
    [
        (1, "I21.4"),
        (1, "E112"),
        (1, "E119"),
        (1, "f00.1"),
        (1, " N18 "),
        (1, ""),
        (1, "XX9"),
        (3, "F000"),
        (3, "F001"),
        (3, "W19"),
        (3, "I10"),
        (3, "I110"),
        (4, "C189"),
        (4, "C787"),
        (4, "E119"),
        (4, "I50"),
        (4, "K703"),
        (4, "K721"),
        (4, "G20"),
    ],
    columns=["patient_id", "code"],
)


def _pure(column: str, frame: pd.DataFrame) -> dict:
    return dict(zip(frame["patient_id"], frame[column].astype(int), strict=True))


def test_charlson_on_the_engine_equals_the_pure_scorer(spec_test):
    cat = catalogue()
    pure = comorbidity(LONG, age_col=None)
    spec_test(
        {"inpatient_spells": SPELLS},
        lambda t: comorbidity_scores(
            diagnosis_codes(
                t.inpatient_spells.filter(t.inpatient_spells.spell_id != 2)
            ),
            cat.codelist("charlson", "icd10", "quan"),
            cat.weightings["charlson"],
            assign0=True,
            prefix="charlson",
        ).select("person_id", "charlson_score"),
        # 1: ami 1 + diabwc 2 (diab zeroed) + dementia 1 + renal 2 = 6
        # 3: dementia 1 + chf (I110) 1 = 2
        # 4: metastatic 6 (cancer zeroed) + diab 1 + chf 1 + mild liver zeroed by
        #    severe liver 3 = 11
        {1: 6, 3: 2, 4: 11},
    )
    assert _pure("score_charlson", pure) == {1: 6, 3: 2, 4: 11}


def test_elixhauser_van_walraven_on_the_engine_equals_the_pure_scorer(spec_test):
    cat = catalogue()
    pure = _pure(
        "score_van_walraven", comorbidity(LONG, score="elixhauser", age_col=None)
    )
    spec_test(
        {"inpatient_spells": SPELLS},
        lambda t: comorbidity_scores(
            diagnosis_codes(
                t.inpatient_spells.filter(t.inpatient_spells.spell_id != 2)
            ),
            cat.codelist("elixhauser", "icd10", "quan"),
            cat.weightings["van_walraven"],
            assign0=True,
            prefix="elixhauser",
        ).select("person_id", "elixhauser_score"),
        pure,
    )


def test_hfrs_counts_each_category_once_on_every_engine(spec_test):
    pure = hfrs(LONG, age_col=None)
    expected = dict(
        zip(
            pure["patient_id"],
            (pure["hfrs_score"] * 10).round().astype(int),
            strict=True,
        )
    )
    expected = {k: v for k, v in expected.items() if v}
    spec_test(
        {"inpatient_spells": SPELLS},
        lambda t: hfrs_scores(
            diagnosis_codes(t.inpatient_spells.filter(t.inpatient_spells.spell_id != 2))
        ),
        # 1: F00 7.1 + N18 1.4 = 8.5; 3: F00 7.1 once + W19 3.2 = 10.3; 4: G20 1.8
        {1: 85, 3: 103, 4: 18},
    )
    assert expected == {1: 85, 3: 103, 4: 18}


def test_every_person_gets_a_row_and_people_without_activity_are_zeros(spec_test):
    spec_test(
        {
            "persons": """
                person_id | date_of_birth
                1         | 1940-05-01
                2         | 1980-01-01
                5         | 2024-06-01
            """,
            "inpatient_spells": SPELLS,
            "conditions": """
                person_id | condition     | diagnosis_date
                1         | diabetes      | 2010-01-01
                1         | copd          | 2010-01-01
                1         | asthma        | 2010-01-01
                1         | dementia      | 2024-06-01
                2         | cancer        | 2020-01-01
            """,
        },
        lambda t: person_scores(vars(t), OPTIONS).select(
            "person_id",
            "age",
            "has_inpatient_history",
            "inpatient_spells",
            "charlson_score",
            "charlson_age_adjusted",
            "hfrs_score",
            "hfrs_band",
            "has_condition_history",
            "efi_deficits",
            "efi_category",
            "ltc_count",
            "multimorbidity",
        ),
        [
            # 1 is 83: 4 age points; spell 2 (2019) is before the window; dementia is
            # diagnosed after the index date; copd and asthma are one eFI deficit.
            {
                "person_id": 1,
                "age": 83,
                "has_inpatient_history": True,
                "inpatient_spells": 1,
                "charlson_score": 6,
                "charlson_age_adjusted": 10,
                "hfrs_score": 8.5,
                "hfrs_band": "intermediate",
                "has_condition_history": True,
                "efi_deficits": 2,
                "efi_category": "fit",
                "ltc_count": 3,
                "multimorbidity": True,
            },
            # 2 has no spell: zeros, and says so
            {
                "person_id": 2,
                "age": 44,
                "has_inpatient_history": False,
                "inpatient_spells": 0,
                "charlson_score": 0,
                "charlson_age_adjusted": 0,
                "hfrs_score": 0.0,
                "hfrs_band": "low",
                "has_condition_history": True,
                "efi_deficits": 0,
                "efi_category": "fit",
                "ltc_count": 1,
                "multimorbidity": False,
            },
            # 5 is born after the index date: no row
        ],
        tolerance=1e-9,
    )


def test_malformed_and_unmapped_codes_are_counted_per_source(spec_test):
    spec_test(
        {
            "inpatient_spells": SPELLS,
            "conditions": """
                person_id | condition | diagnosis_date
                1         | diabetes  | 2010-01-01
                1         | unicorn   | 2010-01-01
            """,
        },
        lambda t: code_report(vars(t), OPTIONS),
        [
            # primary: I214 K703 F000 C189 all mapped (spell 2 is out of the window)
            {
                "source_table": "inpatient_spells",
                "source_column": "primary_diagnosis",
                "codes": 4,
                "malformed": 0,
                "unmapped": 0,
            },
            # secondary: 13 items; '' and XX9 malformed; I10 is mapped (Elixhauser)
            {
                "source_table": "inpatient_spells",
                "source_column": "secondary_diagnoses",
                "codes": 15,
                "malformed": 2,
                "unmapped": 0,
            },
            {
                "source_table": "conditions",
                "source_column": "condition",
                "codes": 2,
                "malformed": 0,
                "unmapped": 1,
            },
        ],
    )
