"""The population health overview the pages show: segments, risk and the model.

One grouped query over ``person_segments`` (and ``person_risk`` when scored) by
practice, segment, risk band and risk bin; every area level (practice, PCN, place,
system) is then a sum over practices, so the page costs one pass of the engine
however it is filtered. Counts and spend only: no person-level values leave here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import pandas as pd

from tripleaim.errors import NotFoundError, UserError
from tripleaim.phm.risk import artifact
from tripleaim.phm.segments.methods import RISK_BAND_TITLES, RISK_BANDS
from tripleaim.phm.segments.rules import default_rules
from tripleaim.phm.service import models_dir
from tripleaim.settings import Settings
from tripleaim.warehouse import connect

LEVELS = ("system", "place", "pcn", "practice")
LEVEL_TITLES = {
    "system": "System",
    "place": "Place",
    "pcn": "PCN",
    "practice": "Practice",
}
RISK_BIN_WIDTH = 0.02
"""Width of the risk histogram's bins (two percentage points)."""


class SegmentsNotComputedError(NotFoundError):
    """``person_segments`` is missing or empty: run ``tripleaim phm segment``."""


@dataclass(frozen=True)
class Area:
    """An area of the footprint at one level."""

    level: str
    code: str
    name: str


@dataclass
class Overview:
    """What the population health page shows for one area."""

    area: Area
    index_date: date | None
    persons: int
    segments: list[dict[str, Any]]
    by_area: list[dict[str, Any]]
    risk_scored: bool
    risk_bands: list[dict[str, Any]] = field(default_factory=list)
    matrix: list[dict[str, Any]] = field(default_factory=list)
    histogram: list[dict[str, Any]] = field(default_factory=list)
    model: dict[str, Any] | None = None


def _practice_counts(settings: Settings) -> tuple[pd.DataFrame, pd.DataFrame, Any]:
    """(counts by practice x segment x band x bin, practice -> PCN/place, index)."""
    engine = connect(settings, "duckdb", read_only=True)
    try:
        present = set(engine.list_tables())
        if "person_segments" not in present:
            raise SegmentsNotComputedError(
                "Population segments have not been computed: run `tripleaim phm "
                "segment` (and `tripleaim phm train` and `score` for risk)."
            )
        seg = engine.table("person_segments")
        if "person_risk" in present:
            risk = engine.table("person_risk").select(
                r_person_id="person_id", risk="risk", pct="risk_percentile"
            )
            seg = seg.left_join(risk, seg.person_id == risk.r_person_id)
        else:
            seg = seg.mutate(risk=ibis.null("float64"), pct=ibis.null("int64"))
        grouped = seg.group_by(
            practice_code=seg.practice_code,
            segment=seg.segment,
            pct=seg.pct,
            risk_bin=(seg.risk / RISK_BIN_WIDTH).floor().cast("int64"),
        ).aggregate(
            persons=seg.count().cast("int64"),
            spend=seg.total_cost.sum().cast("float64"),
        )
        counts = engine.execute(grouped).to_pandas()
        orgs = engine.table("organisations")
        practices = engine.execute(
            orgs.filter(orgs.org_type.isin(["practice", "pcn", "place"])).select(
                "org_code", "org_name", "org_type", "parent_code", "place_code"
            )
        ).to_pandas()
        index = engine.scalar(engine.table("person_segments").index_date.max())
    finally:
        engine.close()
    return counts, practices, index


def _band(pct: Any) -> str | None:
    if pd.isna(pct):
        return None
    p = int(pct)
    return (
        "top_2"
        if p >= 99
        else "next_3"
        if p >= 96
        else "next_15"
        if p >= 81
        else "rest"
    )


def _with_areas(counts: pd.DataFrame, orgs: pd.DataFrame) -> pd.DataFrame:
    practices = orgs[orgs.org_type == "practice"].set_index("org_code")
    out = counts.copy()
    out["pcn"] = out.practice_code.map(practices.parent_code)
    out["place"] = out.practice_code.map(practices.place_code)
    out["practice"] = out.practice_code
    out["system"] = "system"
    out["band"] = out.pct.map(_band)
    return out


def areas(orgs: pd.DataFrame, level: str) -> list[Area]:
    """Every area of ``level`` (the system is one)."""
    if level == "system":
        return [Area("system", "system", "Whole system")]
    rows = orgs[orgs.org_type == level].sort_values("org_name")
    return [
        Area(level, str(code), str(name))
        for code, name in zip(rows.org_code, rows.org_name, strict=True)
    ]


def _chosen_area(orgs: pd.DataFrame, level: str, code: str) -> Area:
    if level not in LEVELS:
        raise UserError(f"Unknown level {level!r}; levels are {', '.join(LEVELS)}.")
    found = areas(orgs, level)
    if level == "system" or not code:
        return found[0]
    for area in found:
        if area.code == code:
            return area
    raise NotFoundError(f"There is no {LEVEL_TITLES[level]} {code!r} in the footprint.")


def overview(settings: Settings, level: str = "system", code: str = "") -> Overview:
    """Segments, risk bands, the segment x risk matrix and the model for one area.

    Raises:
        SegmentsNotComputedError: If ``person_segments`` has not been computed.
        UserError: If ``level`` is unknown.
        NotFoundError: If ``code`` is not an area of ``level``.
    """
    counts, orgs, index = _practice_counts(settings)
    area = _chosen_area(orgs, level, code)
    data = _with_areas(counts, orgs)
    mine = data[data[area.level] == area.code]
    persons = int(mine.persons.sum())
    rules = default_rules().segments
    segments = []
    for s in rules:
        part = mine[mine.segment == s.id]
        n, spend = int(part.persons.sum()), float(part.spend.sum())
        segments.append(
            {
                "id": s.id,
                "title": s.title,
                "description": s.description,
                "persons": n,
                "share": n / persons if persons else 0.0,
                "spend": spend,
                "mean_spend": spend / n if n else 0.0,
            }
        )
    below = {"system": "place", "place": "pcn", "pcn": "practice"}.get(area.level)
    result = Overview(
        area=area,
        index_date=index,
        persons=persons,
        segments=segments,
        by_area=_by_area(mine, orgs, below, [s.id for s in rules]) if below else [],
        risk_scored=bool(data.pct.notna().any()),
    )
    if result.risk_scored:
        _add_risk(result, mine, rules)
        result.model = model_summary(settings)
    return result


def _by_area(
    mine: pd.DataFrame, orgs: pd.DataFrame, level: str, ids: list[str]
) -> list[dict[str, Any]]:
    names = orgs.set_index("org_code").org_name
    table = mine.pivot_table(
        index=level, columns="segment", values="persons", aggfunc="sum", fill_value=0
    )
    rows = []
    for code, row in table.iterrows():
        total = int(row.sum())
        rows.append(
            {
                "level": level,
                "code": str(code),
                "name": str(names.get(code, code)),
                "persons": total,
                "segments": [int(row.get(i, 0)) for i in ids],
            }
        )
    return sorted(rows, key=lambda r: r["name"])


def _add_risk(result: Overview, mine: pd.DataFrame, rules: Any) -> None:
    scored = mine[mine.band.notna()]
    total = int(scored.persons.sum())
    for band in RISK_BANDS:
        part = scored[scored.band == band]
        n = int(part.persons.sum())
        result.risk_bands.append(
            {
                "id": band,
                "title": RISK_BAND_TITLES[band],
                "persons": n,
                "share": n / total if total else 0.0,
                "spend": float(part.spend.sum()),
            }
        )
    for s in rules:
        part = scored[scored.segment == s.id]
        cells = [int(part[part.band == b].persons.sum()) for b in RISK_BANDS]
        result.matrix.append({"segment": s.title, "cells": cells, "total": sum(cells)})
    bins = scored.groupby("risk_bin").persons.sum()
    result.histogram = [
        {
            "from": int(b) * RISK_BIN_WIDTH,
            "to": (int(b) + 1) * RISK_BIN_WIDTH,
            "persons": int(n),
        }
        for b, n in zip(bins.index.to_numpy(), bins.to_numpy(), strict=True)
    ]


def model_summary(settings: Settings) -> dict[str, Any] | None:
    """The current risk model's version, kind and hold-out figures, if trained."""
    folder = models_dir(settings)
    try:
        path: Path = artifact.current(folder)
    except NotFoundError:
        return None
    metrics_file = path / artifact.METRICS_FILE
    if not metrics_file.exists():
        return None
    metrics = json.loads(metrics_file.read_text(encoding="utf-8"))
    hold = metrics.get("holdout", {})
    chart = path / artifact.CHART_FILE
    return {
        "version": metrics.get("version", path.name),
        "kind": metrics.get("chosen", ""),
        "index_date": metrics.get("index_date", ""),
        "persons": metrics.get("persons"),
        "events": metrics.get("events"),
        "c_statistic": hold.get("c_statistic"),
        "brier": hold.get("brier"),
        "expected_observed": hold.get("expected_observed"),
        "calibration_svg": chart.read_text(encoding="utf-8") if chart.exists() else "",
    }
