"""The two candidate models, the choice between them, and each person's reasons.

Both are seeded and single-process deterministic: a logistic regression on
standardised inputs with an L2 penalty, and scikit-learn's histogram gradient
boosting with a fixed number of iterations (no early stopping, which would draw a
random validation split). The model with the higher validation c-statistic wins;
within :data:`TIE` the lower Brier score wins (decision 0014).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.inspection import partial_dependence
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from tripleaim.phm.risk.design import label
from tripleaim.phm.risk.metrics import FloatArray, brier_score, c_statistic

ModelKind = Literal["logistic", "boosting"]
MODEL_KINDS: tuple[ModelKind, ...] = ("logistic", "boosting")
TIE = 0.001
"""Validation c-statistics closer than this count as a tie, broken by Brier score."""
REASONS = 3
"""Reasons kept per person."""
PARTIAL_DEPENDENCE_GRID = 20
"""Grid points of each boosting partial-dependence curve (fewer for fewer values)."""

HYPERPARAMETERS: dict[ModelKind, dict[str, Any]] = {
    "logistic": {"C": 1.0, "max_iter": 2000},
    "boosting": {
        "learning_rate": 0.075,
        "max_iter": 200,
        "max_leaf_nodes": 15,
        "min_samples_leaf": 100,
        "l2_regularization": 1.0,
        "early_stopping": False,
    },
}


def build(kind: ModelKind, seed: int) -> Pipeline | HistGradientBoostingClassifier:
    """An unfitted model of ``kind`` with the stated hyperparameters and seed."""
    if kind == "logistic":
        return Pipeline(
            [
                ("scale", StandardScaler()),
                (
                    "model",
                    LogisticRegression(random_state=seed, **HYPERPARAMETERS[kind]),
                ),
            ]
        )
    return HistGradientBoostingClassifier(random_state=seed, **HYPERPARAMETERS[kind])


def predict(model: Any, design: pd.DataFrame) -> FloatArray:
    """Predicted risk (probability of the outcome) per row."""
    return np.asarray(model.predict_proba(design.to_numpy())[:, 1], dtype=np.float64)


@dataclass(frozen=True)
class Candidate:
    """A fitted model and its validation figures."""

    kind: ModelKind
    model: Any
    c_statistic: float
    brier: float


def fit(
    kind: ModelKind,
    design: pd.DataFrame,
    outcome: pd.Series,
    validation: tuple[pd.DataFrame, pd.Series],
    seed: int,
) -> Candidate:
    """Fit ``kind`` on the training rows and score it on the validation rows."""
    model = build(kind, seed)
    model.fit(design.to_numpy(), outcome.to_numpy())
    risk = predict(model, validation[0])
    c = c_statistic(validation[1], risk)
    return Candidate(kind, model, c or 0.5, brier_score(validation[1], risk))


def choose(candidates: list[Candidate]) -> Candidate:
    """Highest c-statistic; within :data:`TIE` of the best, the lowest Brier score."""
    best = max(c.c_statistic for c in candidates)
    tied = [c for c in candidates if best - c.c_statistic < TIE]
    return min(tied, key=lambda c: (c.brier, MODEL_KINDS.index(c.kind)))


@dataclass(frozen=True)
class Explainer:
    """What :func:`contributions` needs to explain a fitted model, as plain numbers.

    Logistic regression: a person's term for feature j is ``coef_j * (x_j -
    mean_j) / scale_j``, their log-odds above the average person from that feature.
    Gradient boosting: the same idea through the model's partial dependence (the
    average log-odds as feature j alone varies, Friedman 2001): the term is the
    partial dependence at the person's value, interpolated on a grid, less its
    mean over the validation set. Both are additive approximations; they say which
    features push a person's risk up, not by how much the risk would change.
    """

    kind: ModelKind
    columns: tuple[str, ...]
    coefficients: tuple[float, ...] = ()
    means: tuple[float, ...] = ()
    scales: tuple[float, ...] = ()
    grids: tuple[tuple[float, ...], ...] = ()
    curves: tuple[tuple[float, ...], ...] = ()


def explainer(
    candidate: Candidate, columns: tuple[str, ...], validation: pd.DataFrame
) -> Explainer:
    """The :class:`Explainer` of a fitted candidate."""
    if candidate.kind == "logistic":
        scaler = candidate.model.named_steps["scale"]
        coef = candidate.model.named_steps["model"].coef_[0]
        return Explainer(
            "logistic",
            columns,
            coefficients=tuple(float(v) for v in coef),
            means=tuple(float(v) for v in scaler.mean_),
            scales=tuple(float(v) for v in scaler.scale_),
        )
    x = validation.to_numpy()
    grids, curves = [], []
    for j in range(len(columns)):
        dependence = partial_dependence(
            candidate.model,
            x,
            [j],
            percentiles=(0.0, 1.0),
            grid_resolution=PARTIAL_DEPENDENCE_GRID,
            method="recursion",
        )
        grid = np.asarray(dependence["grid_values"][0], dtype=np.float64)
        curve = np.asarray(dependence["average"][0], dtype=np.float64)
        curve = curve - float(np.interp(x[:, j], grid, curve).mean())
        grids.append(tuple(float(v) for v in grid))
        curves.append(tuple(float(v) for v in curve))
    return Explainer("boosting", columns, grids=tuple(grids), curves=tuple(curves))


def contributions(how: Explainer, design: pd.DataFrame) -> pd.DataFrame:
    """Each person's term per feature, in log-odds (larger pushes risk up more)."""
    x = design[list(how.columns)].to_numpy()
    if how.kind == "logistic":
        terms = np.asarray(how.coefficients) * (x - how.means) / how.scales
    else:
        terms = np.column_stack(
            [
                np.interp(x[:, j], how.grids[j], how.curves[j])
                for j in range(len(how.columns))
            ]
        )
    return pd.DataFrame(terms, columns=list(how.columns), index=design.index)


def top_reasons(terms: pd.DataFrame, limit: int = REASONS) -> list[str | None]:
    """Per row, the labels of the ``limit`` largest positive terms, ``; ``-joined.

    Ties keep column order; a row with no positive term has no reasons (``None``).
    Vectorised: ``argmax`` takes the first of equal maxima, so ``limit`` passes
    of it pick what a stable descending sort would; each distinct choice of
    columns is joined into words once, not once per person.
    """
    values = np.array(terms.to_numpy(dtype=np.float64), order="C", copy=True)
    names = [label(c) for c in terms.columns]
    rows = np.arange(len(values))
    picks = np.full((len(values), min(limit, values.shape[1])), -1, dtype=np.int64)
    for step in range(picks.shape[1]):
        column = values.argmax(axis=1)
        positive = values[rows, column] > 0
        picks[positive, step] = column[positive]
        values[rows, column] = -np.inf
    if not len(values):
        return []
    width = len(names) + 1
    keys = np.ravel_multi_index((picks + 1).T, (width,) * picks.shape[1])
    chosen, which = np.unique(keys, return_inverse=True)
    rows_chosen = np.array(np.unravel_index(chosen, (width,) * picks.shape[1])).T - 1
    texts = np.array(
        ["; ".join(names[i] for i in row if i >= 0) or None for row in rows_chosen],
        dtype=object,
    )
    out: list[str | None] = texts[which.ravel()].tolist()
    return out
