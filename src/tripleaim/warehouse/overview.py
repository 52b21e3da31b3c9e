"""The footprint at a glance, for the home page and the API: cached until the warehouse changes."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from tripleaim.settings import Settings
from tripleaim.warehouse.engines.duckdb import DuckDBEngine
from tripleaim.warehouse.queries.dates import ESP2013_AGE_BANDS
from tripleaim.warehouse.queries.population import registered_population
from tripleaim.warehouse.service import info, warehouse


@dataclass(frozen=True)
class Overview:
    """What the home page shows."""

    available: bool
    facts: dict[str, str] = field(default_factory=dict)
    population_date: str = ""
    pyramid: list[dict[str, Any]] = field(default_factory=list)
    total_population: int = 0
    places: list[dict[str, Any]] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)
    quarantine_rows: int = 0
    last_load: str = ""


_CACHE: dict[str, tuple[float, Overview]] = {}
_LOCK = threading.Lock()


def overview(settings: Settings) -> Overview:
    """The overview, recomputed only when the warehouse file changes."""
    path = settings.warehouse_path
    if not path.exists():
        return Overview(available=False)
    stamp = path.stat().st_mtime
    key = str(path.resolve())
    with _LOCK:
        cached = _CACHE.get(key)
        if cached and cached[0] == stamp:
            return cached[1]
        result = _compute(settings)
        _CACHE[key] = (stamp, result)
        return result


def _compute(settings: Settings) -> Overview:
    summary = info(settings)
    with warehouse(settings, read_only=True) as con:
        engine = DuckDBEngine(con)
        end = summary.facts.get("period_end")
        at = date.fromisoformat(end) if end else datetime.now(UTC).date()
        pyramid = engine.execute(
            registered_population(engine.table("persons"), at, by=("sex", "age_band"))
        ).to_pylist()
        places = con.execute(
            "SELECT p.org_code, p.org_name, "
            "count(*) FILTER (WHERE o.org_type = 'pcn') AS pcns, "
            "(SELECT count(*) FROM organisations pr JOIN organisations n ON pr.parent_code = n.org_code "
            " WHERE pr.org_type = 'practice' AND n.parent_code = p.org_code) AS practices, "
            "count(*) FILTER (WHERE o.org_type = 'local_authority_district') AS districts "
            "FROM organisations p LEFT JOIN organisations o ON o.parent_code = p.org_code "
            "WHERE p.org_type = 'place' GROUP BY ALL ORDER BY p.org_name"
        ).fetchall()
        last = con.execute("SELECT max(loaded_at) FROM load_batches").fetchall()[0][0]
    order = {band: i for i, band in enumerate(ESP2013_AGE_BANDS)}
    pyramid.sort(key=lambda r: (order.get(r["age_band"], 99), r["sex"]))
    return Overview(
        available=True,
        facts=summary.facts,
        population_date=at.isoformat(),
        pyramid=[
            {
                "sex": r["sex"],
                "age_band": r["age_band"],
                "population": int(r["population"]),
            }
            for r in pyramid
        ],
        total_population=sum(int(r["population"]) for r in pyramid),
        places=[
            {"code": c, "name": n, "pcns": p, "practices": pr, "districts": d}
            for c, n, p, pr, d in places
        ],
        tables=summary.tables,
        quarantine_rows=sum(int(q["rows"]) for q in summary.quarantine),
        last_load=str(last or ""),
    )
