"""Score the whole registered population with a trained model: ``person_risk`` rows."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa

from tripleaim.phm.risk import models
from tripleaim.phm.risk.artifact import Artifact
from tripleaim.phm.risk.design import design_matrix
from tripleaim.phm.risk.features import SOURCE_TABLES, risk_features
from tripleaim.phm.risk.metrics import risk_percentile
from tripleaim.warehouse import TABLES, Engine

PERSON_RISK = TABLES["person_risk"]
"""The derived table scoring writes (``warehouse/schema/derived.py``)."""

SCHEMA = pa.schema(
    [
        pa.field("person_id", pa.int64(), nullable=False),
        pa.field("index_date", pa.date32(), nullable=False),
        pa.field("risk", pa.float64(), nullable=False),
        pa.field("risk_percentile", pa.int64(), nullable=False),
        pa.field("model_version", pa.string(), nullable=False),
        pa.field("model_kind", pa.string(), nullable=False),
        pa.field("reasons", pa.string(), nullable=True),
    ]
)


BATCH_ROWS = 200_000
"""Persons scored at a time: the design matrix and reasons of a batch, not of everyone,
are in memory at once. Results are row by row, so batches change nothing but the
last bits of a risk where the linear algebra blocks differently (under 1e-12)."""


def features_table(engine: Engine, index_date: date) -> pa.Table:
    """The model's features for everyone registered and alive on ``index_date``."""
    tables = {name: engine.table(name) for name in SOURCE_TABLES}
    return engine.execute(risk_features(tables, index_date))


def risk_rows(features: pa.Table, artifact: Artifact, index_date: date) -> pa.Table:
    """``person_risk`` rows from :func:`features_table` (the engine can be closed)."""
    risks: list[np.ndarray] = []
    reasons: list[str | None] = []
    for start in range(0, features.num_rows, BATCH_ROWS):
        design = design_matrix(features.slice(start, BATCH_ROWS).to_pandas())
        risks.append(models.predict(artifact.model, design))
        reasons.extend(
            models.top_reasons(models.contributions(artifact.explainer, design))
        )
    risk = np.concatenate(risks) if risks else np.zeros(0)
    count = features.num_rows
    return pa.Table.from_arrays(
        [
            features.column("person_id").cast(pa.int64()),
            pa.array([index_date] * count, pa.date32()),
            pa.array(risk, pa.float64()),
            pa.array(risk_percentile(risk), pa.int64()),
            pa.array([artifact.version] * count, pa.string()),
            pa.array([artifact.kind] * count, pa.string()),
            pa.array(reasons, pa.string()),
        ],
        schema=SCHEMA,
    )


def risk_table(engine: Engine, artifact: Artifact, index_date: date) -> pa.Table:
    """Risk, percentile and reasons for everyone registered and alive on ``index_date``."""
    return risk_rows(features_table(engine, index_date), artifact, index_date)
