"""The design matrix both models read, and the plain-English label of each column.

Counts enter as ``log1p`` (logistic regression needs it; gradient boosting is
unchanged by a monotone transform), age also as bands so the logistic model can
follow the U-shape of admissions with age, categorical columns as 0/1 indicators.
A missing IMD decile (LSOA unknown) takes the middle decile and sets a flag.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tripleaim.phm.risk.features import (
    ACTIVITY_COLUMNS,
    ETHNIC_GROUPS,
    SCORE_COLUMNS,
    ltc_columns,
)

AGE_BANDS = ((0, 4), (5, 17), (18, 44), (45, 64), (65, 74), (75, 84), (85, 200))
"""Age bands of the design (and of subgroup reporting): 0-4 ... 85+."""

MIDDLE_IMD_DECILE = 5.5

LABELS = {
    "age": "age",
    "sex_female": "female",
    "imd_decile": "area deprivation (IMD decile)",
    "imd_missing": "deprivation unknown",
    "charlson_score": "Charlson index",
    "elixhauser_score": "Elixhauser score",
    "hfrs_score": "Hospital Frailty Risk Score",
    "efi_score": "electronic frailty index",
    "ltc_count": "number of long-term conditions",
    "emergency_admissions": "emergency admissions in the past year",
    "elective_admissions": "elective admissions in the past year",
    "ae_attendances": "A&E attendances in the past year",
    "outpatient_attendances": "outpatient attendances in the past year",
    "outpatient_dnas": "missed outpatient appointments in the past year",
    "prescribing_items": "prescription items in the past year",
    "bnf_sections": "BNF sections prescribed in the past year",
}

LOG_COLUMNS = (*ACTIVITY_COLUMNS, "ltc_count")


def age_band_label(low: int, high: int) -> str:
    """``85+`` for the open band, ``18-44`` otherwise."""
    return f"{low}+" if high >= 200 else f"{low}-{high}"


def age_band_of(age: pd.Series) -> pd.Series:
    """The :data:`AGE_BANDS` label of each age."""
    labels = pd.Series("", index=age.index, dtype="object")
    for low, high in AGE_BANDS:
        labels[(age >= low) & (age <= high)] = age_band_label(low, high)
    return labels


def design_columns() -> tuple[str, ...]:
    """Column names of the design matrix, in order."""
    return (
        "age",
        *(f"age_{age_band_label(lo, hi)}" for lo, hi in AGE_BANDS),
        "sex_female",
        *(f"ethnic_{group}" for group in ETHNIC_GROUPS),
        "imd_decile",
        "imd_missing",
        *SCORE_COLUMNS,
        *ltc_columns(),
        *(c for c in ACTIVITY_COLUMNS),
    )


def label(column: str) -> str:
    """A plain-English label for a design column (used in reasons)."""
    if column in LABELS:
        return LABELS[column]
    if column.startswith("age_"):
        return f"aged {column.removeprefix('age_')}"
    if column.startswith("ethnic_"):
        return "ethnic group " + column.removeprefix("ethnic_").replace("_", " ")
    if column.startswith("ltc_"):
        return column.removeprefix("ltc_").replace("_", " ")
    return column.replace("_", " ")


def design_matrix(features: pd.DataFrame) -> pd.DataFrame:
    """The model inputs (float64, :func:`design_columns` order) of a features frame."""
    age = features["age"].astype("float64")
    out: dict[str, pd.Series] = {"age": age}
    for low, high in AGE_BANDS:
        name = f"age_{age_band_label(low, high)}"
        out[name] = ((age >= low) & (age <= high)).astype("float64")
    out["sex_female"] = (features["sex"] == "F").astype("float64")
    for group in ETHNIC_GROUPS:
        out[f"ethnic_{group}"] = (features["ethnic_group"] == group).astype("float64")
    imd = pd.to_numeric(features["imd_decile"], errors="coerce").astype("float64")
    out["imd_decile"] = imd.fillna(MIDDLE_IMD_DECILE)
    out["imd_missing"] = imd.isna().astype("float64")
    for name in (*SCORE_COLUMNS, *ltc_columns(), *ACTIVITY_COLUMNS):
        values = features[name].astype("float64")
        out[name] = values.transform(np.log1p) if name in LOG_COLUMNS else values
    frame = pd.DataFrame(out, index=features.index)
    return frame[list(design_columns())]
