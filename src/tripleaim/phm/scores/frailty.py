"""Frailty and impairment from coded diagnoses and conditions.

* The Hospital Frailty Risk Score (Gilbert T et al. Lancet 2018;391:1775-82): the sum
  of the weights of the distinct ICD-10 three-character categories a person has. Each
  category counts once however many of its codes appear (Gilbert's method, and
  comorbidipy 0.5; comorbidipy 0.8 counts two codes of one category twice). Weights
  are tenths, so the sum is taken in integer tenths and is exact.
* Disability and impairment groups (learning disability or autism, vision, hearing,
  speech, frailty codes).
* The electronic frailty index (Clegg A et al. Age Ageing 2016;45:353-60): deficits
  present over 36, from the person's recorded condition slugs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tripleaim.phm.catalogue import catalogue
from tripleaim.phm.scores.codes import encode, person_frame, prefix_matrix
from tripleaim.phm.spec import EfiSpec, HfrsSpec

HFRS_BANDS = ("Low", "Intermediate", "High")
EFI_CATEGORIES = ("fit", "mild", "moderate", "severe")


def hfrs_tenths(spec: HfrsSpec) -> dict[str, int]:
    """Each category's weight in integer tenths (7.1 -> 71)."""
    return {code: round(weight * 10) for code, weight in spec.weights.items()}


def hfrs_band_index(tenths: np.ndarray, spec: HfrsSpec) -> np.ndarray:
    """0 low (< 5), 1 intermediate (5 to 15 inclusive), 2 high (> 15)."""
    low_below = round(spec.bands.intermediate_from * 10)
    high_above = round(spec.bands.high_above * 10)
    return np.where(tenths > high_above, 2, np.where(tenths >= low_below, 1, 0))


def hfrs(
    frame: pd.DataFrame,
    *,
    id_col: str = "patient_id",
    code_col: str = "code",
    age_col: str | None = "age",
) -> pd.DataFrame:
    """The Hospital Frailty Risk Score, one row per person, sorted by id.

    Computed at every age: Gilbert validated it from 75, a rule left to the caller.

    Returns:
        ``id_col``, ``age`` (when ``age_col`` is given), ``hfrs_score`` and
        ``hfrs_category`` (``Low``, ``Intermediate`` or ``High``).
    """
    spec = catalogue().hfrs
    rows = encode(frame, id_col, code_col, age_col).truncated(3)
    weights = hfrs_tenths(spec)
    lookup = pa.array(list(weights), pa.string())
    position = pc.index_in(rows.codes, value_set=lookup)
    per_code = np.asarray(pc.fill_null(position, -1), dtype=np.int64)
    code_category = per_code[np.maximum(rows.code_index, 0)]
    keep = (rows.code_index >= 0) & (code_category >= 0)
    seen = np.zeros((rows.persons, len(weights)), dtype=bool)
    seen[rows.person_index[keep], code_category[keep]] = True
    # Sum over the categories seen, without a persons x categories integer matrix.
    found = np.flatnonzero(seen)
    per_category = np.array(list(weights.values()), dtype=np.int64)
    tenths = np.bincount(
        found // len(weights),
        weights=per_category[found % len(weights)],
        minlength=rows.persons,
    ).astype(np.int64)
    result = person_frame(rows, id_col, age_col is not None)
    result["hfrs_score"] = tenths / 10
    result["hfrs_category"] = np.array(HFRS_BANDS, dtype=object)[
        hfrs_band_index(tenths, spec)
    ]
    return result


def disability(
    frame: pd.DataFrame, *, id_col: str = "patient_id", code_col: str = "code"
) -> pd.DataFrame:
    """Disability and impairment flags, one row per person, sorted by id.

    A code belongs to one group only: the group of its longest matching pattern
    (``F803`` is impaired speech, not learning disability through ``F80``).
    """
    spec = catalogue().disability
    rows = encode(frame, id_col, code_col)
    names = list(spec.categories)
    matrix = np.zeros((len(rows.codes), len(names)), dtype=bool)
    best = np.zeros(len(rows.codes), dtype=np.int64)
    for column, name in enumerate(names):
        for pattern in spec.categories[name].codes:
            hit = prefix_matrix(rows.codes, {name: (pattern,)})[:, 0]
            longer = hit & (len(pattern) > best)
            matrix[longer] = False
            matrix[longer, column] = True
            best[longer] = len(pattern)
    flags = np.zeros((rows.persons, len(names)), dtype=bool)
    keep = rows.code_index >= 0
    persons, codes = rows.person_index[keep], rows.code_index[keep]
    for column in range(len(names)):
        hit = matrix[codes, column]
        flags[persons[hit], column] = True
    result = person_frame(rows, id_col, with_age=False)
    for column, name in enumerate(names):
        result[name] = flags[:, column].astype(np.int64)
    return result


def efi_category(score: np.ndarray, spec: EfiSpec) -> np.ndarray:
    """``fit`` (<= 0.12), ``mild`` (<= 0.24), ``moderate`` (<= 0.36) or ``severe``.

    Compared on deficit counts, not floats: a score above ``c`` means more than
    ``c * 36`` deficits, so 0.12 * 36 = 4.32 puts 5 deficits in mild.
    """
    deficits = np.rint(score * spec.denominator)
    cuts = spec.cut_points
    index = (
        (deficits > cuts.mild_above * spec.denominator).astype(np.int64)
        + (deficits > cuts.moderate_above * spec.denominator)
        + (deficits > cuts.severe_above * spec.denominator)
    )
    labels: np.ndarray = np.array(EFI_CATEGORIES, dtype=object)[index]
    return labels


def efi(
    conditions: pd.DataFrame,
    *,
    id_col: str = "person_id",
    condition_col: str = "condition",
) -> pd.DataFrame:
    """The electronic frailty index from condition slugs, one row per person.

    Args:
        conditions: One row per person and recorded condition slug; a person with
            none may have one row whose condition is null.
        id_col: The person id column.
        condition_col: The condition slug column.

    Returns:
        ``id_col``, ``efi_deficits``, ``efi_score`` and ``efi_category``.
    """
    spec = catalogue().efi
    slug_to_deficit = {
        slug: name for name, d in spec.deficits.items() for slug in d.conditions
    }
    present = conditions[[id_col]].copy()
    present["deficit"] = conditions[condition_col].map(slug_to_deficit)
    persons = pd.Index(conditions[id_col].unique()).sort_values()
    counts = (
        present.dropna(subset=["deficit"])
        .drop_duplicates()
        .groupby(id_col)
        .size()
        .reindex(persons, fill_value=0)
    )
    score = counts.to_numpy() / spec.denominator
    return pd.DataFrame(
        {
            id_col: persons,
            "efi_deficits": counts.to_numpy().astype(np.int64),
            "efi_score": score,
            "efi_category": efi_category(score, spec),
        }
    )
