"""Underlying causes of death (ICD-10) and places of death.

Broad-group shares by age follow ONS *Deaths registered in England and Wales, 2019* (21st
century mortality files): cancer about 28% of deaths, circulatory 24%, respiratory 13%,
dementia 12%, external causes dominant under 35. A person's own conditions raise the
chance that the matching group is the underlying cause.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

GROUPS = (
    "cancer",
    "circulatory",
    "respiratory",
    "dementia",
    "digestive",
    "external",
    "other",
)

# Share of deaths by group for age groups <1, 1-34, 35-64, 65-79, 80+.
AGE_EDGES = np.array([1, 35, 65, 80])
GROUP_SHARES = np.array(
    [
        [
            0.01,
            0.03,
            0.08,
            0.00,
            0.02,
            0.06,
            0.80,
        ],  # infants: perinatal and congenital (other)
        [0.14, 0.10, 0.05, 0.00, 0.05, 0.50, 0.16],
        [0.40, 0.22, 0.07, 0.01, 0.10, 0.08, 0.12],
        [0.38, 0.24, 0.14, 0.06, 0.05, 0.02, 0.11],
        [0.18, 0.26, 0.15, 0.20, 0.04, 0.02, 0.15],
    ]
)

CODES: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "cancer": (
        ("C349", "C189", "C509", "C61", "C259", "C159", "C169", "C64", "C859", "C719"),
        (0.26, 0.12, 0.09, 0.08, 0.07, 0.06, 0.05, 0.03, 0.04, 0.20),
    ),
    "circulatory": (
        ("I219", "I251", "I64", "I639", "I500", "I269", "I710", "I489"),
        (0.22, 0.30, 0.10, 0.12, 0.10, 0.06, 0.04, 0.06),
    ),
    "respiratory": (
        ("J189", "J449", "J841", "J690", "J459"),
        (0.40, 0.42, 0.10, 0.06, 0.02),
    ),
    "dementia": (("F03", "G309", "F019"), (0.50, 0.35, 0.15)),
    "digestive": (
        ("K703", "K746", "K922", "K631", "K566"),
        (0.30, 0.25, 0.15, 0.15, 0.15),
    ),
    "external": (
        ("X42", "X44", "X70", "V892", "W19", "X59"),
        (0.25, 0.15, 0.25, 0.15, 0.12, 0.08),
    ),
    "other": (
        ("R54", "N189", "E119", "G20", "A419", "P071", "Q249", "G122"),
        (0.20, 0.12, 0.12, 0.08, 0.16, 0.12, 0.10, 0.10),
    ),
}

CONDITION_GROUP = {
    "cancer": ("cancer", 6.0),
    "coronary_heart_disease": ("circulatory", 1.8),
    "heart_failure": ("circulatory", 2.0),
    "stroke_tia": ("circulatory", 1.5),
    "atrial_fibrillation": ("circulatory", 1.3),
    "copd": ("respiratory", 3.0),
    "dementia": ("dementia", 4.0),
    "parkinsons_disease": ("other", 1.5),
}


def _age_group(age: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return np.searchsorted(AGE_EDGES, age, side="right").astype(np.int64)


def _draw(
    rng: np.random.Generator, probs: npt.NDArray[np.float64]
) -> npt.NDArray[np.int64]:
    """One category per row of a row-stochastic matrix, vectorised."""
    cum = probs.cumsum(axis=1)
    u = rng.random(probs.shape[0]) * cum[:, -1]
    return np.asarray((u[:, None] > cum).sum(axis=1), dtype=np.int64)


def causes_of_death(
    rng: np.random.Generator,
    age: npt.NDArray[np.int64],
    sex: npt.NDArray[np.int8],
    has: npt.NDArray[np.bool_] | None,
    condition_names: tuple[str, ...],
) -> npt.NDArray[np.str_]:
    """An ICD-10 underlying cause for each death."""
    probs = GROUP_SHARES[_age_group(age)].copy()
    if has is not None:
        for name, (group_name, boost) in CONDITION_GROUP.items():
            if name in condition_names:
                col = condition_names.index(name)
                probs[:, GROUPS.index(group_name)] *= np.where(has[:, col], boost, 1.0)
    group = _draw(rng, probs)
    out = np.empty(age.shape[0], dtype=object)
    for g, name in enumerate(GROUPS):
        rows = np.flatnonzero(group == g)
        codes, weights = CODES[name]
        w = np.asarray(weights) / np.sum(weights)
        out[rows] = np.asarray(codes)[rng.choice(len(codes), size=rows.size, p=w)]
    # Sex-specific cancers follow sex: prostate for men, breast mostly women.
    out[(out == "C61") & (sex == 0)] = "C509"
    out[(out == "C509") & (sex == 1)] = "C61"
    # Perinatal codes only for infants.
    out[(out == "P071") & (age >= 1)] = "R54"
    return np.asarray(out.astype(str))


def places_of_death(
    rng: np.random.Generator, age: npt.NDArray[np.int64], cause: npt.NDArray[np.str_]
) -> npt.NDArray[np.str_]:
    """Place of death (ONS 2019: hospital 44%, home 24%, care home 22%, hospice 6%, other 4%)."""
    places = np.array(["hospital", "home", "care_home", "hospice", "other"])
    base = np.tile([0.44, 0.24, 0.22, 0.06, 0.04], (age.shape[0], 1))
    dementia = np.char.startswith(cause.astype(str), "F0") | np.char.startswith(
        cause.astype(str), "G30"
    )
    base[dementia] = [0.25, 0.10, 0.60, 0.02, 0.03]
    cancer = np.char.startswith(cause.astype(str), "C")
    base[cancer] = [0.32, 0.30, 0.12, 0.24, 0.02]
    base[age < 65, 2] *= 0.1
    return np.asarray(places[_draw(rng, base)])
