"""The JSON API of benchmarking (v1): measures, an area's peers and its opportunities.

Opportunities are published rows (small counts hidden). An unknown area or period,
or a warehouse without computed benchmarks, answers 404 with the error envelope.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel

from tripleaim.access import Principal
from tripleaim.benchmark import load, measures, views
from tripleaim.benchmark.pack import headline
from tripleaim.errors import NotFoundError
from tripleaim.web.deps import require, settings_of
from tripleaim.web.routers.api import ERRORS

router = APIRouter(prefix="/api/v1/benchmark", tags=["benchmark"], responses=ERRORS)

Viewer = Annotated[Principal, Depends(require("benchmark", "view"))]
AreaCode = Annotated[
    str, Path(max_length=12, pattern=r"^[A-Za-z0-9]+$", description="GSS or ODS code.")
]
Period = Annotated[
    str | None,
    Query(
        max_length=7,
        pattern=r"^\d{4}/\d{2}$",
        description="e.g. 2023/24; latest if absent.",
    ),
]


class MeasurePublic(BaseModel):
    """One benchmark measure definition."""

    id: str
    version: int
    title: str
    description: str
    category: str
    programme: str
    scope: str
    levels: list[str]
    method: str
    multiplier: float
    polarity: str
    unit: str
    target: float | None
    target_source: str | None
    source: str


class PeerPublic(BaseModel):
    """One peer of an area, with its rank and weighted distance."""

    peer_group: str
    rank: int
    peer_code: str
    peer_name: str
    distance: float


class OpportunityPublic(BaseModel):
    """One measure for the area: value, benchmarks, gaps and counted opportunity."""

    measure_id: str
    period: str
    peer_group: str
    value: float | None
    lower_95: float | None
    upper_95: float | None
    peers: int
    peer_mean: float | None
    best5_mean: float | None
    best5_lower_95: float | None
    best5_upper_95: float | None
    top_quartile: float | None
    target: float | None
    gap_peer_mean: float | None
    gap_best5: float | None
    gap_best5_lower: float | None
    gap_best5_upper: float | None
    gap_top_quartile: float | None
    gap_target: float | None
    gbp_best5: float | None
    significant_naive: bool
    significant: bool
    opportunity_events: float | None
    opportunity_bed_days: float | None
    opportunity_gbp: float | None
    flag: str
    flag_detail: str | None


class AreaOpportunitiesPublic(BaseModel):
    """Every measure of an area in a period, with the headline."""

    area_code: str
    area_name: str
    area_level: str
    period: str
    counted_gbp: float
    counted_bed_days: float
    naive_gbp: float
    opportunities: list[OpportunityPublic]


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


@router.get("/measures")
def list_measures(principal: Viewer) -> list[MeasurePublic]:
    """Every measure definition."""
    return [
        MeasurePublic(
            **spec.model_dump(include=set(MeasurePublic.model_fields) - {"levels"}),
            levels=list(spec.levels),
        )
        for spec in measures().values()
    ]


@router.get("/areas/{area_code}/peers")
def area_peers(
    request: Request, principal: Viewer, area_code: AreaCode
) -> list[PeerPublic]:
    """The area's peers, nearest first."""
    data = load(settings_of(request))
    rows = data.peers[data.peers["area_code"] == area_code].sort_values("rank")
    if rows.empty:
        raise NotFoundError(f"Area {area_code!r} has no peers.")
    fields = list(PeerPublic.model_fields)
    return [PeerPublic(**{k: _clean(r[k]) for k in fields}) for _, r in rows.iterrows()]


@router.get("/areas/{area_code}/opportunities")
def area_opportunities(
    request: Request, principal: Viewer, area_code: AreaCode, period: Period = None
) -> AreaOpportunitiesPublic:
    """Every measure of the area in the period (latest by default)."""
    data = load(settings_of(request))
    chosen = views.check_period(data, period)
    table = data.opportunities
    rows = table[(table["area_code"] == area_code) & (table["period"] == chosen)]
    if rows.empty:
        raise NotFoundError(
            f"There are no benchmarks for area {area_code!r} in {chosen}."
        )
    h = headline(rows)
    fields = list(OpportunityPublic.model_fields)
    return AreaOpportunitiesPublic(
        area_code=area_code,
        area_name=str(rows["area_name"].iloc[0]),
        area_level=str(rows["area_level"].iloc[0]),
        period=chosen,
        counted_gbp=h["gbp"],
        counted_bed_days=h["bed_days"],
        naive_gbp=h["naive_gbp"],
        opportunities=[
            OpportunityPublic(**{k: _clean(r[k]) for k in fields})
            for _, r in rows.iterrows()
        ],
    )
