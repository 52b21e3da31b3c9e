"""Reading stored profiles for people: pages, the API, the CLI and exports share this.

``indicator_values`` is small (indicators x areas x periods: tens of thousands of
rows), so it is read whole once per warehouse change and answered from memory.
Everything that leaves the platform goes through :func:`published`, which applies
small-number disclosure control (docs/decisions/0013-disclosure-control-of-outputs.md):
the stored table keeps exact counts for the analysts who compute with it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tripleaim.errors import NotFoundError
from tripleaim.indicators.catalogue import definitions
from tripleaim.indicators.labels import with_titles
from tripleaim.indicators.methods.suppression import ReasonCode, SuppressionRule
from tripleaim.indicators.spec import IndicatorSpec
from tripleaim.settings import Settings
from tripleaim.warehouse import connect
from tripleaim.warehouse.schema.derived import AREA_LEVELS, INDICATOR_VALUES

LEVEL_TITLES = {
    "icb": "System",
    "place": "Place",
    "pcn": "Primary care network",
    "practice": "GP practice",
}
"""How each area level is named on pages and in exports."""

COUNT_HIDDEN = ("numerator", "expected", "excess")
VALUE_HIDDEN = ("value", "lower_95", "upper_95", "lower_99_8", "upper_99_8")


class ProfilesNotComputedError(NotFoundError):
    """The warehouse has no ``indicator_values``: run ``tripleaim indicators compute``."""


@dataclass(frozen=True)
class Profiles:
    """Every stored indicator value with area names, as published (suppressed)."""

    values: pd.DataFrame
    areas: pd.DataFrame
    periods: tuple[str, ...]

    @property
    def latest(self) -> str:
        """The most recent period."""
        return self.periods[-1]


_CACHE: dict[str, tuple[float, int, Profiles]] = {}
_LOCK = threading.Lock()


def counts_people(spec: IndicatorSpec) -> bool:
    """True when the numerator counts people or events (so small counts disclose).

    Sums of pounds, bed days or items (``numerator.measure``) do not identify anyone,
    and life expectancy has its own small-population rule (population 5,000 or less).
    """
    measure = getattr(spec.numerator, "measure", None)
    return measure is None and spec.method.kind != "life_expectancy"


def published(
    values: pd.DataFrame,
    rule: SuppressionRule,
    specs: dict[str, IndicatorSpec] | None = None,
) -> pd.DataFrame:
    """``values`` with disclosure control applied: small counts and what they give away.

    A row whose numerator counts people or events and is from 1 to ``rule.threshold``
    loses its numerator, value, limits, expected and excess, and says
    ``small_count`` in ``value_reason`` (an earlier reason is kept). Comparison labels
    stay: Fingertips publishes them for suppressed values too, they disclose no count.
    A threshold of 0 turns suppression off.
    """
    if rule.threshold <= 0 or values.empty:
        return values
    specs = definitions() if specs is None else specs
    people = values["indicator_id"].map({k: counts_people(s) for k, s in specs.items()})
    numerator = values["numerator"].to_numpy(dtype=float, na_value=np.nan)
    small = (numerator >= 1) & (numerator <= rule.threshold)
    if rule.suppress_zero:
        small |= numerator == 0
    hide = small & people.fillna(False).to_numpy(dtype=bool)
    if not hide.any():
        return values
    out = values.copy()
    for name in (*COUNT_HIDDEN, *VALUE_HIDDEN):
        out[name] = out[name].astype("Float64").mask(hide)
    reason = out["value_reason"].astype(object)
    out["value_reason"] = reason.where(
        ~hide | reason.notna(), ReasonCode.SMALL_COUNT.value
    )
    return out


def _read(settings: Settings) -> Profiles:
    engine = connect(settings, "duckdb", read_only=True)
    try:
        if INDICATOR_VALUES.name not in engine.list_tables():
            raise ProfilesNotComputedError(
                "No indicator profiles in the warehouse yet: run "
                "`tripleaim indicators compute`."
            )
        values = engine.execute(engine.table(INDICATOR_VALUES.name)).to_pandas()
        orgs = engine.execute(
            engine.table("organisations").select(
                "org_code", "org_name", "org_type", "parent_code", "place_code"
            )
        ).to_pandas()
    finally:
        engine.close()
    areas = (
        orgs[orgs["org_type"].isin(AREA_LEVELS)]
        .rename(
            columns={
                "org_code": "area_code",
                "org_name": "area_name",
                "org_type": "area_level",
            }
        )
        .reset_index(drop=True)
    )
    names = areas.set_index(["area_level", "area_code"])["area_name"]
    values = values.join(names, on=["area_level", "area_code"])
    values["area_name"] = values["area_name"].fillna(values["area_code"])
    rule = SuppressionRule(threshold=settings.disclosure_threshold)
    periods = tuple(sorted(values["period"].unique()))
    return Profiles(published(values, rule), areas, periods)


def load(settings: Settings) -> Profiles:
    """The published profiles, read again only when the warehouse file changes.

    Raises:
        ProfilesNotComputedError: Profiles have not been computed.
    """
    path: Path = settings.warehouse_path
    if not path.exists():
        raise ProfilesNotComputedError(
            "There is no warehouse yet: run `tripleaim generate`, then "
            "`tripleaim indicators compute`."
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


def spec_of(indicator_id: str) -> IndicatorSpec:
    """The definition ``indicator_id``, or a NotFoundError listing how to find ids."""
    try:
        return definitions()[indicator_id]
    except KeyError:
        raise NotFoundError(
            f"There is no indicator {indicator_id!r}; `tripleaim indicators list` shows them."
        ) from None


def check_period(profiles: Profiles, period: str | None) -> str:
    """``period`` if profiles hold it, the latest if ``None``, else a NotFoundError."""
    if period is None:
        return profiles.latest
    if period not in profiles.periods:
        raise NotFoundError(
            f"There are no profiles for period {period!r}; periods: "
            + ", ".join(profiles.periods)
            + "."
        )
    return period


def area(profiles: Profiles, level: str, code: str) -> dict[str, str]:
    """The area ``code`` of ``level`` (code and name), or a NotFoundError naming it."""
    if level not in AREA_LEVELS:
        raise NotFoundError(
            f"There is no area level {level!r}; levels: {', '.join(AREA_LEVELS)}."
        )
    rows = profiles.areas[
        (profiles.areas["area_level"] == level) & (profiles.areas["area_code"] == code)
    ]
    if rows.empty:
        raise NotFoundError(
            f"There is no {LEVEL_TITLES[level].lower()} {code!r} in the footprint."
        )
    row = rows.iloc[0]
    return {
        "area_level": level,
        "area_code": code,
        "area_name": str(row["area_name"]),
        "level_title": LEVEL_TITLES[level],
    }


def areas_of(profiles: Profiles, level: str) -> pd.DataFrame:
    """Areas of ``level`` by name (code, name, parent and place)."""
    area(profiles, level, _first_code(profiles, level))
    return (
        profiles.areas[profiles.areas["area_level"] == level]
        .sort_values("area_name")
        .reset_index(drop=True)
    )


def _first_code(profiles: Profiles, level: str) -> str:
    codes = profiles.areas.loc[profiles.areas["area_level"] == level, "area_code"]
    if codes.empty:
        raise NotFoundError(f"The footprint has no areas of level {level!r}.")
    return str(codes.iloc[0])


def area_profile(
    profiles: Profiles, level: str, code: str, period: str | None = None
) -> pd.DataFrame:
    """Every indicator for one area in one period, with what a spine chart needs.

    Beside the area's own row: the England value, and the lowest, 25th percentile,
    75th percentile and highest values among the areas of the same level in the
    footprint (its peers). For a single-area level (the system) the peer range is
    the area itself.
    """
    area(profiles, level, code)
    period = check_period(profiles, period)
    v = profiles.values
    level_rows = v[(v["area_level"] == level) & (v["period"] == period)]
    spread = level_rows.groupby("indicator_id")["value"].describe()[
        ["min", "25%", "75%", "max", "count"]
    ]
    spread.columns = ["peer_min", "peer_q25", "peer_q75", "peer_max", "peer_count"]
    own = level_rows[level_rows["area_code"] == code].join(spread, on="indicator_id")
    return with_titles(own).sort_values(["domain", "title"], ignore_index=True)


def indicator_areas(
    profiles: Profiles, indicator_id: str, level: str, period: str | None = None
) -> pd.DataFrame:
    """One indicator for every area of ``level`` in ``period`` (funnel plot, table)."""
    spec_of(indicator_id)
    period = check_period(profiles, period)
    if level not in AREA_LEVELS:
        raise NotFoundError(
            f"There is no area level {level!r}; levels: {', '.join(AREA_LEVELS)}."
        )
    v = profiles.values
    rows = v[
        (v["indicator_id"] == indicator_id)
        & (v["area_level"] == level)
        & (v["period"] == period)
    ]
    return rows.sort_values(["rank", "area_name"], ignore_index=True)


def indicator_trend(
    profiles: Profiles, indicator_id: str, level: str, code: str
) -> pd.DataFrame:
    """One indicator for one area across every period, with the England value."""
    spec_of(indicator_id)
    area(profiles, level, code)
    v = profiles.values
    rows = v[
        (v["indicator_id"] == indicator_id)
        & (v["area_level"] == level)
        & (v["area_code"] == code)
    ]
    return rows.sort_values("period", ignore_index=True)


def worse_than_benchmark(
    profiles: Profiles, level: str, code: str, period: str | None = None
) -> pd.DataFrame:
    """Indicators significantly worse than benchmark (95%), largest gap in counts first.

    ``adverse`` is the gap in the bad direction, in counts: the excess where lower is
    better ("an additional 30 admissions"), the shortfall where higher is better (306
    fewer day cases than at England's rate). Indicators without a count gap (life
    expectancy, money per head) follow, by how far the value is from the benchmark
    relative to it.
    """
    rows = area_profile(profiles, level, code, period)
    worse = rows[rows["compared_95"] == "worse"].copy()
    sign = np.where(worse["polarity"] == "higher_is_better", -1.0, 1.0)
    worse["adverse"] = worse["excess"].astype(float) * sign
    benchmark = worse["benchmark_value"].astype(float)
    worse["relative_gap"] = (worse["value"].astype(float) - benchmark).abs() / (
        benchmark.abs().where(benchmark != 0)
    )
    return worse.sort_values(
        ["adverse", "relative_gap"],
        ascending=[False, False],
        ignore_index=True,
        na_position="last",
    )


LIFE_EXPECTANCY_IDS = (
    "life_expectancy_at_birth_female",
    "life_expectancy_at_birth_male",
)


@dataclass(frozen=True)
class AreaGap:
    """The health and wellbeing gap of one area (the system or a place)."""

    area: dict[str, str]
    worse: pd.DataFrame
    life_expectancy: pd.DataFrame
    counts: dict[str, int]


def health_gap(profiles: Profiles, period: str | None = None) -> list[AreaGap]:
    """The gap view: the system first, then each place by name.

    Each area lists its indicators significantly worse than benchmark ranked by
    excess, its comparison counts (better / similar / worse ...), and the life
    expectancy gap across the deprivation gradient: the slope index of inequality of
    life expectancy by IMD decile, in years, with its 95% limits.
    """
    period = check_period(profiles, period)
    result = []
    for level in ("icb", "place"):
        for _, row in areas_of(profiles, level).iterrows():
            code = str(row["area_code"])
            rows = area_profile(profiles, level, code, period)
            le = rows[rows["indicator_id"].isin(LIFE_EXPECTANCY_IDS)]
            counts = rows["compared_95"].value_counts().to_dict()
            result.append(
                AreaGap(
                    area=area(profiles, level, code),
                    worse=worse_than_benchmark(profiles, level, code, period),
                    life_expectancy=le.reset_index(drop=True),
                    counts={str(k): int(n) for k, n in counts.items()},
                )
            )
    return result


def compare_areas(
    profiles: Profiles,
    first: tuple[str, str],
    second: tuple[str, str],
    period: str | None = None,
) -> pd.DataFrame:
    """Two areas side by side, indicator by indicator, with which is significantly higher.

    ``difference`` is ``higher`` or ``lower`` (first against second) when their 95%
    intervals do not overlap, else ``similar``; ``not_compared`` without both.
    Non-overlapping intervals is a conservative test (research/indicators.md).
    """
    period = check_period(profiles, period)
    a = area_profile(profiles, *first, period).set_index("indicator_id")
    b = area_profile(profiles, *second, period).set_index("indicator_id")
    cols = ["value", "lower_95", "upper_95", "compared_95", "value_reason"]
    joined = a[["title", "domain", "polarity", "unit", *cols]].merge(
        b[cols], left_index=True, right_index=True, how="outer", suffixes=("_a", "_b")
    )
    lo_a, hi_a = joined["lower_95_a"].astype(float), joined["upper_95_a"].astype(float)
    lo_b, hi_b = joined["lower_95_b"].astype(float), joined["upper_95_b"].astype(float)
    known = lo_a.notna() & hi_a.notna() & lo_b.notna() & hi_b.notna()
    difference = np.select(
        [~known, lo_a > hi_b, hi_a < lo_b],
        ["not_compared", "higher", "lower"],
        default="similar",
    )
    joined["difference"] = difference
    return joined.reset_index().sort_values(["domain", "title"], ignore_index=True)
