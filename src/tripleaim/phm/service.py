"""What the CLI and web call: scores, the risk model's training and population risk.

``compute_scores`` counts on the engine named by ``engine_name`` (embedded DuckDB
reads the warehouse file read-only; Spark reads the Parquet export) and replaces the
``person_scores`` table of the DuckDB warehouse, whichever engine counted, as
``indicators.compute_profiles`` does for ``indicator_values``. ``train_risk_model``
trains the emergency-admission model and saves a versioned artifact;
``score_population`` scores everyone and, with a trained model, writes
``person_risk`` (docs/methods/phm-risk-model.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tripleaim.phm.pipelines import ScoreOptions, code_report, person_scores
from tripleaim.phm.results import PERSON_SCORES, CodeReport, ScoreSummary, to_arrow
from tripleaim.phm.risk import artifact, card, scoring, training
from tripleaim.phm.risk.chart import calibration_svg
from tripleaim.phm.risk.metrics import CalibrationBin
from tripleaim.settings import Settings
from tripleaim.warehouse import Engine, connect

SOURCE_TABLES = ("persons", "inpatient_spells", "conditions")
RISK_SEED = 20161
"""Seeds the person split and both risk models unless a run names another."""


def default_index_date(engine: Engine) -> date:
    """The day after the latest admission: every spell in the warehouse is before it."""
    spells = engine.table("inpatient_spells")
    latest = engine.scalar(spells.admission_date.max())
    if latest is None:
        return datetime.now(UTC).date()
    day: date = latest.date() if isinstance(latest, datetime) else latest
    return day + timedelta(days=1)


def score_table(engine: Engine, options: ScoreOptions) -> tuple[pa.Table, CodeReport]:
    """``person_scores`` rows (typed) and the code report, computed on ``engine``."""
    tables = {name: engine.table(name) for name in SOURCE_TABLES}
    scores = to_arrow(engine.execute(person_scores(tables, options)))
    report = CodeReport.from_rows(
        engine.execute(code_report(tables, options)).to_pylist()
    )
    return scores, report


def compute_scores(
    settings: Settings,
    engine_name: str = "duckdb",
    index_date: date | None = None,
    *,
    lookback_years: int = 2,
) -> ScoreSummary:
    """Score every person and replace ``person_scores`` in the warehouse.

    Args:
        settings: Where the warehouse (and, for Spark, its Parquet export) is.
        engine_name: ``duckdb`` or ``spark``; the engine that counts.
        index_date: Scores use activity before this date; by default the day after
            the latest admission.
        lookback_years: Years of inpatient spells before the index date.

    Returns:
        The engine, index date, window, persons scored, persons with no activity,
        the code report (malformed and unmapped codes per source) and seconds taken.
    """
    start = time.perf_counter()
    engine = connect(settings, engine_name, read_only=True)
    try:
        chosen = index_date or default_index_date(engine)
        options = ScoreOptions(index_date=chosen, lookback_years=lookback_years)
        scores, report = score_table(engine, options)
    finally:
        engine.close()
    store = connect(settings, "duckdb")
    try:
        store.create_table(PERSON_SCORES.name, scores)
    finally:
        store.close()
    return ScoreSummary(
        engine=engine_name,
        index_date=chosen,
        lookback_start=options.lookback_start,
        persons=scores.num_rows,
        without_inpatient_history=_false_count(scores, "has_inpatient_history"),
        without_condition_history=_false_count(scores, "has_condition_history"),
        report=report,
        seconds=time.perf_counter() - start,
    )


def _false_count(scores: pa.Table, column: str) -> int:
    return int(pc.sum(pc.invert(scores.column(column))).as_py() or 0)


@dataclass(frozen=True)
class TrainSummary:
    """What a training run did: the artifact, the choice and its hold-out figures."""

    version: str
    path: Path
    index_date: date
    persons: int
    events: int
    chosen: str
    candidates: dict[str, dict[str, Any]]
    holdout: dict[str, Any]
    temporal: dict[str, Any] | None
    seconds: float


def models_dir(settings: Settings) -> Path:
    """Where trained models live by default: ``<data_dir>/models``."""
    return settings.data_dir / "models"


def train_risk_model(
    settings: Settings,
    index_date: date | None = None,
    *,
    out: Path | None = None,
    seed: int = RISK_SEED,
) -> TrainSummary:
    """Train the emergency-admission model on the DuckDB warehouse and save it.

    Args:
        settings: Where the warehouse is.
        index_date: Training index date; by default the first date with a year of
            activity before it.
        out: Folder of model artifacts; by default ``<data_dir>/models``.
        seed: Seeds the person split and both models.

    Returns:
        The version, artifact path, choice and hold-out metrics.
    """
    start = time.perf_counter()
    engine = connect(settings, "duckdb", read_only=True)
    try:
        chosen = index_date or training.default_training_date(engine)
        trained = training.train(engine, chosen, seed)
    finally:
        engine.close()
    hold = trained.metrics["holdout"]
    svg = calibration_svg(
        [CalibrationBin(**_bin_fields(b)) for b in hold["calibration"]],
        f"Calibration on the hold-out, {trained.kind} model {trained.version}",
    )
    path = artifact.save(
        trained,
        out or models_dir(settings),
        svg,
        card.render(trained.version, trained.metrics),
    )
    return TrainSummary(
        version=trained.version,
        path=path,
        index_date=chosen,
        persons=trained.metrics["persons"],
        events=trained.metrics["events"],
        chosen=trained.kind,
        candidates=trained.metrics["candidates"],
        holdout=hold,
        temporal=trained.metrics["temporal"],
        seconds=time.perf_counter() - start,
    )


def _bin_fields(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "within_tolerance"}


@dataclass(frozen=True)
class RiskSummary:
    """What scoring the population with a model did (no person-level values)."""

    version: str
    kind: str
    index_date: date
    persons: int
    mean_risk: float | None
    top_two_percent_from: float | None
    seconds: float


def score_population(
    settings: Settings,
    engine_name: str = "duckdb",
    index_date: date | None = None,
    *,
    model: Path | None = None,
) -> tuple[ScoreSummary, RiskSummary | None]:
    """``compute_scores``, then, when a model is trained, replace ``person_risk``.

    Args:
        settings: Where the warehouse (and its models) are.
        engine_name: ``duckdb`` or ``spark``; the engine that counts.
        index_date: By default the day after the latest admission.
        model: An artifact directory; by default the current one in
            ``<data_dir>/models``.

    Returns:
        The score summary, and the risk summary (``None`` without a trained model
        when ``model`` is not given).

    Raises:
        NotFoundError: If ``model`` is given but holds no model.
    """
    scores = compute_scores(settings, engine_name, index_date)
    pointer = models_dir(settings) / artifact.CURRENT
    if model is None and not pointer.exists():
        return scores, None
    start = time.perf_counter()
    loaded = artifact.load(model or artifact.current(models_dir(settings)))
    engine = connect(settings, engine_name, read_only=True)
    try:
        features = scoring.features_table(engine, scores.index_date)
    finally:
        engine.close()  # the engine's memory goes before the model's arrives
    table = scoring.risk_rows(features, loaded, scores.index_date)
    store = connect(settings, "duckdb")
    try:
        store.create_table(scoring.PERSON_RISK.name, table)
    finally:
        store.close()
    risk = table.column("risk").to_numpy()
    return scores, RiskSummary(
        version=loaded.version,
        kind=loaded.kind,
        index_date=scores.index_date,
        persons=table.num_rows,
        mean_risk=float(risk.mean()) if len(risk) else None,
        top_two_percent_from=float(np.quantile(risk, 0.98)) if len(risk) else None,
        seconds=time.perf_counter() - start,
    )
