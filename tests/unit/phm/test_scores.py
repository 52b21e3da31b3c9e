"""Pure scorers: normalisation, hierarchy, bands, bad input and order independence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tripleaim.phm import ScoreInputError, comorbidity, efi, hfrs
from tripleaim.phm.catalogue import catalogue


def rows(*items: tuple[str, str | None, int]) -> pd.DataFrame:
    return pd.DataFrame(items, columns=["patient_id", "code", "age"])


def test_codes_are_normalised_before_matching():
    got = comorbidity(rows(("a", " i25.2 ", 50))).iloc[0]
    assert got["ami"] == 1


def test_the_milder_form_is_zeroed_when_the_severe_form_is_present():
    frame = rows(("a", "E119", 50), ("a", "E112", 50))
    with_hierarchy = comorbidity(frame, assign0=True).iloc[0]
    without = comorbidity(frame, assign0=False).iloc[0]
    assert (with_hierarchy["diab"], with_hierarchy["diabwc"]) == (0, 1)
    assert with_hierarchy["score_charlson"] == 2  # diabwc only
    assert without["score_charlson"] == 3  # 1 + 2


def test_charlson_age_adjustment_adds_a_point_a_decade_over_40_up_to_4():
    frame = rows(("a", "", 39), ("b", "", 49), ("c", "", 50), ("d", "", 104))
    got = comorbidity(frame)["age_adj_score_charlson"].tolist()
    assert got == [0.0, 0.0, 1.0, 4.0]


def test_a_shmi_score_is_clamped_at_zero():
    got = comorbidity(rows(("a", "E112", 60)), variant="shmi").iloc[0]
    assert got["score_shmi"] == 0.0  # diabetes with complications weighs -1


def test_hfrs_counts_each_three_character_category_once():
    got = hfrs(rows(("a", "F000", 80), ("a", "F001", 80), ("a", "W19", 80))).iloc[0]
    assert got["hfrs_score"] == pytest.approx(7.1 + 3.2, abs=1e-12)
    assert got["hfrs_category"] == "Intermediate"


@pytest.mark.parametrize(
    ("codes", "band"),
    [
        (["R54", "R26"], "Low"),
        (["R54", "R26", "N19"], "Intermediate"),
        (["F00", "G30", "R29"], "Intermediate"),
        (["F00", "G30", "R29", "R11", "R50"], "High"),
    ],
)
def test_hfrs_bands_are_low_below_5_and_high_above_15(codes, band):
    # 2.2 + 2.6 = 4.8; + 1.6 = 6.4; 7.1 + 4.0 + 3.6 = 14.7; + 0.3 + 0.1 = 15.1
    got = hfrs(rows(*[("a", c, 80) for c in codes])).iloc[0]
    assert got["hfrs_category"] == band


def test_hfrs_of_exactly_5_and_15_is_intermediate():
    five = hfrs(rows(("a", "F01", 80), ("a", "R31", 80))).iloc[0]  # 2.0 + 3.0
    fifteen = hfrs(
        rows(("a", "F00", 80), ("a", "G30", 80), ("a", "R29", 80), ("a", "R11", 80))
    ).iloc[0]  # 7.1 + 4.0 + 3.6 + 0.3
    assert (five["hfrs_score"], five["hfrs_category"]) == (5.0, "Intermediate")
    assert (fifteen["hfrs_score"], fifteen["hfrs_category"]) == (15.0, "Intermediate")


def test_a_person_with_no_codes_is_kept_with_zeros():
    got = comorbidity(rows(("a", None, 70), ("b", "I21", 70))).set_index("patient_id")
    assert got.loc["a", "score_charlson"] == 0
    assert got.loc["b", "score_charlson"] == 1


def test_a_row_without_a_person_id_is_refused():
    with pytest.raises(ScoreInputError, match="person id"):
        comorbidity(rows((None, "I21", 70)))


def test_a_missing_column_is_refused_naming_it():
    with pytest.raises(ScoreInputError, match="'code'"):
        comorbidity(pd.DataFrame({"patient_id": ["a"], "diagnosis": ["I21"]}))


def test_efi_counts_deficits_once_and_categorises_on_the_count():
    conditions = pd.DataFrame(
        {
            "person_id": [1] * 6 + [2],
            "condition": [
                "copd",
                "asthma",
                "diabetes",
                "hypertension",
                "heart_failure",
                "dementia",
                "cancer",
            ],
        }
    )
    got = efi(conditions).set_index("person_id")
    # copd and asthma are one deficit (respiratory disease): 5 deficits, 5/36 > 0.12
    assert got.loc[1, "efi_deficits"] == 5
    assert got.loc[1, "efi_category"] == "mild"
    assert got.loc[2, "efi_deficits"] == 0  # cancer is not an eFI deficit
    assert got.loc[2, "efi_category"] == "fit"


QUAN = catalogue().codelist("charlson", "icd10", "quan")
PATTERNS = sorted({p for c in QUAN.categories.values() for p in c.codes})
codes = st.lists(
    st.one_of(
        st.sampled_from(PATTERNS), st.from_regex(r"[A-Z][0-9]{2,3}", fullmatch=True)
    ),
    min_size=0,
    max_size=12,
)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(codes, st.sampled_from(PATTERNS))
def test_adding_a_code_never_lowers_charlson_with_non_negative_weights(before, extra):
    def score(items: list[str], assign0: bool) -> pd.Series:
        frame = rows(("a", "", 70), *[("a", c, 70) for c in items])
        return comorbidity(frame, assign0=assign0).iloc[0]

    for assign0 in (False, True):
        old, new = score(before, assign0), score([*before, extra], assign0)
        for weighting in ("charlson", "quan"):
            assert new[f"score_{weighting}"] >= old[f"score_{weighting}"]


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(
            st.sampled_from("abcd"), st.sampled_from([*PATTERNS, "R54", "F001", "W19"])
        ),
        min_size=1,
        max_size=20,
    ),
    st.randoms(use_true_random=False),
)
def test_the_order_of_rows_does_not_change_any_score(items, rnd):
    frame = rows(*[(p, c, 80) for p, c in items])
    shuffled = frame.iloc[rnd.sample(range(len(frame)), len(frame))]
    for scorer in (comorbidity, hfrs):
        pd.testing.assert_frame_equal(scorer(frame), scorer(shuffled))
    assert np.array_equal(
        comorbidity(frame, score="elixhauser").to_numpy(),
        comorbidity(shuffled, score="elixhauser").to_numpy(),
    )
