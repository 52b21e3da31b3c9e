"""The JSON API of population health indicators (v1).

Values are published values (disclosure control applied): a suppressed value is
``null`` with ``value_reason``. Unknown indicators, areas and periods, and a warehouse
without computed profiles, answer 404 with the error envelope naming what is missing.
Fixed paths (``/areas/...``, ``/health-gap``) are declared before ``/{indicator_id}``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

import pandas as pd
from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel

from tripleaim.access import Principal
from tripleaim.indicators import definitions, labels, reading
from tripleaim.indicators.export import number
from tripleaim.indicators.spec import Domain, IndicatorSpec
from tripleaim.web.deps import require, settings_of
from tripleaim.web.routers.api import ERRORS

router = APIRouter(prefix="/api/v1/indicators", tags=["indicators"], responses=ERRORS)

Viewer = Annotated[Principal, Depends(require("indicators", "view"))]
Level = Literal["practice", "pcn", "place", "icb"]
IndicatorId = Annotated[
    str, Path(max_length=80, pattern=r"^[a-z][a-z0-9_]*$", description="Indicator id.")
]
AreaCode = Annotated[
    str, Path(max_length=12, pattern=r"^[A-Za-z0-9]+$", description="ODS or GSS code.")
]
Period = Annotated[
    str | None,
    Query(
        max_length=7,
        pattern=r"^\d{4}/\d{2}$",
        description="e.g. 2023/24; latest if absent.",
    ),
]
M = TypeVar("M", bound=BaseModel)


class IndicatorPublic(BaseModel):
    """One indicator definition with what a reader needs to interpret its values."""

    id: str
    version: int
    title: str
    description: str
    domain: str
    method: str
    unit: str
    multiplier: float
    polarity: str
    benchmark: str
    source: str
    fingertips_id: int | None


class AreaPublic(BaseModel):
    """An area of the footprint at one level."""

    area_level: str
    area_code: str
    area_name: str
    level_title: str


class ValuePublic(BaseModel):
    """One indicator value for one area and period; ``null`` values carry ``value_reason``."""

    indicator_id: str
    area_level: str
    area_code: str
    area_name: str
    period: str
    numerator: float | None
    denominator: float | None
    value: float | None
    lower_95: float | None
    upper_95: float | None
    lower_99_8: float | None
    upper_99_8: float | None
    value_reason: str | None
    benchmark: str
    benchmark_value: float | None
    england_value: float | None
    compared_95: str
    compared_99_8: str
    expected: float | None
    excess: float | None
    rank: int | None
    rank_of: int | None
    trend: str
    trend_assessment: str | None
    sii: float | None
    sii_lower_95: float | None
    sii_upper_95: float | None
    sii_reason: str | None


class ProfileValuePublic(ValuePublic):
    """A value in an area profile: with title, unit and the peer range (spine chart)."""

    title: str
    domain: str
    unit: str
    polarity: str
    peer_min: float | None
    peer_q25: float | None
    peer_q75: float | None
    peer_max: float | None


class GapValuePublic(ProfileValuePublic):
    """A value worse than benchmark; ``adverse`` is the gap in counts, bad direction."""

    adverse: float | None
    relative_gap: float | None


class IndicatorValuesPublic(BaseModel):
    """One indicator for every area of a level in a period."""

    indicator: IndicatorPublic
    area_level: str
    period: str
    values: list[ValuePublic]


class IndicatorTrendPublic(BaseModel):
    """One indicator for one area across every period."""

    indicator: IndicatorPublic
    area: AreaPublic
    values: list[ValuePublic]


class AreaProfilePublic(BaseModel):
    """Every indicator for one area in one period."""

    area: AreaPublic
    period: str
    values: list[ProfileValuePublic]


class AreaGapPublic(BaseModel):
    """The gap of one area: worse than benchmark (largest first) and life expectancy."""

    area: AreaPublic
    counts: dict[str, int]
    worse: list[GapValuePublic]
    life_expectancy: list[ProfileValuePublic]


class HealthGapPublic(BaseModel):
    """The health and wellbeing gap: the system, then each place."""

    period: str
    areas: list[AreaGapPublic]


def _indicator(spec: IndicatorSpec) -> IndicatorPublic:
    return IndicatorPublic(
        **spec.model_dump(include={"id", "version", "title", "domain", "multiplier"}),
        description=spec.description.strip(),
        method=spec.method.kind,
        unit=labels.unit_of(spec),
        polarity=spec.polarity,
        benchmark=spec.benchmark,
        source=spec.source,
        fingertips_id=spec.fingertips_id,
    )


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value
    return number(value) if value is not None and value is not pd.NA else None


def _values(frame: pd.DataFrame, model: type[M]) -> list[M]:
    """Frame rows as ``model``; missing and non-finite numbers become ``null``."""
    return [
        model.model_validate({str(k): _clean(v) for k, v in r.items()})
        for r in frame.to_dict("records")
    ]


def _profiles(request: Request) -> reading.Profiles:
    return reading.load(settings_of(request))


@router.get("", response_model=list[IndicatorPublic])
def list_indicators(
    principal: Viewer, domain: Domain | None = None
) -> list[IndicatorPublic]:
    """Every indicator definition (optionally of one domain), by domain and title."""
    specs = sorted(definitions().values(), key=lambda s: (s.domain, s.title))
    return [_indicator(s) for s in specs if domain in (None, s.domain)]


@router.get("/health-gap", response_model=HealthGapPublic)
def health_gap(
    request: Request, principal: Viewer, period: Period = None
) -> HealthGapPublic:
    """Indicators significantly worse than benchmark for the system and each place."""
    profiles = _profiles(request)
    period = reading.check_period(profiles, period)
    return HealthGapPublic(
        period=period,
        areas=[
            AreaGapPublic(
                area=AreaPublic(**g.area),
                counts=g.counts,
                worse=_values(g.worse, GapValuePublic),
                life_expectancy=_values(g.life_expectancy, ProfileValuePublic),
            )
            for g in reading.health_gap(profiles, period)
        ],
    )


@router.get("/areas/{level}/{code}", response_model=AreaProfilePublic)
def area_profile(
    request: Request,
    principal: Viewer,
    level: Level,
    code: AreaCode,
    period: Period = None,
) -> AreaProfilePublic:
    """Every indicator for one area in a period, with its peers' range."""
    profiles = _profiles(request)
    rows = reading.area_profile(profiles, level, code, period)
    return AreaProfilePublic(
        area=AreaPublic(**reading.area(profiles, level, code)),
        period=reading.check_period(profiles, period),
        values=_values(rows, ProfileValuePublic),
    )


@router.get("/{indicator_id}", response_model=IndicatorPublic)
def indicator(principal: Viewer, indicator_id: IndicatorId) -> IndicatorPublic:
    """One indicator definition."""
    return _indicator(reading.spec_of(indicator_id))


@router.get("/{indicator_id}/values", response_model=IndicatorValuesPublic)
def indicator_values(
    request: Request,
    principal: Viewer,
    indicator_id: IndicatorId,
    level: Level = "place",
    period: Period = None,
) -> IndicatorValuesPublic:
    """One indicator for every area of a level in a period, best ranked first."""
    spec = reading.spec_of(indicator_id)
    profiles = _profiles(request)
    rows = reading.indicator_areas(profiles, indicator_id, level, period)
    return IndicatorValuesPublic(
        indicator=_indicator(spec),
        area_level=level,
        period=reading.check_period(profiles, period),
        values=_values(rows, ValuePublic),
    )


@router.get("/{indicator_id}/areas/{level}/{code}", response_model=IndicatorTrendPublic)
def indicator_trend(
    request: Request,
    principal: Viewer,
    indicator_id: IndicatorId,
    level: Level,
    code: AreaCode,
) -> IndicatorTrendPublic:
    """One indicator for one area across every period (the trend)."""
    spec = reading.spec_of(indicator_id)
    profiles = _profiles(request)
    rows = reading.indicator_trend(profiles, indicator_id, level, code)
    return IndicatorTrendPublic(
        indicator=_indicator(spec),
        area=AreaPublic(**reading.area(profiles, level, code)),
        values=_values(rows, ValuePublic),
    )
