"""The deep-dive pack for one area: what a board reads, assembled from the stored tables.

A ranked list of the area's opportunities against its peers, the headline and how
much of it survives the benchmark's own interval, charts for the biggest ones (area
against peers with intervals, funnel, trend), the per-procedure day-case bed-day
opportunity per quarter, and the flagged rows with their reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import numpy as np
import pandas as pd

from tripleaim.benchmark import charts
from tripleaim.benchmark.catalogue import measures
from tripleaim.benchmark.counts import footprint_counts
from tripleaim.benchmark.reading import LEVEL_TITLES, Benchmarks, load
from tripleaim.errors import NotFoundError
from tripleaim.settings import Settings
from tripleaim.warehouse import connect

__all__ = ["ChartSet", "Pack", "build_pack", "day_case_quarters"]

CHARTED = 4
"""Opportunities drawn in full (peer chart, funnel, trend)."""

QUARTER_LEVELS = {"practice": "practice", "pcn": "pcn", "utla": "place"}
"""Pack level -> footprint level for the per-procedure quarterly counts."""


@dataclass(frozen=True)
class ChartSet:
    """The three charts of one measure."""

    measure_id: str
    title: str
    peers: str
    funnel: str
    trend: str


@dataclass(frozen=True)
class Pack:
    """Everything the pack shows, as tables and SVG."""

    area_code: str
    area_name: str
    level: str
    level_title: str
    peer_group: str
    period: str
    peers: pd.DataFrame
    ranked: pd.DataFrame
    headline: dict[str, float]
    charts: list[ChartSet] = field(default_factory=list)
    day_cases: pd.DataFrame = field(default_factory=pd.DataFrame)
    day_case_note: str = ""

    @property
    def flagged(self) -> pd.DataFrame:
        """Rows with a flag other than ok."""
        return self.ranked[self.ranked["flag"] != "ok"]


def headline(rows: pd.DataFrame) -> dict[str, float]:
    """Counted opportunity, and the naive (RightCare) total it is compared with."""
    gbp = rows["gbp_best5"].clip(lower=0).fillna(0.0)
    naive = float(gbp[rows["significant_naive"]].sum())
    robust = float(rows["opportunity_gbp"].fillna(0.0).sum())
    return {
        "gbp": robust,
        "bed_days": float(rows["opportunity_bed_days"].fillna(0.0).sum()),
        "naive_gbp": naive,
        "survives": robust / naive if naive > 0 else float("nan"),
        "measures": float((rows["opportunity_events"].fillna(0.0) > 0).sum()),
        "naive_measures": float(rows["significant_naive"].sum()),
        "flagged": float((rows["flag"] != "ok").sum()),
    }


def _ranked(rows: pd.DataFrame) -> pd.DataFrame:
    key = rows["opportunity_gbp"].fillna(0.0) + 1e-9 * rows[
        "opportunity_events"
    ].fillna(0.0)
    return (
        rows.assign(_key=key)
        .sort_values(["_key", "measure_id"], ascending=[False, True])
        .drop(columns="_key")
    )


def _chart_set(data: Benchmarks, row: pd.Series, peer_codes: list[str]) -> ChartSet:
    spec = measures()[row["measure_id"]]
    table = data.opportunities
    same = table[
        (table["measure_id"] == spec.id) & (table["area_level"] == row["area_level"])
    ]
    now = same[same["period"] == row["period"]]
    group = now[now["area_code"].isin([row["area_code"], *peer_codes])].copy()
    group["peer_mean"], group["best5_mean"] = row["peer_mean"], row["best5_mean"]
    history = same[same["area_code"] == row["area_code"]].sort_values("period")
    return ChartSet(
        measure_id=spec.id,
        title=spec.title,
        peers=charts.peer_chart(
            group, row["area_code"], f"{spec.title}: against peers"
        ),
        funnel=charts.funnel_chart(
            now,
            row["area_code"],
            "All areas of the level",
            spec.method,
            spec.multiplier,
        ),
        trend=charts.trend_chart(history, "Trend"),
    )


def day_case_quarters(
    settings: Settings, level: str, area_code: str, years: tuple[str, ...]
) -> pd.DataFrame:
    """Per procedure and quarter: spells, day cases, rate, target and bed days released.

    Bed days released = spells short of the target rate x the mean stay of the
    ordinary spells for the procedure in the quarter; 0 when the target is met.
    Counts from 1 to the disclosure threshold are hidden with the rate they give.
    """
    chosen = [
        s
        for s in measures().values()
        if s.bed_days == "ordinary_stay" and s.target is not None
    ]
    if not chosen:
        return pd.DataFrame()
    engine = connect(settings, "duckdb", read_only=True)
    try:
        names = ("persons", "organisations", "lsoas", "inpatient_spells")
        tables = {n: engine.table(n) for n in names}
        parts = []
        for spec in chosen:
            expr = footprint_counts(tables, spec, level, years, quarterly=True)
            mine = expr.filter(expr.area_code == area_code)
            parts.append(mine.mutate(measure_id=ibis.literal(spec.id)))
        cube = engine.execute(ibis.union(*parts, distinct=False)).to_pandas()
    finally:
        engine.close()
    frames = []
    for spec in chosen:
        rows = cube[cube["measure_id"] == spec.id]
        got = rows.groupby("period", as_index=False)[
            ["numerator", "denominator", "bed_days"]
        ].sum()
        got["procedure"] = spec.title.removeprefix("Day-case rate: ").removesuffix(
            " (%)"
        )
        got["target"] = spec.target
        frames.append(got)
    out = pd.concat(frames, ignore_index=True).rename(
        columns={"period": "quarter", "numerator": "day_cases", "denominator": "spells"}
    )
    ordinary = out["spells"] - out["day_cases"]
    out["rate"] = 100 * out["day_cases"] / out["spells"]
    short = (out["target"] / 100 * out["spells"] - out["day_cases"]).clip(lower=0)
    stay = np.where(ordinary > 0, out["bed_days"] / ordinary.where(ordinary > 0), 0.0)
    out["spells_to_convert"] = np.minimum(short, ordinary)
    out["bed_days_released"] = out["spells_to_convert"] * stay
    threshold = settings.disclosure_threshold
    small = (
        out[["spells", "day_cases"]]
        .apply(lambda c: (c >= 1) & (c <= threshold))
        .any(axis=1)
    )
    for name in ("spells", "day_cases", "rate"):
        out[name] = out[name].astype(float).mask(small)
    columns = [
        "procedure",
        "quarter",
        "spells",
        "day_cases",
        "rate",
        "target",
        "spells_to_convert",
        "bed_days_released",
    ]
    ordered: pd.DataFrame = out[columns].sort_values(["procedure", "quarter"])
    return ordered.reset_index(drop=True)


def build_pack(
    settings: Settings,
    area_code: str,
    period: str | None = None,
    *,
    with_charts: bool = True,
) -> Pack:
    """The pack for ``area_code`` in ``period`` (the latest by default).

    Raises:
        NotFoundError: The area has no benchmark rows, or the period is not held.
    """
    data = load(settings)
    rows = data.opportunities[data.opportunities["area_code"] == area_code]
    if rows.empty:
        raise NotFoundError(
            f"There are no benchmarks for area {area_code!r}: give an upper-tier "
            "authority or sub-ICB GSS code, or a footprint practice or PCN code "
            "(`tripleaim benchmark peers --area CODE` lists peers)."
        )
    period = period or data.latest
    if period not in data.periods:
        raise NotFoundError(
            f"No benchmarks for {period!r}; periods: {', '.join(data.periods)}."
        )
    level = str(rows["area_level"].iloc[0])
    now = _ranked(rows[rows["period"] == period])
    peers = data.peers[data.peers["area_code"] == area_code].sort_values("rank")
    name = str(now["area_name"].iloc[0]) if not now.empty else area_code
    chart_sets: list[ChartSet] = []
    if with_charts:
        codes = peers["peer_code"].tolist()
        top = now.head(CHARTED)
        chart_sets = [_chart_set(data, row, codes) for _, row in top.iterrows()]
    quarters, note = pd.DataFrame(), ""
    footprint_level = QUARTER_LEVELS.get(level)
    if footprint_level is not None:
        quarters = day_case_quarters(
            settings,
            footprint_level,
            area_code,
            tuple(p for p in data.periods if p <= period),
        )
    if quarters.empty:
        note = (
            "Procedure-level day-case counts are held for the footprint's practices, "
            "PCNs and places only; the national comparators have no procedure detail."
        )
    return Pack(
        area_code=area_code,
        area_name=name,
        level=level,
        level_title=LEVEL_TITLES.get(level, level),
        peer_group=str(rows["peer_group"].iloc[0]),
        period=period,
        peers=peers,
        ranked=now,
        headline=headline(now),
        charts=chart_sets,
        day_cases=quarters,
        day_case_note=note,
    )
