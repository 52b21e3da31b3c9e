"""Charlson and Elixhauser comorbidity scores from long-format ICD codes.

One row per person: a 0/1 flag per comorbidity and the score under every weighting of
the score (``weightings.yaml``). The flags are those of the mapping (``codelists/``);
with ``assign0`` the milder form of each hierarchy pair (mild and severe liver
disease, diabetes without and with complications, cancer and metastatic cancer ...)
is set to 0, in the flag as well as the score, when the severe form is present.

Charlson adds, for the 1987 weights only, the age-adjusted score (one point a decade
over 40, at most 4: Charlson ME et al. J Clin Epidemiol 1994;47(11):1245-51) and the
estimated 10-year survival ``0.983 ** exp(0.9 * score)`` (Charlson 1987).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tripleaim.phm.catalogue import catalogue
from tripleaim.phm.scores.codes import (
    BoolMatrix,
    EncodedRows,
    encode,
    person_flags,
    person_frame,
    prefix_matrix,
)
from tripleaim.phm.spec import CodeList

AGE_POINTS_FROM = 40
"""Charlson's age adjustment: one point for each full decade over 40 ..."""
AGE_POINTS_MAX = 4
"""... up to four points (age 80 and over)."""


def comorbidity_flags(
    rows: EncodedRows, codelist: CodeList, *, assign0: bool
) -> BoolMatrix:
    """Per person and category of ``codelist``: is the comorbidity present?"""
    categories = {name: c.codes for name, c in codelist.categories.items()}
    flags = person_flags(rows, prefix_matrix(rows.codes, categories))
    if assign0:
        names = list(codelist.categories)
        for pair in codelist.hierarchy:
            severe = flags[:, names.index(pair.severe)]
            flags[severe, names.index(pair.milder)] = False
    return flags


def weighted_scores(flags: BoolMatrix, codelist: CodeList) -> dict[str, np.ndarray]:
    """``score_<weighting>`` for each weighting of the code list's score."""
    names = list(codelist.categories)
    scores = {}
    for weighting in catalogue().weightings_for(codelist.score):
        score = np.zeros(flags.shape[0], dtype=np.int64)
        for column, name in enumerate(names):
            if weighting.weights[name]:
                score += flags[:, column] * weighting.weights[name]
        if weighting.floor is not None:
            score = np.maximum(score, weighting.floor)
        scores[f"score_{weighting.id}"] = score.astype(np.float64)
    return scores


def age_points(ages: np.ndarray) -> np.ndarray:
    """Charlson's age points: ``clip((age - 40) // 10, 0, 4)``; NaN when age is unknown."""
    return np.asarray(np.clip((ages - AGE_POINTS_FROM) // 10, 0, AGE_POINTS_MAX))


def ten_year_survival(age_adjusted: np.ndarray) -> np.ndarray:
    """Charlson 1987's estimated 10-year survival; 0.0 once ``exp`` overflows."""
    with np.errstate(over="ignore"):
        return np.power(0.983, np.exp(0.9 * age_adjusted))


def comorbidity(
    frame: pd.DataFrame,
    *,
    score: str = "charlson",
    icd: str = "icd10",
    variant: str = "quan",
    assign0: bool = True,
    id_col: str = "patient_id",
    code_col: str = "code",
    age_col: str | None = "age",
) -> pd.DataFrame:
    """Comorbidity flags and scores, one row per person, sorted by id.

    Args:
        frame: Long-format rows: person id, ICD code (raw; normalised here) and age.
        score: ``charlson`` or ``elixhauser``.
        icd: ``icd10`` or ``icd9``.
        variant: The mapping: ``quan`` (both scores), or for Charlson in ICD-10
            ``swedish``, ``australian`` or ``shmi``.
        assign0: Zero the milder form of each hierarchy pair when the severe is present.
        id_col: The person id column.
        code_col: The code column.
        age_col: The age column, or None (no age-adjusted Charlson).

    Returns:
        ``id_col``, ``age`` (when ``age_col`` is given), one 0/1 column per
        comorbidity, ``score_<weighting>`` for each weighting and, for Charlson,
        ``age_adj_score_charlson`` and ``survival_10yr_charlson``.

    Raises:
        DefinitionError: If no such mapping ships.
        ScoreInputError: If a column is missing or a person id is null.
    """
    codelist = catalogue().codelist(score, icd, variant)
    rows = encode(frame, id_col, code_col, age_col)
    return comorbidity_from_rows(
        rows, codelist, assign0=assign0, id_col=id_col, with_age=age_col is not None
    )


def comorbidity_from_rows(
    rows: EncodedRows,
    codelist: CodeList,
    *,
    assign0: bool,
    id_col: str,
    with_age: bool,
) -> pd.DataFrame:
    """:func:`comorbidity` on rows already encoded (to score several ways at once)."""
    flags = comorbidity_flags(rows, codelist, assign0=assign0)
    result = person_frame(rows, id_col, with_age)
    for column, name in enumerate(codelist.categories):
        result[name] = flags[:, column].astype(np.int64)
    adjusted_ids = {
        f"score_{w.id}"
        for w in catalogue().weightings_for(codelist.score)
        if w.age_adjusted
    }
    for column_name, values in weighted_scores(flags, codelist).items():
        result[column_name] = values
        if column_name in adjusted_ids and with_age:
            adjusted = values + age_points(rows.ages)
            position = list(result.columns).index(column_name) + 1
            suffix = column_name.removeprefix("score_")
            result.insert(position, f"age_adj_score_{suffix}", adjusted)
            result.insert(
                position + 1, f"survival_10yr_{suffix}", ten_year_survival(adjusted)
            )
    return result
