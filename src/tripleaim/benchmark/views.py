"""What the benchmarking pages show, built from the stored tables (the routers stay thin)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from tripleaim.benchmark import charts
from tripleaim.benchmark.catalogue import measures
from tripleaim.benchmark.pack import headline
from tripleaim.benchmark.reading import LEVEL_TITLES, Benchmarks
from tripleaim.benchmark.render import DASH, gbp
from tripleaim.errors import NotFoundError

__all__ = ["CATEGORY_TITLES", "area_page", "catalogue", "check_period"]

CATEGORY_TITLES = {
    "activity": "Activity",
    "spend": "Spend",
    "procedure": "Procedures",
    "prescribing": "Prescribing",
}


def _number(value: object, places: int = 1) -> str:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return DASH
    return DASH if pd.isna(number) else f"{number:,.{places}f}"


def catalogue() -> list[dict[str, Any]]:
    """Every measure by category, with what a reader needs to choose one."""
    groups: dict[str, list[dict[str, Any]]] = {k: [] for k in CATEGORY_TITLES}
    for spec in measures().values():
        groups[spec.category].append(
            {
                "id": spec.id,
                "title": spec.title,
                "programme": spec.programme,
                "levels": ", ".join(LEVEL_TITLES[level] for level in spec.levels),
                "polarity": spec.polarity.replace("_", " "),
                "target": "" if spec.target is None else f"{spec.target:g}",
                "description": spec.description,
            }
        )
    return [
        {"id": key, "title": title, "measures": groups[key]}
        for key, title in CATEGORY_TITLES.items()
    ]


def check_period(data: Benchmarks, period: str | None) -> str:
    """``period`` if held, the latest when absent, else NotFoundError."""
    if not period:
        return data.latest
    if period not in data.periods:
        raise NotFoundError(
            f"No benchmarks for {period!r}; periods: {', '.join(data.periods)}."
        )
    return period


def _row(r: pd.Series) -> dict[str, Any]:
    spec = measures()[r["measure_id"]]
    return {
        "measure_id": spec.id,
        "title": spec.title,
        "unit": spec.unit,
        "value": _number(r["value"]),
        "ci": f"{_number(r['lower_95'])} to {_number(r['upper_95'])}",
        "peer_mean": _number(r["peer_mean"]),
        "best5": _number(r["best5_mean"]),
        "top_quartile": _number(r["top_quartile"]),
        "gap_best5": _number(r["gap_best5"], 0),
        "gap_ci": f"{_number(r['gap_best5_lower'], 0)} to {_number(r['gap_best5_upper'], 0)}",
        "counted": _number(r["opportunity_events"], 0),
        "bed_days": _number(r["opportunity_bed_days"], 0)
        if spec.bed_days != "none"
        else DASH,
        "gbp": gbp(r["opportunity_gbp"]),
        "significant": bool(r["significant"]),
        "naive": bool(r["significant_naive"]),
        "flag": "" if r["flag"] == "ok" else str(r["flag"]).replace("_", " "),
        "flag_detail": r["flag_detail"] or "",
    }


def area_page(
    data: Benchmarks, area_code: str, period: str | None, measure_id: str | None
) -> dict[str, Any]:
    """The opportunity table of one area, its peers, and the charts of one measure."""
    period = check_period(data, period)
    table = data.opportunities
    mine = table[(table["area_code"] == area_code) & (table["period"] == period)]
    if mine.empty:
        raise NotFoundError(
            f"There are no benchmarks for area {area_code!r} in {period}."
        )
    key = mine["opportunity_gbp"].fillna(0.0) + 1e-9 * mine[
        "opportunity_events"
    ].fillna(0.0)
    mine = mine.assign(_key=key).sort_values(
        ["_key", "measure_id"], ascending=[False, True]
    )
    chosen = measure_id or str(mine["measure_id"].iloc[0])
    if chosen not in set(mine["measure_id"]):
        raise NotFoundError(f"Measure {chosen!r} is not computed for {area_code}.")
    peers = data.peers[data.peers["area_code"] == area_code].sort_values("rank")
    row = mine[mine["measure_id"] == chosen].iloc[0]
    spec = measures()[chosen]
    level = str(row["area_level"])
    same = table[(table["measure_id"] == chosen) & (table["area_level"] == level)]
    now = same[same["period"] == period]
    group = now[now["area_code"].isin([area_code, *peers["peer_code"]])].copy()
    group["peer_mean"], group["best5_mean"] = row["peer_mean"], row["best5_mean"]
    h = headline(mine)
    return {
        "area": {
            "code": area_code,
            "name": row["area_name"],
            "level": level,
            "level_title": LEVEL_TITLES[level],
        },
        "period": period,
        "periods": list(data.periods),
        "peer_group": row["peer_group"],
        "headline": {
            "gbp": gbp(h["gbp"]),
            "bed_days": _number(h["bed_days"], 0),
            "naive_gbp": gbp(h["naive_gbp"]),
            "survives": DASH
            if pd.isna(h["survives"])
            else f"{100 * h['survives']:.0f}%",
            "measures": int(h["measures"]),
        },
        "rows": [_row(r) for _, r in mine.iterrows()],
        "peers": [
            {
                "rank": int(p["rank"]),
                "code": p["peer_code"],
                "name": p["peer_name"],
                "distance": f"{p['distance']:.3f}",
            }
            for _, p in peers.iterrows()
        ],
        "measure": {
            "id": spec.id,
            "title": spec.title,
            "description": spec.description,
            "source": spec.source,
        },
        "svg_peers": charts.peer_chart(
            group, area_code, f"{spec.title}: against peers"
        ),
        "svg_funnel": charts.funnel_chart(
            now, area_code, "All areas of the level", spec.method, spec.multiplier
        ),
        "svg_trend": charts.trend_chart(
            same[same["area_code"] == area_code].sort_values("period"), "Trend"
        ),
    }
