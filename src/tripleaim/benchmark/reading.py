"""Reading stored peers and opportunities for people: pack, pages, API and CLI share this.

Both tables are small (measures x areas x periods), so they are read whole once per
warehouse change. What leaves the platform goes through :func:`published`: a count
of events from 1 to the disclosure threshold hides the area's count, value and the
activity derived from it (docs/decisions/0045), as the indicators do.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tripleaim.benchmark.catalogue import measures
from tripleaim.benchmark.results import BENCHMARK_OPPORTUNITIES, BENCHMARK_PEERS
from tripleaim.errors import NotFoundError
from tripleaim.settings import Settings
from tripleaim.warehouse import connect

__all__ = ["Benchmarks", "BenchmarksNotComputedError", "area_rows", "load", "published"]

LEVEL_TITLES = {
    "utla": "Upper-tier local authority",
    "sub_icb": "Sub-ICB location",
    "pcn": "Primary care network",
    "practice": "GP practice",
}

HIDDEN = (
    "numerator",
    "value",
    "lower_95",
    "upper_95",
    "gap_peer_mean",
    "gap_best5",
    "gap_top_quartile",
    "gap_target",
    "gap_best5_lower",
    "gap_best5_upper",
    "bed_days_best5",
    "bed_days_target",
    "gbp_peer_mean",
    "gbp_best5",
    "gbp_top_quartile",
    "opportunity_events",
    "opportunity_bed_days",
    "opportunity_gbp",
)


class BenchmarksNotComputedError(NotFoundError):
    """No benchmark tables in the warehouse: run ``tripleaim benchmark compute``."""


@dataclass(frozen=True)
class Benchmarks:
    """Every stored opportunity and peer, with names, as published."""

    opportunities: pd.DataFrame
    peers: pd.DataFrame
    areas: pd.DataFrame
    periods: tuple[str, ...]

    @property
    def latest(self) -> str:
        """The most recent period."""
        return self.periods[-1]


_CACHE: dict[str, tuple[float, int, Benchmarks]] = {}
_LOCK = threading.Lock()


def published(rows: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """``rows`` with small counts of events hidden (pounds and bed days are not)."""
    if threshold <= 0 or rows.empty:
        return rows
    units = {k: s.unit for k, s in measures().items()}
    counts_events = ~rows["measure_id"].map(units).isin(["pounds", "bed days"])
    numerator = rows["numerator"].to_numpy(dtype=float)
    hide = counts_events.to_numpy() & (numerator >= 1) & (numerator <= threshold)
    if not hide.any():
        return rows
    out = rows.copy()
    for name in HIDDEN:
        out[name] = out[name].astype(float).mask(hide)
    note = "small count: the count and what it gives away are hidden"
    out["flag_detail"] = np.where(
        hide,
        out["flag_detail"].fillna("").map(lambda t: f"{t}; {note}" if t else note),
        out["flag_detail"],
    )
    return out


def area_rows(settings: Settings) -> pd.DataFrame:
    """``area_code``, ``area_name`` of national areas and footprint organisations."""
    engine = connect(settings, "duckdb", read_only=True)
    try:
        national = engine.execute(
            engine.table("national_areas").select("area_code", "area_name")
        ).to_pandas()
        orgs = engine.execute(
            engine.table("organisations").select(
                area_code="org_code", area_name="org_name"
            )
        ).to_pandas()
    finally:
        engine.close()
    both: pd.DataFrame = pd.concat([national, orgs]).drop_duplicates("area_code")
    return both.reset_index(drop=True)


def _read(settings: Settings) -> Benchmarks:
    engine = connect(settings, "duckdb", read_only=True)
    try:
        tables = engine.list_tables()
        if (
            BENCHMARK_OPPORTUNITIES.name not in tables
            or BENCHMARK_PEERS.name not in tables
        ):
            raise BenchmarksNotComputedError(
                "No benchmarks in the warehouse yet: run `tripleaim benchmark compute`."
            )
        rows = engine.execute(engine.table(BENCHMARK_OPPORTUNITIES.name)).to_pandas()
        peers = engine.execute(engine.table(BENCHMARK_PEERS.name)).to_pandas()
    finally:
        engine.close()
    areas = area_rows(settings)
    names = areas.set_index("area_code")["area_name"]
    rows["area_name"] = rows["area_code"].map(names).fillna(rows["area_code"])
    titles = {k: s.title for k, s in measures().items()}
    rows["measure_title"] = rows["measure_id"].map(titles).fillna(rows["measure_id"])
    peers["area_name"] = peers["area_code"].map(names).fillna(peers["area_code"])
    peers["peer_name"] = peers["peer_code"].map(names).fillna(peers["peer_code"])
    periods = tuple(sorted(rows["period"].unique()))
    return Benchmarks(
        published(rows, settings.disclosure_threshold), peers, areas, periods
    )


def load(settings: Settings) -> Benchmarks:
    """The published benchmarks, read again only when the warehouse file changes.

    Raises:
        BenchmarksNotComputedError: The benchmark tables have not been computed.
    """
    path: Path = settings.warehouse_path
    if not path.exists():
        raise BenchmarksNotComputedError(
            "There is no warehouse yet: run `tripleaim generate`, then "
            "`tripleaim benchmark compute`."
        )
    stamp = path.stat().st_mtime
    key = str(path.resolve())
    with _LOCK:
        cached = _CACHE.get(key)
        if cached and cached[0] == stamp and cached[1] == settings.disclosure_threshold:
            return cached[2]
        result = _read(settings)
        _CACHE[key] = (stamp, settings.disclosure_threshold, result)
        return result
