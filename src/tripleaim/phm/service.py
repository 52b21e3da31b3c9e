"""What the CLI and web call: score every person and store ``person_scores``.

``compute_scores`` counts on the engine named by ``engine_name`` (embedded DuckDB
reads the warehouse file read-only; Spark reads the Parquet export) and replaces the
``person_scores`` table of the DuckDB warehouse, whichever engine counted, as
``indicators.compute_profiles`` does for ``indicator_values``.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pyarrow as pa
import pyarrow.compute as pc

from tripleaim.phm.pipelines import ScoreOptions, code_report, person_scores
from tripleaim.phm.results import PERSON_SCORES, CodeReport, ScoreSummary, to_arrow
from tripleaim.settings import Settings
from tripleaim.warehouse import Engine, connect

SOURCE_TABLES = ("persons", "inpatient_spells", "conditions")


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
