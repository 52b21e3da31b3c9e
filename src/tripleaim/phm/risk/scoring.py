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


def risk_table(engine: Engine, artifact: Artifact, index_date: date) -> pa.Table:
    """Risk, percentile and reasons for everyone registered and alive on ``index_date``."""
    tables = {name: engine.table(name) for name in SOURCE_TABLES}
    frame = engine.execute(risk_features(tables, index_date)).to_pandas()
    design = design_matrix(frame)
    if len(frame):
        risk = models.predict(artifact.model, design)
        reasons = models.top_reasons(models.contributions(artifact.explainer, design))
    else:
        risk, reasons = np.zeros(0), []
    count = len(frame)
    return pa.Table.from_arrays(
        [
            pa.array(frame["person_id"].to_numpy(dtype=np.int64), pa.int64()),
            pa.array([index_date] * count, pa.date32()),
            pa.array(risk, pa.float64()),
            pa.array(risk_percentile(risk), pa.int64()),
            pa.array([artifact.version] * count, pa.string()),
            pa.array([artifact.kind] * count, pa.string()),
            pa.array(reasons, pa.string()),
        ],
        schema=SCHEMA,
    )
