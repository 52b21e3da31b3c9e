"""Profiles: every indicator for every area, level and period, with its context.

For one indicator, from the aggregates of :mod:`tripleaim.indicators.aggregates`:

1. the value and its 95% and 99.8% limits for every practice, PCN, place and the
   system in every financial year (:func:`~tripleaim.indicators.values.evaluate`);
2. the same indicator for England, every upper-tier authority and every ICB from
   the national comparator tables, by the same method, where the definition has a
   ``national`` block;
3. the benchmark (England, or the system) and the comparison with it
   (:mod:`tripleaim.indicators.comparisons`), and the excess: the numerator less what
   the benchmark's rates would give the area's population;
4. ranks among areas of the level, and among the 152 upper-tier authorities (places)
   or the 42 ICBs (the system);
5. the trend marker (:mod:`tripleaim.indicators.trends`);
6. the inequality gap across deprivation deciles (:mod:`tripleaim.indicators.deprivation`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from tripleaim.indicators.aggregates import BANDED, Aggregates
from tripleaim.indicators.comparisons import (
    NOT_COMPARED,
    compare,
    expected_from_bands,
    expected_from_rate,
    rank_among,
    rank_values,
)
from tripleaim.indicators.counts import AnyCount
from tripleaim.indicators.deprivation import SII_LEVELS, inequality_gaps
from tripleaim.indicators.pipelines import LEVELS
from tripleaim.indicators.results import INDICATOR_VALUES, LEVEL_NOT_COVERED
from tripleaim.indicators.sources import start_year
from tripleaim.indicators.spec import IndicatorSpec
from tripleaim.indicators.trends import MAXIMUM_POINTS, trend_assessment, trend_markers
from tripleaim.indicators.values import esp_start, evaluate

KEYS = ["area_id", "year"]
NATIONAL_KEYS = ["nat_id", "year"]
NO_LIMITS = "no_confidence_limits"
SII_LEVEL_CODES = [LEVELS.index(level) for level in SII_LEVELS]


def _grained(aggs: Aggregates, source: str, banded: bool) -> pd.DataFrame:
    """A source's measures indexed by area, year, decile (and age), summed once."""
    key = (source, banded)
    if key not in aggs.grained:
        cube = aggs.cubes[source]
        keys = [*KEYS, "imd_decile", *(["age"] if banded else [])]
        if banded or "age" not in cube:
            aggs.grained[key] = cube.set_index(keys)
        else:
            aggs.grained[key] = cube.drop(columns="age").groupby(keys, sort=False).sum()
    return aggs.grained[key]


def footprint_counts(aggs: Aggregates, spec: IndicatorSpec) -> pd.DataFrame:
    """``x`` and ``n`` by area, year, IMD decile (and age band for DSR and LE)."""
    banded = spec.method.kind in BANDED
    num = aggs.plan.refs[(spec.id, "numerator")]
    den = aggs.plan.refs[(spec.id, "denominator")]
    x = _grained(aggs, num.source, banded)[num.column]
    n = _grained(aggs, den.source, banded)[den.column]
    if num.source == den.source:
        frame = pd.DataFrame({"x": x, "n": n})
    else:
        frame = pd.concat({"x": x, "n": n}, axis=1).fillna(0.0)
    return frame.reset_index()


def _national_mask(national: pd.DataFrame, count: AnyCount) -> pd.Series:
    """Rows of the national counts inside ``count``'s age and sex limits."""
    where = count.where
    mask = pd.Series(True, index=national.index)
    if where.age_min is not None:
        mask &= national["age"] >= where.age_min
    if where.age_max is not None:
        mask &= national["age"] <= where.age_max
    if where.sex is not None:
        mask &= national["sex"] == where.sex
    return mask


def national_counts(aggs: Aggregates, spec: IndicatorSpec) -> pd.DataFrame | None:
    """``x`` and ``n`` by comparator area and year (and band) from the national tables."""
    if spec.national is None or aggs.national is None:
        return None
    nat = aggs.national
    x = nat[list(spec.national.numerator)].sum(axis=1)
    den = spec.national.denominator
    n = nat["population"] if den == "population" else nat[list(den)].sum(axis=1)
    keys = [*NATIONAL_KEYS, *(["age"] if spec.method.kind in BANDED else [])]
    frame = nat[keys].assign(
        x=x.where(_national_mask(nat, spec.numerator), 0.0),
        n=n.where(_national_mask(nat, spec.denominator), 0.0),
    )
    return frame.groupby(keys, as_index=False, sort=False)[["x", "n"]].sum()


def _band_rates(counts: pd.DataFrame) -> pd.DataFrame:
    """Events per person by year and ESP2013 band."""
    banded = counts.assign(age=esp_start(counts["age"]))
    summed = banded.groupby(["year", "age"], as_index=False)[["x", "n"]].sum()
    n = summed["n"].to_numpy()
    summed["rate"] = np.divide(
        summed["x"].to_numpy(), n, out=np.zeros(len(n)), where=n > 0
    )
    return summed[["year", "age", "rate"]]


def _benchmark(
    spec: IndicatorSpec,
    aggs: Aggregates,
    main: pd.DataFrame,
    counts: pd.DataFrame,
    national: pd.DataFrame | None,
    nat_counts: pd.DataFrame | None,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Benchmark code and value per year, and its band rates (DSR and LE).

    England is the national comparator tables' England row; the system is the
    footprint's ICB (the one with the largest denominator, should there be several).
    """
    banded = spec.method.kind in BANDED
    rates = None
    if spec.benchmark == "england" and national is not None and nat_counts is not None:
        england = national[national["nat_id"].isin(aggs.comparator_ids("england"))]
        bench = england[["year", "value"]].assign(
            benchmark_code=aggs.national_code(england["nat_id"]), benchmark_id=-1
        )
        if banded:
            rates = _band_rates(
                nat_counts[nat_counts["nat_id"].isin(england["nat_id"])]
            )
    else:
        systems = main[main["level"] == LEVELS.index("icb")]
        chosen = systems.sort_values("denominator", ascending=False).drop_duplicates(
            "year"
        )
        bench = chosen[["year", "value"]].assign(
            benchmark_code=aggs.area_code(chosen["area_id"]),
            benchmark_id=chosen["area_id"].to_numpy(),
        )
        if banded:
            rates = _band_rates(counts.merge(chosen[KEYS], on=KEYS))
    bench = bench.rename(columns={"value": "benchmark_value"})
    return bench, rates


def _expected(
    spec: IndicatorSpec,
    main: pd.DataFrame,
    counts: pd.DataFrame,
    rates: pd.DataFrame | None,
) -> np.ndarray:
    """The numerator each area would have at the benchmark's value or rates."""
    if rates is None:
        return expected_from_rate(
            main["benchmark_value"], main["denominator"], spec.multiplier
        )
    banded = counts.assign(age=esp_start(counts["age"]))
    populations = banded.groupby([*KEYS, "age"])["n"].sum().reset_index()
    expected = expected_from_bands(populations, rates, ["area_id"])
    joined = main[KEYS].merge(expected, on=KEYS, how="left")
    return joined["expected"].to_numpy(dtype=np.float64)


def _trends(spec: IndicatorSpec, main: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Trend marker, assessment and chi-squared for every area and year."""
    ids = np.sort(main["area_id"].unique())
    index = pd.MultiIndex.from_product([ids, years], names=KEYS)
    columns = ["value", "lower_95", "upper_95", "numerator", "denominator"]
    full = main.set_index(KEYS)[columns].reindex(index)
    cube = {
        c: full[c].to_numpy(dtype=np.float64).reshape(len(ids), len(years))
        for c in columns
    }
    parts = []
    for end in range(len(years)):
        first = max(0, end + 1 - MAXIMUM_POINTS)
        window = {c: values[:, first : end + 1] for c, values in cube.items()}
        markers, chi = trend_markers(
            window["value"],
            window["lower_95"],
            window["upper_95"],
            window["numerator"],
            window["denominator"],
            proportion=spec.method.kind == "proportion",
        )
        parts.append(
            pd.DataFrame(
                {
                    "area_id": ids,
                    "year": years[end],
                    "trend": markers,
                    "trend_assessment": trend_assessment(markers, spec.polarity),
                    "trend_chi_squared": chi,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _gaps(
    spec: IndicatorSpec,
    main: pd.DataFrame,
    counts: pd.DataFrame,
    deciles: pd.DataFrame,
) -> pd.DataFrame:
    """SII for places and the system (see :mod:`tripleaim.indicators.deprivation`)."""
    covered = main[main["level"].isin(SII_LEVEL_CODES)]
    if spec.method.kind == "ratio":
        return covered[KEYS].assign(
            sii=np.nan,
            sii_lower_95=np.nan,
            sii_upper_95=np.nan,
            sii_quantiles=pd.array([pd.NA] * len(covered), dtype="Int64"),
            sii_reason=NO_LIMITS,
        )

    def quintiles_for(wanting: pd.DataFrame) -> pd.DataFrame:
        chosen = counts[counts["imd_decile"] > 0].merge(wanting, on=KEYS)
        grouped = chosen.assign(imd_quintile=(chosen["imd_decile"] + 1) // 2)
        return evaluate(spec, grouped, [*KEYS, "imd_quintile"])

    return inequality_gaps(spec.id, covered, KEYS, deciles, quintiles_for)


def _values_and_deciles(
    spec: IndicatorSpec, aggs: Aggregates, counts: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values of every area, and by IMD decile of places and the system, in one pass.

    Area totals are the rows with ``imd_decile`` -1 (all deciles, and people of
    unknown deprivation); one method call computes both, which halves the work.
    """
    totals = counts.assign(imd_decile=-1)
    levels = aggs.level_of(counts["area_id"])
    by_decile = counts[np.isin(levels, SII_LEVEL_CODES) & (counts["imd_decile"] > 0)]
    both = evaluate(spec, pd.concat([totals, by_decile]), [*KEYS, "imd_decile"])
    whole = both["imd_decile"].to_numpy() == -1
    main = both[whole].drop(columns="imd_decile").reset_index(drop=True)
    return main, both[~whole].reset_index(drop=True)


def _national_ranks(
    spec: IndicatorSpec,
    aggs: Aggregates,
    main: pd.DataFrame,
    national: pd.DataFrame | None,
) -> tuple[pd.Series, pd.Series]:
    """Places among the 152 upper-tier authorities, the system among the 42 ICBs."""
    rank = pd.Series(pd.NA, index=main.index, dtype="Int64")
    ranked_of = pd.Series(pd.NA, index=main.index, dtype="Int64")
    if national is None:
        return rank, ranked_of
    for level, comparator in (("place", "utla"), ("icb", "icb")):
        areas = main.loc[
            main["level"] == LEVELS.index(level), ["area_id", "year", "value"]
        ]
        areas = areas.assign(area_code=aggs.area_code(areas["area_id"]))
        others = national[national["nat_id"].isin(aggs.comparator_ids(comparator))]
        others = others.assign(area_code=aggs.national_code(others["nat_id"]))
        level_rank, level_of = rank_among(areas, others, spec.polarity)
        rank.loc[areas.index] = level_rank
        ranked_of.loc[areas.index] = level_of
    return rank, ranked_of


def _england_values(aggs: Aggregates, national: pd.DataFrame | None) -> pd.DataFrame:
    years = pd.DataFrame({"year": aggs.years})
    if national is None:
        return years.assign(england_value=np.nan)
    values = national[national["nat_id"].isin(aggs.comparator_ids("england"))]
    values = values[["year", "value"]].rename(columns={"value": "england_value"})
    return years.merge(values, on="year", how="left")


def indicator_profile(spec: IndicatorSpec, aggs: Aggregates) -> pd.DataFrame:
    """Every area, level and year of one indicator, keyed by ``area_id`` and ``year``.

    :func:`labelled` turns the keys into the columns of ``indicator_values``.
    """
    counts = footprint_counts(aggs, spec)
    main, deciles = _values_and_deciles(spec, aggs, counts)
    main["level"] = aggs.level_of(main["area_id"])
    nat_counts = national_counts(aggs, spec)
    national = None
    if nat_counts is not None:
        national = evaluate(spec, nat_counts, NATIONAL_KEYS, life_table=False)
    bench, rates = _benchmark(spec, aggs, main, counts, national, nat_counts)
    by_year = bench.set_index("year")
    for column in ("benchmark_value", "benchmark_code", "benchmark_id"):
        main[column] = main["year"].map(by_year[column])
    itself = (main["area_id"] == main["benchmark_id"]).to_numpy()
    for level, column in (("95", "compared_95"), ("99_8", "compared_99_8")):
        labels = compare(
            main[f"lower_{level}"],
            main[f"upper_{level}"],
            main["benchmark_value"],
            spec.polarity,
        )
        labels[itself] = NOT_COMPARED
        main[column] = labels
    main["expected"] = _expected(spec, main, counts, rates)
    main["excess"] = main["numerator"] - main["expected"]
    main["rank"], main["rank_of"] = rank_values(main, ["level", "year"], spec.polarity)
    main["national_rank"], main["national_rank_of"] = _national_ranks(
        spec, aggs, main, national
    )
    england = _england_values(aggs, national).set_index("year")["england_value"]
    main["england_value"] = main["year"].map(england)
    main = main.merge(_trends(spec, main, aggs.years), on=KEYS, how="left")
    main = main.merge(_gaps(spec, main, counts, deciles), on=KEYS, how="left")
    main.loc[~main["level"].isin(SII_LEVEL_CODES), "sii_reason"] = LEVEL_NOT_COVERED
    return main.rename(columns={"reason": "value_reason"}).assign(
        indicator_id=spec.id,
        indicator_version=spec.version,
        domain=spec.domain,
        benchmark=spec.benchmark,
    )


def labelled(frame: pd.DataFrame, aggs: Aggregates) -> pd.DataFrame:
    """Profile rows with area level, area code and period labels, in table order."""
    labels = {start_year(p): p for p in aggs.periods}
    out = frame.assign(
        area_level=np.asarray(LEVELS, dtype=object)[frame["level"].to_numpy()],
        area_code=aggs.area_code(frame["area_id"]),
        period=frame["year"].map(labels),
    )
    return out[list(INDICATOR_VALUES.column_names)]


def sort_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in key order (indicator, level, area, period)."""
    return frame.sort_values(list(INDICATOR_VALUES.primary_key), ignore_index=True)


def profiles(aggs: Aggregates, specs: Sequence[IndicatorSpec]) -> pd.DataFrame:
    """Every indicator's profile as ``indicator_values`` rows, sorted by key."""
    frame = pd.concat(
        [indicator_profile(spec, aggs) for spec in specs], ignore_index=True
    )
    return sort_rows(labelled(frame, aggs))
