"""Run the pipelines for a set of indicators: one engine pass per source table.

:func:`plan` gathers every numerator and denominator by the source that counts it
(identical definitions are counted once) and decides each source's grain: the IMD
decile always (for the inequality gap), the age group only where a standardised
rate or life expectancy needs it. :func:`compute_aggregates` runs one
:func:`~tripleaim.indicators.pipelines.count_cube` per source and one
:func:`~tripleaim.indicators.national.national_cube`, and hands the results to the
methods as pandas frames. Everything after this is arithmetic on aggregates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

import ibis.expr.types as ir
import numpy as np
import numpy.typing as npt
import pandas as pd

from tripleaim.errors import NotFoundError
from tripleaim.indicators.counts import AnyCount, source_of
from tripleaim.indicators.national import national_cube
from tripleaim.indicators.pipelines import (
    LEVELS,
    area_dimension,
    conditions_of,
    count_cube,
)
from tripleaim.indicators.sources import required_tables, start_year
from tripleaim.indicators.spec import IndicatorSpec
from tripleaim.warehouse import Engine

BANDED = ("dsr", "life_expectancy")
NATIONAL_TABLES = ("national_areas", "national_activity", "national_population")


@dataclass(frozen=True)
class MeasureRef:
    """Where one numerator or denominator is counted: a source and its column."""

    source: str
    column: str


@dataclass(frozen=True)
class Plan:
    """What to count in each source, at which grain, and who reads which column."""

    measures: dict[str, dict[str, AnyCount]] = field(default_factory=dict)
    grains: dict[str, tuple[str, ...]] = field(default_factory=dict)
    refs: dict[tuple[str, str], MeasureRef] = field(default_factory=dict)
    national_measures: tuple[str, ...] = ()


def plan(specs: Iterable[IndicatorSpec]) -> Plan:
    """The counting plan for ``specs``; each distinct count becomes one column."""
    measures: dict[str, dict[str, AnyCount]] = {}
    keys: dict[tuple[str, str], str] = {}
    banded: set[str] = set()
    refs: dict[tuple[str, str], MeasureRef] = {}
    national: set[str] = set()
    for spec in specs:
        for role, count in (
            ("numerator", spec.numerator),
            ("denominator", spec.denominator),
        ):
            source = source_of(count)
            key = (source, count.model_dump_json())
            if key not in keys:
                columns = measures.setdefault(source, {})
                keys[key] = f"m{len(columns) + 1}"
                columns[keys[key]] = count
            refs[(spec.id, role)] = MeasureRef(source, keys[key])
            if spec.method.kind in BANDED:
                banded.add(source)
        if spec.national is not None:
            national.update(spec.national.numerator)
            if spec.national.denominator != "population":
                national.update(spec.national.denominator)
    grains: dict[str, tuple[str, ...]] = {
        source: ("imd_decile", "age_group") if source in banded else ("imd_decile",)
        for source in measures
    }
    return Plan(measures, grains, refs, tuple(sorted(national)))


@dataclass(frozen=True)
class Aggregates:
    """Counts for a set of indicators, keyed by integers for fast arithmetic.

    Attributes:
        periods: Financial years, oldest first.
        plan: What was counted where.
        areas: ``area_id``, ``area_level``, ``area_code`` of every footprint area.
        cubes: Per source: ``area_id``, ``year`` (first calendar year of the financial
            year), ``imd_decile`` (0 when unknown), ``age`` (first age of the
            life-table group, where counted) and a float column per measure.
        national_areas: ``nat_id``, ``comparator``, ``area_code`` (or None).
        national: ``nat_id``, ``year``, ``sex``, ``age`` (first age of the ESP2013
            band), ``population`` and a column per national measure (or None).
    """

    periods: tuple[str, ...]
    plan: Plan
    areas: pd.DataFrame
    cubes: dict[str, pd.DataFrame]
    national_areas: pd.DataFrame | None = None
    national: pd.DataFrame | None = None
    grained: dict[tuple[str, bool], pd.DataFrame] = field(
        default_factory=dict, repr=False, compare=False
    )
    """Cubes summed to the grain an indicator reads, filled on first use."""

    @property
    def years(self) -> list[int]:
        """The ``year`` key of each period, oldest first."""
        return [start_year(period) for period in self.periods]

    def level_of(self, area_ids: pd.Series) -> npt.NDArray[np.int64]:
        """Position in ``LEVELS`` of each area's level."""
        levels = self.areas["area_level"].map(
            {name: i for i, name in enumerate(LEVELS)}
        )
        codes = np.asarray(levels.to_numpy(), dtype=np.int64)
        return np.asarray(codes[area_ids.to_numpy()], dtype=np.int64)

    def area_code(self, area_ids: pd.Series) -> npt.NDArray[np.object_]:
        """The code of each footprint area id."""
        codes = self.areas["area_code"].to_numpy(dtype=object)
        return cast("npt.NDArray[np.object_]", codes[area_ids.to_numpy()])

    def national_code(self, nat_ids: pd.Series) -> npt.NDArray[np.object_]:
        """The code of each national comparator area id."""
        if self.national_areas is None:
            return np.full(len(nat_ids), None, dtype=object)
        codes = self.national_areas["area_code"].to_numpy(dtype=object)
        return cast("npt.NDArray[np.object_]", codes[nat_ids.to_numpy()])

    def comparator_ids(self, comparator: str) -> list[int]:
        """National area ids of one comparator type (england, utla or icb)."""
        if self.national_areas is None:
            return []
        chosen = self.national_areas["comparator"] == comparator
        return self.national_areas.loc[chosen, "nat_id"].tolist()


def _start_age(label: str) -> int:
    return int(label.split("-", maxsplit=1)[0].rstrip("+"))


def _keyed(
    frame: pd.DataFrame,
    ids: pd.DataFrame,
    on: list[str],
    id_name: str,
    periods: Sequence[str],
) -> pd.DataFrame:
    """Replace the string keys of ``frame`` by integers (area id, year, age)."""
    years = {period: start_year(period) for period in periods}
    out = frame.merge(ids, on=on, how="left").drop(columns=on)
    out["year"] = out.pop("period").map(years).astype("int64")
    band = (
        "age_group" if "age_group" in out else "age_band" if "age_band" in out else None
    )
    if band is not None:
        labels = out.pop(band)
        starts = {label: _start_age(label) for label in labels.unique()}
        out["age"] = labels.map(starts).astype("int64")
    values = [
        c for c in out.columns if c not in (id_name, "year", "age", "imd_decile", "sex")
    ]
    out[values] = out[values].astype("float64")
    return out


class Counter:
    """Counts the sources of a plan on one engine, a source at a time.

    :meth:`start` fetches the area dimension and the national comparators (small);
    :meth:`count` then adds one source's cube, so profiles of indicators whose
    sources are in can be computed while the engine counts the next.
    """

    def __init__(
        self, engine: Engine, specs: Sequence[IndicatorSpec], periods: Sequence[str]
    ) -> None:
        self.engine = engine
        self.plan = plan(specs)
        self.periods = tuple(periods)
        self._tables: dict[str, ir.Table] = {}

    def table(self, name: str) -> ir.Table:
        """A warehouse table, looked up once."""
        if name not in self._tables:
            self._tables[name] = self.engine.table(name)
        return self._tables[name]

    def sources(self) -> list[str]:
        """Sources in counting order, the most read first.

        The mid-year population, most indicators' denominator, leads.
        """
        uses: dict[str, int] = {}
        for ref in self.plan.refs.values():
            uses[ref.source] = uses.get(ref.source, 0) + 1
        uses["registered_population_mid_year"] = len(self.plan.refs) + 1
        return sorted(self.plan.measures, key=lambda source: -uses.get(source, 0))

    def start(self) -> Aggregates:
        """Aggregates with the area dimension and national counts, and no cubes yet."""
        dimension = area_dimension(self.table("persons"), self.table("organisations"))
        areas = area_index(self.engine.execute(dimension).to_pandas())
        if not self.plan.national_measures:
            return Aggregates(self.periods, self.plan, areas, {})
        tables = {name: self.table(name) for name in NATIONAL_TABLES}
        expr = national_cube(tables, self.plan.national_measures, self.periods)
        frame = self.engine.execute(expr).to_pandas()
        nat_areas = frame[["comparator", "area_code"]].drop_duplicates()
        nat_areas = nat_areas.sort_values(
            ["comparator", "area_code"], ignore_index=True
        )
        nat_areas.insert(0, "nat_id", range(len(nat_areas)))
        keyed = _keyed(
            frame, nat_areas, ["comparator", "area_code"], "nat_id", self.periods
        )
        return Aggregates(self.periods, self.plan, areas, {}, nat_areas, keyed)

    def count(self, aggs: Aggregates, source: str) -> None:
        """Count one source on the engine and add its cube to ``aggs``."""
        measures = self.plan.measures[source]
        names = required_tables(source, conditions_of(measures))
        tables = {name: self.table(name) for name in names}
        expr = count_cube(
            tables, source, measures, self.periods, by=self.plan.grains[source]
        )
        frame = self.engine.execute(expr).to_pandas()
        frame["imd_decile"] = frame["imd_decile"].fillna(0).astype("int64")
        keys = ["area_level", "area_code"]
        aggs.cubes[source] = _keyed(frame, aggs.areas, keys, "area_id", self.periods)


def compute_aggregates(
    engine: Engine, specs: Sequence[IndicatorSpec], periods: Sequence[str]
) -> Aggregates:
    """Count everything ``specs`` need on ``engine`` (DuckDB or Spark).

    Raises:
        NotFoundError: If a table the indicators read is not in the warehouse.
    """
    counter = Counter(engine, specs, periods)
    aggs = counter.start()
    for source in counter.sources():
        counter.count(aggs, source)
    return aggs


def area_index(pairs: pd.DataFrame) -> pd.DataFrame:
    """``area_id`` for each distinct (``area_level``, ``area_code``), levels in order."""
    order = {level: number for number, level in enumerate(LEVELS)}
    unique = pairs.drop_duplicates().copy()
    unique["_order"] = unique["area_level"].map(order)
    unique = unique.sort_values(["_order", "area_code"], ignore_index=True)
    unique.insert(0, "area_id", range(len(unique)))
    return unique.drop(columns="_order")


def financial_years(engine: Engine) -> tuple[str, ...]:
    """The financial years the warehouse covers: those of ``national_population``.

    Raises:
        NotFoundError: If the comparator tables hold no years.
    """
    people = engine.table("national_population")
    years = engine.execute(
        people.select("financial_year").distinct().order_by("financial_year")
    ).column("financial_year")
    found = tuple(str(year) for year in years.to_pylist())
    if not found:
        raise NotFoundError(
            "national_population holds no financial years; run `tripleaim generate` "
            "or load the national comparator tables first."
        )
    return found
