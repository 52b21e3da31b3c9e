"""Comorbidity flags on the engine: every category of every person, as the pure scorer.

The engine packs a person's categories into bit masks (each distinct code matched
once, a person's masks OR-ed with ``bit_or``), so every flag is checked here, not
only the scores: a code in two categories (Elixhauser ``I110``: heart failure and,
through ``I11``, hypertension with complications), a category reached by two codes
and the hierarchy pairs zeroed by assign0.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tripleaim.phm import comorbidity
from tripleaim.phm.catalogue import catalogue
from tripleaim.phm.comorbidity_masks import comorbidity_scores
from tripleaim.phm.pipelines import diagnosis_codes

title = "Comorbidity flags"

SPELLS = """
    spell_id | person_id | admission_date | primary_diagnosis | secondary_diagnoses
    1        | 1         | 2023-06-01     | I21.4             | E112;E119;F00.1;N18
    2        | 3         | 2023-01-01     | I110              | F001;I10;K703;K721
    3        | 4         | 2022-03-01     | C189              | C787;E119;I50;B20
    4        | 4         | 2023-02-01     | E669              | F10;J44;C80
    5        | 5         | 2023-02-01     | W19               |
"""

LONG = pd.DataFrame(
    [
        (person, code)
        for person, codes in (
            (1, "I21.4 E112 E119 F00.1 N18"),
            (3, "I110 F001 I10 K703 K721"),
            (4, "C189 C787 E119 I50 B20 E669 F10 J44 C80"),
            (5, "W19"),
        )
        for code in codes.split()
    ],
    columns=["patient_id", "code"],
)


@pytest.mark.parametrize("score", ["charlson", "elixhauser"])
def test_every_flag_on_the_engine_equals_the_pure_scorer(spec_test, score):
    cat = catalogue()
    codelist = cat.codelist(score, "icd10", "quan")
    weighting = cat.weightings["charlson" if score == "charlson" else "van_walraven"]
    pure = comorbidity(LONG, score=score, age_col=None).set_index("patient_id")
    names = list(codelist.categories)
    # Only persons with a mapped code get a row from the engine (person 5 has none).
    mapped = pure[(pure[names] != 0).any(axis=1)]
    expected = [
        {
            "person_id": int(person),
            **{f"{score}_{n}": int(row[n]) for n in names},
            f"{score}_score": int(row[f"score_{weighting.id}"]),
        }
        for person, row in mapped.iterrows()
    ]
    assert [row["person_id"] for row in expected] == [1, 3, 4]
    assert sum(sum(v for k, v in row.items() if k != "person_id") for row in expected)
    spec_test(
        {"inpatient_spells": SPELLS},
        lambda t: comorbidity_scores(
            diagnosis_codes(t.inpatient_spells),
            codelist,
            weighting,
            assign0=True,
            prefix=score,
        ),
        expected,
    )
