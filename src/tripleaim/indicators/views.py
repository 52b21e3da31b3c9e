"""What the indicator pages show: the catalogue, spine-chart rows and funnel limits.

Pure functions over definitions and the published frames of :mod:`reading`: the
catalogue filtered, spine-chart rows normalised around the benchmark, funnel-plot
limits around the benchmark, and each page's rows formatted for people (see
:mod:`wording`). The web layer adds the charts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from tripleaim.errors import NotFoundError
from tripleaim.indicators import reading
from tripleaim.indicators.catalogue import definitions
from tripleaim.indicators.methods.funnels import funnel_limits
from tripleaim.indicators.reading import LEVEL_TITLES, Profiles
from tripleaim.indicators.spec import IndicatorSpec
from tripleaim.indicators.wording import (
    COMPARISON_TITLES,
    DOMAIN_TITLES,
    count_gap,
    describe,
    interval,
    row_view,
    sii_view,
)

LEVELS = ("icb", "place", "pcn", "practice")
"""Area levels from the largest, as selectors list them."""


def catalogue(text: str = "", domain: str = "") -> list[dict[str, Any]]:
    """Definitions grouped by domain, keeping those matching ``text`` and ``domain``."""
    words = text.lower().split()
    groups: list[dict[str, Any]] = []
    for domain_id, title in DOMAIN_TITLES.items():
        if domain and domain != domain_id:
            continue
        found = [
            describe(spec)
            for spec in definitions().values()
            if spec.domain == domain_id
            and all(
                w in f"{spec.id} {spec.title} {spec.description}".lower() for w in words
            )
        ]
        groups.append(
            {
                "id": domain_id,
                "title": title,
                "indicators": sorted(found, key=lambda d: d["title"]),
            }
        )
    return groups


def parse_area(text: str, default: tuple[str, str]) -> tuple[str, str]:
    """``level:code`` as a pair (``default`` when empty); a NotFoundError if malformed."""
    if not text:
        return default
    level, sep, code = text.partition(":")
    if not sep or not level or not code:
        raise NotFoundError(
            f"There is no area {text!r}: name an area as level:code, "
            "for example place:E06000019."
        )
    return level, code


def spine_rows(profile: pd.DataFrame) -> pd.DataFrame:
    """``area_profile`` rows with positions for a Fingertips-style spine chart.

    As Fingertips does, each row is centred on its benchmark (0) and scaled by the
    largest distance from it to the peers' lowest or highest value or the area's own,
    so every row spans -1 to 1; rows are flipped so that better is to the right
    (higher to the right when neither is better). Without a benchmark value the
    centre is the middle of the peer range. Adds ``x_value``, ``x_min``, ``x_q25``,
    ``x_q75``, ``x_max`` and ``has_benchmark``.
    """
    out = profile.copy()
    cols = ["value", "peer_min", "peer_q25", "peer_q75", "peer_max", "benchmark_value"]
    f = {c: out[c].astype("float64") for c in cols}
    middle = (f["peer_min"] + f["peer_max"]) / 2
    centre = f["benchmark_value"].fillna(middle).fillna(f["value"])
    spread = pd.concat(
        [(f[c] - centre).abs() for c in ("peer_min", "peer_max", "value")], axis=1
    ).max(axis=1)
    spread = spread.where(spread > 0, 1.0).fillna(1.0)
    sign = np.where(out["polarity"] == "lower_is_better", -1.0, 1.0)
    for name, column in (
        ("x_value", "value"),
        ("x_min", "peer_min"),
        ("x_q25", "peer_q25"),
        ("x_q75", "peer_q75"),
        ("x_max", "peer_max"),
    ):
        out[name] = (f[column] - centre) / spread * sign
    low, high = out[["x_min", "x_max"]].min(axis=1), out[["x_min", "x_max"]].max(axis=1)
    q_low, q_high = (
        out[["x_q25", "x_q75"]].min(axis=1),
        out[["x_q25", "x_q75"]].max(axis=1),
    )
    out["x_min"], out["x_max"], out["x_q25"], out["x_q75"] = low, high, q_low, q_high
    out["has_benchmark"] = f["benchmark_value"].notna()
    return out


def funnel(rows: pd.DataFrame, spec: IndicatorSpec) -> pd.DataFrame | None:
    """The 95% and 99.8% funnel limits around the benchmark, long: x, y, limit, side.

    ``funnel_limits`` centres on the average of the areas it is given; given the
    counts expected at the benchmark's rate (population x benchmark), the average is
    the benchmark and the axis follows the areas' populations. ``None`` for life
    expectancy and ratios (no count model) or without areas to plot.
    """
    kind = spec.method.kind
    if kind not in ("proportion", "crude_rate", "dsr"):
        return None
    pop = rows["denominator"].astype("float64")
    value = rows["value"].astype("float64")
    usable = (pop > 0) & value.notna()
    if not usable.any():
        return None
    bench = rows["benchmark_value"].astype("float64").dropna()
    target = (
        float(bench.iloc[0])
        if not bench.empty and bench.iloc[0] > 0
        else float(
            rows["numerator"].astype("float64").sum() / pop.sum() * spec.multiplier
        )
    )
    if not target > 0:
        return None
    data = pd.DataFrame({"population": pop[usable].to_numpy()})
    data["expected"] = data["population"] * target / spec.multiplier
    data["rate"] = target
    if kind == "proportion":
        table = funnel_limits(
            data,
            "expected",
            "population",
            statistic="proportion",
            multiplier=spec.multiplier,
        )
    else:
        table = funnel_limits(
            data,
            "expected",
            "population",
            statistic="rate",
            rate="rate",
            rate_type="crude" if kind == "crude_rate" else "dsr",
            multiplier=spec.multiplier,
            years_of_data=1,
        )
    parts = []
    for tag, label in (("2s", "95% limits"), ("3s", "99.8% limits")):
        for side in ("lower", "upper"):
            x = (
                table["Population"]
                if kind == "proportion"
                else table[f"{side}_{tag}_population_1_year"]
            )
            parts.append(
                pd.DataFrame(
                    {
                        "x": x.astype("float64"),
                        "y": table[f"{side}_{tag}_limit"].astype("float64"),
                        "limit": label,
                        "side": side,
                    }
                )
            )
    limits = pd.concat(parts, ignore_index=True).dropna()
    limits.attrs["benchmark"] = target
    return limits


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]


def area_options(profiles: Profiles) -> list[dict[str, Any]]:
    """Every area by level (system, places, PCNs, practices) for ``level:code`` selectors."""
    return [
        {
            "title": LEVEL_TITLES[level],
            "areas": [
                {"value": f"{level}:{a['area_code']}", "name": a["area_name"]}
                for a in _records(reading.areas_of(profiles, level))
            ],
        }
        for level in LEVELS
        if (profiles.areas["area_level"] == level).any()
    ]


def first_area(profiles: Profiles, level: str) -> tuple[str, str]:
    """The first area of ``level`` by name as ``(level, code)``: the system for ``icb``."""
    return level, str(reading.areas_of(profiles, level)["area_code"].iloc[0])


def gap_page(profiles: Profiles, period: str | None, threshold: int) -> dict[str, Any]:
    """The health and wellbeing gap: the system, then each place."""
    period = reading.check_period(profiles, period)
    specs = definitions()
    areas = []
    for gap in reading.health_gap(profiles, period):
        worse = []
        for row in _records(gap.worse):
            spec = specs[row["indicator_id"]]
            view = row_view(row, spec, threshold)
            view["gap"] = count_gap(row.get("adverse"), spec)
            worse.append(view)
        life = [
            {
                **row_view(row, specs[row["indicator_id"]], threshold),
                "sii": sii_view(row, threshold),
            }
            for row in _records(gap.life_expectancy)
        ]
        counts = [
            {"id": c, "title": t, "n": gap.counts.get(c, 0)}
            for c, t in COMPARISON_TITLES.items()
        ]
        areas.append({"area": gap.area, "worse": worse, "life": life, "counts": counts})
    return {"period": period, "periods": profiles.periods, "areas": areas}


def area_page(
    profiles: Profiles, level: str, code: str, period: str | None, threshold: int
) -> dict[str, Any]:
    """One area's profile by domain, with spine-chart rows (``spine``) per domain."""
    area = reading.area(profiles, level, code)
    period = reading.check_period(profiles, period)
    specs = definitions()
    profile = spine_rows(reading.area_profile(profiles, level, code, period))
    domains = []
    for domain_id, title in DOMAIN_TITLES.items():
        rows = profile[profile["domain"] == domain_id].reset_index(drop=True)
        if rows.empty:
            continue
        views = [
            row_view(r, specs[r["indicator_id"]], threshold) for r in _records(rows)
        ]
        for view, r in zip(views, _records(rows), strict=True):
            spec = specs[r["indicator_id"]]
            view["peer_range"] = interval(r.get("peer_min"), r.get("peer_max"), spec)
        spine = rows.assign(
            comparison_title=[v["comparison_title"] for v in views],
            description=[v["description"] for v in views],
        )
        domains.append({"id": domain_id, "title": title, "rows": views, "spine": spine})
    return {
        "area": area,
        "period": period,
        "periods": profiles.periods,
        "domains": domains,
    }


def indicator_page(
    profiles: Profiles,
    indicator_id: str,
    level: str,
    period: str | None,
    chosen: tuple[str, str],
    threshold: int,
) -> dict[str, Any]:
    """One indicator: its areas of ``level`` (table, funnel) and one area's trend.

    ``points`` and ``limits`` feed the funnel plot (``limits`` is ``None`` when the
    method has no count model); ``trend`` feeds the trend chart.
    """
    spec = reading.spec_of(indicator_id)
    period = reading.check_period(profiles, period)
    area = reading.area(profiles, *chosen)
    rows = reading.indicator_areas(profiles, indicator_id, level, period)
    views = [row_view(r, spec, threshold) for r in _records(rows)]
    plotted = rows["value"].notna() & (rows["denominator"].astype("float64") > 0)
    points = pd.DataFrame(
        {
            "population": rows.loc[plotted, "denominator"].astype("float64"),
            "value": rows.loc[plotted, "value"].astype("float64"),
            "comparison": [
                v["comparison_title"] for v, p in zip(views, plotted, strict=True) if p
            ],
            "description": [
                f"{v['area_name']}: {v['shown']} ({v['comparison_title'].lower()})"
                for v, p in zip(views, plotted, strict=True)
                if p
            ],
        }
    )
    limits = funnel(rows, spec) if not points.empty else None
    trend_rows = reading.indicator_trend(profiles, indicator_id, *chosen)
    trend_views = [row_view(r, spec, threshold) for r in _records(trend_rows)]
    england = trend_rows["england_value"].astype("float64")
    use_england = bool(england.notna().any())
    trend = trend_rows.assign(
        comparison=[v["comparison_title"] for v in trend_views],
        description=[f"{v['period']}: {v['shown']}" for v in trend_views],
        reference=england if use_england else trend_rows["benchmark_value"],
        reference_name="England" if use_england else "Benchmark",
    )
    return {
        "spec": describe(spec),
        "level": level,
        "level_title": LEVEL_TITLES[level],
        "levels": [(lv, LEVEL_TITLES[lv]) for lv in LEVELS],
        "period": period,
        "periods": profiles.periods,
        "area": area,
        "chosen": f"{chosen[0]}:{chosen[1]}",
        "rows": views,
        "points": points,
        "limits": limits,
        "funnel_note": "" if limits is not None else _no_funnel(spec),
        "trend": trend,
        "trend_rows": trend_views,
        "reference_name": "England" if use_england else "Benchmark",
        "options": area_options(profiles),
    }


def _no_funnel(spec: IndicatorSpec) -> str:
    if spec.method.kind in ("life_expectancy", "ratio"):
        return "control limits need a count model, which life expectancy and ratios do not have"
    return "no area of this level has a value to plot"


DIFFERENCES = {
    "higher": "First is higher",
    "lower": "First is lower",
    "similar": "Similar",
    "not_compared": "Not compared",
}


def compare_page(
    profiles: Profiles,
    first: tuple[str, str],
    second: tuple[str, str],
    period: str | None,
    threshold: int,
) -> dict[str, Any]:
    """Two areas side by side by domain, with whether the first is significantly higher."""
    a, b = reading.area(profiles, *first), reading.area(profiles, *second)
    period = reading.check_period(profiles, period)
    specs = definitions()
    joined = reading.compare_areas(profiles, first, second, period)
    domains = []
    for domain_id, title in DOMAIN_TITLES.items():
        rows = []
        for r in _records(joined[joined["domain"] == domain_id]):
            spec = specs[r["indicator_id"]]
            side = {
                suffix: row_view(
                    {k.removesuffix(f"_{suffix}"): v for k, v in r.items()},
                    spec,
                    threshold,
                )
                for suffix in ("a", "b")
            }
            rows.append(
                {
                    "indicator_id": spec.id,
                    "title": spec.title,
                    "a": side["a"],
                    "b": side["b"],
                    "difference": str(r["difference"]),
                    "difference_title": DIFFERENCES[str(r["difference"])],
                }
            )
        if rows:
            domains.append({"id": domain_id, "title": title, "rows": rows})
    return {
        "a": a,
        "b": b,
        "period": period,
        "periods": profiles.periods,
        "domains": domains,
        "options": area_options(profiles),
    }
