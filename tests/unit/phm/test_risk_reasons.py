"""Reasons: which features raise a person's risk most, for each kind of model."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tripleaim.phm.risk import models
from tripleaim.phm.risk.design import design_columns, design_matrix, label


def test_top_reasons_keep_the_largest_positive_terms_in_order() -> None:
    terms = pd.DataFrame(
        {
            "age": [0.5, -1.0],
            "emergency_admissions": [1.5, -0.2],
            "ltc_heart_failure": [0.7, 0.0],
            "sex_female": [0.1, -0.3],
        }
    )
    assert models.top_reasons(terms) == [
        "emergency admissions in the past year; heart failure; age",
        None,
    ]


def test_top_reasons_respects_the_limit() -> None:
    terms = pd.DataFrame({"age": [0.5], "ltc_copd": [0.6]})
    assert models.top_reasons(terms, limit=1) == ["copd"]


def test_logistic_terms_are_coefficient_times_standardised_value() -> None:
    how = models.Explainer(
        "logistic",
        ("age", "ltc_copd"),
        coefficients=(2.0, -1.0),
        means=(50.0, 0.1),
        scales=(10.0, 0.3),
    )
    design = pd.DataFrame({"age": [70.0], "ltc_copd": [1.0]})
    terms = models.contributions(how, design)
    assert terms.loc[0, "age"] == 2.0 * (70 - 50) / 10
    assert terms.loc[0, "ltc_copd"] == -1.0 * (1 - 0.1) / 0.3


def test_boosting_terms_interpolate_the_centred_partial_dependence() -> None:
    how = models.Explainer(
        "boosting",
        ("age",),
        grids=((0.0, 50.0, 100.0),),
        curves=((-1.0, 0.0, 2.0),),
    )
    terms = models.contributions(how, pd.DataFrame({"age": [25.0, 75.0, 120.0]}))
    assert list(terms["age"]) == [-0.5, 1.0, 2.0]


def test_choice_prefers_c_statistic_then_brier_within_a_tie() -> None:
    a = models.Candidate("logistic", None, 0.7000, 0.080)
    b = models.Candidate("boosting", None, 0.7005, 0.081)
    c = models.Candidate("boosting", None, 0.7200, 0.090)
    assert models.choose([a, b]).kind == "logistic"  # tie on c: lower Brier
    assert models.choose([a, c]).kind == "boosting"


def test_design_matrix_has_every_column_and_a_label_for_each() -> None:
    features = pd.DataFrame(
        {
            "age": [3, 80],
            "sex": ["F", "M"],
            "ethnic_group": ["white", "not_stated"],
            "imd_decile": [pd.NA, 2],
            **{c: [0, 2] for c in design_columns() if c not in ("age", "imd_decile")},
        }
    )
    design = design_matrix(features)
    assert tuple(design.columns) == design_columns()
    assert design.loc[0, "imd_missing"] == 1.0
    assert design.loc[0, "imd_decile"] == 5.5
    assert design.loc[1, "emergency_admissions"] == np.log1p(2)
    assert design.loc[0, "age_0-4"] == 1.0
    assert design.loc[1, "age_75-84"] == 1.0
    assert all(label(c) for c in design_columns())


def test_top_reasons_match_a_row_by_row_stable_sort_with_many_ties() -> None:
    columns = ["age", "sex_female", "ltc_copd", "ltc_asthma", "emergency_admissions"]
    values = np.random.default_rng(7).integers(-2, 3, size=(3000, len(columns)))
    terms = pd.DataFrame(values.astype(float), columns=columns)
    names = [label(c) for c in columns]
    expected = []
    for row in values:
        order = sorted(range(len(columns)), key=lambda j: (-row[j], j))[:3]
        chosen = [names[j] for j in order if row[j] > 0]
        expected.append("; ".join(chosen) if chosen else None)
    assert None in expected
    assert models.top_reasons(terms) == expected
