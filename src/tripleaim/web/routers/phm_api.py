"""The JSON API of population health management (v1): segments, risk and cohorts.

Aggregates only for ``phm.view``; cohort members are pseudonymised and need
``phm.export`` (every call audited as ``phm.export``). Identities are never served
here: re-identification is a deliberate, audited act on the case-finding page.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel

from tripleaim.access import Principal
from tripleaim.errors import NotFoundError
from tripleaim.phm.cohorts.spec import cohort, cohorts
from tripleaim.phm.overview import overview
from tripleaim.phm.segmenting import cohort_list
from tripleaim.web.deps import audit_now, require, settings_of
from tripleaim.web.routers.api import ERRORS

router = APIRouter(prefix="/api/v1/phm", tags=["population health"], responses=ERRORS)

Viewer = Annotated[Principal, Depends(require("phm", "view"))]
Exporter = Annotated[Principal, Depends(require("phm", "export"))]
Code = Annotated[
    str, Query(max_length=12, pattern=r"^[A-Za-z0-9]*$", description="Area code.")
]


class SegmentPublic(BaseModel):
    """People and spend in one segment of an area."""

    id: str
    title: str
    persons: int
    share: float
    spend: float
    mean_spend: float


class RiskBandPublic(BaseModel):
    """People and spend in one risk band of an area."""

    id: str
    title: str
    persons: int
    share: float
    spend: float


class PopulationPublic(BaseModel):
    """An area's segments, risk bands and segment x risk matrix."""

    level: str
    code: str
    name: str
    index_date: str | None
    persons: int
    segments: list[SegmentPublic]
    risk_scored: bool
    risk_bands: list[RiskBandPublic]
    matrix: list[dict[str, Any]]
    model: dict[str, Any] | None


class CohortPublic(BaseModel):
    """A cohort definition."""

    id: str
    title: str
    description: str
    source: str
    version: int
    rank_by: str
    reasons: list[str]


class MemberPublic(BaseModel):
    """One pseudonymised member of a cohort, in rank order, with the reasons."""

    rank: int
    person_id: int
    practice_code: str
    pcn_code: str | None
    age_band: str
    segment: str
    risk: float | None
    reasons: str


@router.get("/population", response_model=PopulationPublic)
def population(
    request: Request,
    principal: Viewer,
    level: Literal["system", "place", "pcn", "practice"] = "system",
    code: Code = "",
) -> PopulationPublic:
    """Segments, risk bands and the segment x risk matrix of the system or an area."""
    view = overview(settings_of(request), level, code)
    model = dict(view.model or {})
    model.pop("calibration_svg", None)
    return PopulationPublic(
        level=view.area.level,
        code=view.area.code,
        name=view.area.name,
        index_date=str(view.index_date) if view.index_date else None,
        persons=view.persons,
        segments=[
            SegmentPublic(**{k: s[k] for k in SegmentPublic.model_fields})
            for s in view.segments
        ],
        risk_scored=view.risk_scored,
        risk_bands=[RiskBandPublic(**b) for b in view.risk_bands],
        matrix=view.matrix,
        model=model or None,
    )


@router.get("/cohorts", response_model=list[CohortPublic])
def cohort_definitions(principal: Viewer) -> list[CohortPublic]:
    """Every shipped cohort definition."""
    return [
        CohortPublic(
            id=c.id,
            title=c.title,
            description=c.description,
            source=c.source,
            version=c.version,
            rank_by=c.rank_by.field,
            reasons=list(c.reasons),
        )
        for c in cohorts().values()
    ]


@router.get("/cohorts/{cohort_id}/members", response_model=list[MemberPublic])
def members(
    request: Request,
    principal: Exporter,
    cohort_id: Annotated[str, Path(max_length=60, pattern=r"^[a-z][a-z0-9_]*$")],
    practice: Code = "",
    pcn: Code = "",
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
) -> list[MemberPublic]:
    """A cohort's ranked, pseudonymised members in a practice or PCN (audited)."""
    if cohort_id not in cohorts():
        raise NotFoundError(
            f"There is no cohort {cohort_id!r}; cohorts are {', '.join(sorted(cohorts()))}."
        )
    spec = cohort(cohort_id)
    result = cohort_list(
        settings_of(request), spec, practice or None, pcn or None, limit
    )
    audit_now(
        request,
        principal,
        "phm.export",
        "success",
        object_type="cohort",
        object_id=spec.id,
        detail={"practice": practice, "format": "json", "persons": len(result.rows)},
    )
    return [MemberPublic(**row) for row in result.rows]
