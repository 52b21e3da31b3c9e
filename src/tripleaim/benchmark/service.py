"""What the CLI and web call: compute peer groups and opportunities and store them.

``compute`` counts on the engine named (DuckDB reads the warehouse file, Spark its
Parquet export), runs the pure methods on the counts and replaces the
``benchmark_peers`` and ``benchmark_opportunities`` tables of the DuckDB warehouse.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import ibis.expr.types as ir
import pandas as pd

from tripleaim.benchmark.catalogue import measures, peer_groups, tariff
from tripleaim.benchmark.counts import footprint_counts, national_counts
from tripleaim.benchmark.opportunity import opportunities
from tripleaim.benchmark.peer_inputs import (
    footprint_peer_variables,
    national_peer_variables,
)
from tripleaim.benchmark.peers import nearest_peers
from tripleaim.benchmark.results import (
    BENCHMARK_OPPORTUNITIES,
    BENCHMARK_PEERS,
    to_arrow,
)
from tripleaim.benchmark.spec import NATIONAL_LEVELS, MeasureSpec, PeerGroupSpec
from tripleaim.benchmark.values import measure_values
from tripleaim.errors import DefinitionError
from tripleaim.settings import Settings
from tripleaim.warehouse import Engine, connect
from tripleaim.warehouse.queries import financial_year_midpoint

__all__ = [
    "BenchmarkSummary",
    "compute",
    "opportunity_frame",
    "peer_frame",
    "peer_group_for",
    "periods",
]

_TABLES = (
    "national_areas",
    "national_activity",
    "national_population",
    "persons",
    "organisations",
    "lsoas",
    "inpatient_spells",
    "outpatient_appointments",
    "ae_attendances",
    "prescribing",
)


@dataclass(frozen=True)
class BenchmarkSummary:
    """What a compute run did."""

    engine: str
    peer_rows: int
    measures: int
    rows: int
    counted_gbp: float
    seconds: float


def _tables(engine: Engine) -> dict[str, ir.Table]:
    return {name: engine.table(name) for name in _TABLES}


def periods(engine: Engine) -> tuple[str, ...]:
    """Financial years of the national comparator population, oldest first."""
    people = engine.table("national_population")
    years = (
        engine.execute(people.select("financial_year").distinct()).column(0).to_pylist()
    )
    return tuple(sorted(years))


def peer_group_for(level: str) -> PeerGroupSpec:
    """The shipped peer group of ``level`` (the first by id)."""
    for group in peer_groups().values():
        if group.level == level:
            return group
    raise DefinitionError(f"No peer group is defined for level {level!r}.")


def peer_frame(
    engine: Engine, groups: Sequence[PeerGroupSpec] | None = None
) -> pd.DataFrame:
    """Every peer of every area for ``groups`` (default: all shipped), with distances."""
    chosen = list(peer_groups().values()) if groups is None else list(groups)
    latest = periods(engine)[-1]
    tables = _tables(engine)
    frames = []
    for group in chosen:
        if group.level in NATIONAL_LEVELS:
            expr = national_peer_variables(tables, group.level, latest)
        else:
            expr = footprint_peer_variables(
                tables, group.level, financial_year_midpoint(latest)
            )
        data = engine.execute(expr).to_pandas().set_index("area_code").sort_index()
        found = nearest_peers(
            data,
            group.weights,
            group.peers,
            cap_sd=group.cap_sd,
            ddof=0 if group.sd_divisor == "n" else 1,
        )
        frames.append(found.assign(peer_group=group.id, area_level=group.level))
    columns = [c.name for c in BENCHMARK_PEERS.columns]
    return (
        pd.concat(frames, ignore_index=True)[columns]
        if frames
        else pd.DataFrame(columns=columns)
    )


def _pcn_of_practice(engine: Engine) -> pd.DataFrame:
    orgs = engine.table("organisations")
    practices = orgs.filter((orgs.org_type == "practice") & orgs.parent_code.notnull())
    expr = practices.select(practice=practices.org_code, pcn=practices.parent_code)
    mapping: pd.DataFrame = engine.execute(expr).to_pandas()
    return mapping


def _cubes(
    engine: Engine,
    tables: dict[str, ir.Table],
    spec: MeasureSpec,
    years: Sequence[str],
    parents: pd.DataFrame,
) -> list[tuple[str, pd.DataFrame]]:
    """The counts of ``spec`` at each of its levels.

    Footprint measures are counted once by practice; a PCN's counts are the sums of
    its practices' (a practice belongs to one PCN), as counting by PCN would give.
    """
    if spec.scope == "national":
        return [
            (
                level,
                engine.execute(national_counts(tables, spec, level, years)).to_pandas(),
            )
            for level in spec.levels
        ]
    practice = engine.execute(
        footprint_counts(tables, spec, "practice", years)
    ).to_pandas()
    joined = practice.merge(parents, left_on="area_code", right_on="practice")
    keys = ["pcn", "period", "sex", "age_band"]
    sums = ["numerator", "denominator", "events", "bed_days", "cost_gbp"]
    pcn = (
        joined.groupby(keys, as_index=False, dropna=False)[sums]
        .sum()
        .rename(columns={"pcn": "area_code"})
    )
    return [("practice", practice), ("pcn", pcn)]


def opportunity_frame(
    engine: Engine,
    peers: pd.DataFrame,
    specs: Sequence[MeasureSpec] | None = None,
    years: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Every opportunity row for ``specs`` (default: all shipped) at each of their levels."""
    chosen = list(measures().values()) if specs is None else list(specs)
    years = periods(engine) if years is None else tuple(years)
    tables = _tables(engine)
    prices = tariff()
    parents = _pcn_of_practice(engine)
    frames = []
    for spec in chosen:
        for level, cube in _cubes(engine, tables, spec, years, parents):
            group = peer_group_for(level)
            values = measure_values(cube, spec)
            mine = peers[peers["peer_group"] == group.id]
            frames.append(
                opportunities(
                    values, mine, spec, prices, level=level, peer_group=group.id
                )
            )
    columns = [c.name for c in BENCHMARK_OPPORTUNITIES.columns]
    return (
        pd.concat(frames, ignore_index=True)[columns]
        if frames
        else pd.DataFrame(columns=columns)
    )


def compute(settings: Settings, engine_name: str = "duckdb") -> BenchmarkSummary:
    """Compute peers and opportunities and replace both tables in the warehouse."""
    start = time.perf_counter()
    engine = connect(settings, engine_name, read_only=True)
    try:
        peers = peer_frame(engine)
        rows = opportunity_frame(engine, peers)
    finally:
        engine.close()
    store = connect(settings, "duckdb")
    try:
        store.create_table(BENCHMARK_PEERS.name, to_arrow(peers, BENCHMARK_PEERS))
        store.create_table(
            BENCHMARK_OPPORTUNITIES.name, to_arrow(rows, BENCHMARK_OPPORTUNITIES)
        )
    finally:
        store.close()
    return BenchmarkSummary(
        engine=engine_name,
        peer_rows=len(peers),
        measures=int(rows["measure_id"].nunique()),
        rows=len(rows),
        counted_gbp=float(rows["opportunity_gbp"].sum()),
        seconds=time.perf_counter() - start,
    )
