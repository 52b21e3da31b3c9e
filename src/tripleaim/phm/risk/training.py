"""Train the emergency-admission model on the warehouse and evaluate it.

People registered on the training index date are split by person (seeded) into
training (60%), validation (20%) and hold-out (20%) sets. Both candidate models fit
on the training set; validation chooses between them; the hold-out reports
discrimination, calibration and subgroup performance of the chosen model. When the
warehouse holds a full year of outcome after the next anniversary of the index
date, the chosen model is also checked out of time there (temporal validation).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from tripleaim.errors import NotFoundError
from tripleaim.phm.risk import metrics, models
from tripleaim.phm.risk.design import (
    AGE_BANDS,
    age_band_label,
    age_band_of,
    design_columns,
    design_matrix,
)
from tripleaim.phm.risk.features import (
    LOOKBACK_YEARS,
    SOURCE_TABLES,
    labelled,
    years_after,
)
from tripleaim.warehouse import Engine

SPLIT = (0.6, 0.2, 0.2)
"""Training, validation and hold-out fractions of people."""
SPLIT_NAMES = ("training", "validation", "holdout")
SUBGROUPS = ("sex", "age_band", "imd_quintile", "ethnic_group")


@dataclass(frozen=True)
class Trained:
    """A trained model, how to explain it, its metrics and its version."""

    kind: models.ModelKind
    model: Any
    explainer: models.Explainer
    metrics: dict[str, Any]
    version: str


def activity_span(engine: Engine) -> tuple[date, date]:
    """First admission date and the day after the last: the warehouse's activity."""
    spells = engine.table("inpatient_spells")
    first = engine.scalar(spells.admission_date.min())
    last = engine.scalar(spells.admission_date.max())
    if first is None or last is None:
        raise NotFoundError(
            "The warehouse has no inpatient spells to train on: run `tripleaim "
            "generate` or load inpatient_spells first."
        )
    first, last = (d.date() if isinstance(d, datetime) else d for d in (first, last))
    return first, last + timedelta(days=1)


def default_training_date(engine: Engine) -> date:
    """The first index date with a full year of activity before it."""
    first, _ = activity_span(engine)
    return years_after(first, LOOKBACK_YEARS)


def check_index_date(engine: Engine, index_date: date) -> date:
    """The day after the activity ends; refuses an index date without a year each side."""
    first, end = activity_span(engine)
    earliest, latest = years_after(first, LOOKBACK_YEARS), years_after(end, -1)
    if not earliest <= index_date <= latest:
        raise NotFoundError(
            f"Index date {index_date} needs a year of activity before it (from "
            f"{first}) and a year of outcome after it (to {end - timedelta(days=1)}); "
            f"choose a date from {earliest} to {latest}."
        )
    return end


def split(persons: int, seed: int) -> np.ndarray:
    """0 (training), 1 (validation) or 2 (hold-out) per person, seeded."""
    draws = np.random.default_rng(seed).random(persons)
    cuts = np.cumsum(SPLIT)[:-1]
    return np.searchsorted(cuts, draws, side="right")


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_round(v) for v in value]
    return value


def evaluation(frame: pd.DataFrame, risk: np.ndarray) -> dict[str, Any]:
    """Performance, reliability table and subgroup performance of one data set."""
    y = frame["admitted"].to_numpy()
    groups = {
        "sex": frame["sex"],
        "age_band": age_band_of(frame["age"]),
        "imd_quintile": frame["imd_quintile"].astype("Int64").astype(str),
        "ethnic_group": frame["ethnic_group"],
    }
    table = metrics.calibration_table(y, risk)
    subgroups = {
        name: metrics.subgroup_performance(y, risk, values.to_numpy())
        for name, values in groups.items()
    }
    bands = [age_band_label(low, high) for low, high in AGE_BANDS]
    subgroups["age_band"] = {
        band: subgroups["age_band"][band]
        for band in bands
        if band in subgroups["age_band"]
    }
    return {
        **metrics.performance(y, risk),
        "calibration": [b.as_dict() for b in table],
        "calibrated": all(b.within_tolerance for b in table)
        and abs((metrics.expected_observed(y, risk) or 0) - 1)
        <= metrics.OVERALL_TOLERANCE,
        "subgroups": subgroups,
    }


def train(engine: Engine, index_date: date, seed: int) -> Trained:
    """Fit both models at ``index_date``, choose one, evaluate and version it.

    Raises:
        NotFoundError: If the warehouse lacks a year of activity before the index
            date or a year of outcome after it.
    """
    end = check_index_date(engine, index_date)
    tables = {name: engine.table(name) for name in SOURCE_TABLES}
    frame = engine.execute(labelled(tables, index_date)).to_pandas()
    design, outcome = design_matrix(frame), frame["admitted"]
    part = split(len(frame), seed)
    sets = {
        n: (design[part == i], outcome[part == i]) for i, n in enumerate(SPLIT_NAMES)
    }
    candidates = [
        models.fit(kind, *sets["training"], sets["validation"], seed)
        for kind in models.MODEL_KINDS
    ]
    chosen = models.choose(candidates)
    holdout = frame[part == 2]
    risk = models.predict(chosen.model, sets["holdout"][0])
    result: dict[str, Any] = {
        "index_date": index_date.isoformat(),
        "outcome_end": years_after(index_date, 1).isoformat(),
        "lookback_years": LOOKBACK_YEARS,
        "seed": seed,
        "persons": len(frame),
        "split": {n: int((part == i).sum()) for i, n in enumerate(SPLIT_NAMES)},
        "events": int(outcome.sum()),
        "features": list(design_columns()),
        "hyperparameters": models.HYPERPARAMETERS,
        "candidates": {
            c.kind: {
                "validation": {"c_statistic": c.c_statistic, "brier": c.brier},
                "holdout": metrics.performance(
                    sets["holdout"][1], models.predict(c.model, sets["holdout"][0])
                ),
            }
            for c in candidates
        },
        "chosen": chosen.kind,
        "tolerance": {
            "overall_expected_observed": metrics.OVERALL_TOLERANCE,
            "decile_points": metrics.DECILE_TOLERANCE,
            "decile_standard_errors": metrics.DECILE_STANDARD_ERRORS,
        },
        "holdout": evaluation(holdout, risk),
        "temporal": None,
    }
    later = years_after(index_date, 1)
    if years_after(later, 1) <= end:
        future = engine.execute(labelled(tables, later)).to_pandas()
        later_risk = models.predict(chosen.model, design_matrix(future))
        result["temporal"] = {
            "index_date": later.isoformat(),
            **evaluation(future, later_risk),
        }
    result = _round(result)
    digest = hashlib.sha256(
        json.dumps(result, sort_keys=True).encode()
        + np.round(risk, 12).astype(np.float64).tobytes()
    ).hexdigest()
    explain = models.explainer(chosen, design_columns(), sets["validation"][0])
    return Trained(
        chosen.kind, chosen.model, explain, result, f"{index_date}-{digest[:10]}"
    )
