"""What the CLI and web call: compute every indicator profile and store it in the warehouse.

``compute_profiles`` counts on the engine named by ``engine_name``: embedded DuckDB
reads the warehouse file (read-only), Spark reads the Parquet export (``tripleaim
export`` into the settings' Parquet directory). The methods run on the aggregates,
and the result replaces the ``indicator_values`` table of the DuckDB warehouse,
whichever engine counted.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from tripleaim.indicators.aggregates import compute_aggregates, financial_years
from tripleaim.indicators.catalogue import definitions
from tripleaim.indicators.profiles import profiles
from tripleaim.indicators.results import INDICATOR_VALUES, to_arrow
from tripleaim.indicators.spec import IndicatorSpec
from tripleaim.settings import Settings
from tripleaim.warehouse import Engine, connect


@dataclass(frozen=True)
class ProfileSummary:
    """What a profile run did."""

    engine: str
    indicators: int
    periods: tuple[str, ...]
    rows: int
    seconds: float


def profile_frame(
    engine: Engine,
    specs: Sequence[IndicatorSpec] | None = None,
    periods: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Every profile row for ``specs`` (default: every shipped definition) on ``engine``.

    Args:
        engine: An open engine with the warehouse tables.
        specs: Definitions to compute; all shipped ones by default.
        periods: Financial years; by default those of ``national_population``.

    Returns:
        A frame with the columns of ``indicator_values``.
    """
    chosen = list(definitions().values()) if specs is None else list(specs)
    years = financial_years(engine) if periods is None else tuple(periods)
    return profiles(compute_aggregates(engine, chosen, years), chosen)


def compute_profiles(
    settings: Settings,
    engine_name: str = "duckdb",
    *,
    specs: Sequence[IndicatorSpec] | None = None,
) -> ProfileSummary:
    """Compute every indicator profile and replace ``indicator_values`` in the warehouse.

    Args:
        settings: Where the warehouse (and, for Spark, its Parquet export) is.
        engine_name: ``duckdb`` or ``spark``; the engine that counts.
        specs: Definitions to compute; all shipped ones by default.

    Returns:
        The engine, number of indicators and periods, rows written and seconds taken.
    """
    start = time.perf_counter()
    engine = connect(settings, engine_name, read_only=True)
    try:
        frame = profile_frame(engine, specs)
    finally:
        engine.close()
    store = connect(settings, "duckdb")
    try:
        store.create_table(INDICATOR_VALUES.name, to_arrow(frame))
    finally:
        store.close()
    return ProfileSummary(
        engine=engine_name,
        indicators=int(frame["indicator_id"].nunique()),
        periods=tuple(sorted(frame["period"].unique())),
        rows=len(frame),
        seconds=time.perf_counter() - start,
    )
