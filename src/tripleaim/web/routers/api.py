"""The JSON API (v1): for machine clients with bearer tokens, and for pages."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel

from tripleaim import audit
from tripleaim.access import Principal, role_title
from tripleaim.warehouse import person_record
from tripleaim.warehouse.overview import overview
from tripleaim.warehouse.schema.reference import ORG_TYPES
from tripleaim.web.deps import DB, audit_now, require, settings_of
from tripleaim.web.errors import ForbiddenError


class ErrorItem(BaseModel):
    """One problem with the request, located by its path (e.g. ["query", "limit"])."""

    location: list[str | int]
    message: str


class ErrorPublic(BaseModel):
    """The one error envelope every API error uses."""

    status: int
    code: str
    message: str
    errors: list[ErrorItem]


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorPublic, "description": "No valid session or bearer token"},
    403: {
        "model": ErrorPublic,
        "description": "The role or token scope does not allow this",
    },
    404: {"model": ErrorPublic, "description": "No such object"},
    422: {"model": ErrorPublic, "description": "Invalid input; errors name each field"},
}

router = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)

OrgType = Literal[ORG_TYPES]  # type: ignore[valid-type]


class MePublic(BaseModel):
    """Who the caller is."""

    username: str
    display_name: str
    role: str
    role_title: str
    org_code: str
    via: str


class FootprintPublic(BaseModel):
    """The footprint at a glance."""

    available: bool
    facts: dict[str, str]
    population_date: str
    total_population: int
    pyramid: list[dict[str, Any]]
    places: list[dict[str, Any]]
    quarantine_rows: int
    last_load: str


class OrganisationPublic(BaseModel):
    """One organisation of the footprint."""

    org_code: str
    org_name: str
    org_type: str
    parent_code: str | None
    place_code: str | None


class PersonRecordPublic(BaseModel):
    """An identifiable record for direct care."""

    person_id: int
    nhs_number: str
    given_name: str
    family_name: str
    sex: str
    date_of_birth: str
    practice_code: str
    lsoa_code: str


class AuditEventPublic(BaseModel):
    """One audit event."""

    id: int
    at: datetime
    actor: str
    actor_role: str
    action: str
    object_type: str
    object_id: str
    outcome: str
    address: str


@router.get("/me", response_model=MePublic)
def me(
    principal: Annotated[Principal, Depends(require("footprint", "view"))],
) -> MePublic:
    """The signed-in person or token owner."""
    return MePublic(
        username=principal.username,
        display_name=principal.display_name,
        role=principal.role,
        role_title=role_title(principal.role),
        org_code=principal.org_code,
        via=principal.via,
    )


@router.get("/footprint", response_model=FootprintPublic)
def footprint(
    request: Request,
    principal: Annotated[Principal, Depends(require("footprint", "view"))],
) -> FootprintPublic:
    """Population by sex and age band, organisations by place, data freshness and quarantine."""
    o = overview(settings_of(request))
    return FootprintPublic(
        available=o.available,
        facts=o.facts,
        population_date=o.population_date,
        total_population=o.total_population,
        pyramid=o.pyramid,
        places=o.places,
        quarantine_rows=o.quarantine_rows,
        last_load=o.last_load,
    )


@router.get("/organisations", response_model=list[OrganisationPublic])
def organisations(
    request: Request,
    principal: Annotated[Principal, Depends(require("organisations", "read"))],
    org_type: OrgType | None = None,
    parent_code: Annotated[
        str | None, Query(max_length=12, pattern=r"^[A-Z0-9]+$")
    ] = None,
) -> list[OrganisationPublic]:
    """Organisations of the footprint, filtered by type or parent."""
    rows = person_record.organisations(
        settings_of(request), org_type=org_type, parent_code=parent_code
    )
    return [OrganisationPublic(**r) for r in rows]


@router.get("/persons/{person_id}", response_model=PersonRecordPublic)
def person(
    request: Request,
    principal: Annotated[Principal, Depends(require("person_record", "read"))],
    person_id: Annotated[int, Path(ge=1, le=9_000_000_000_000_000_000)],
) -> PersonRecordPublic:
    """An identifiable record, for direct care by staff of the person's practice. Every read is audited."""
    record = person_record.identifiable(settings_of(request), person_id)
    if record["practice_code"] != principal.org_code:
        audit_now(
            request,
            principal,
            "person_record.read",
            "denied",
            object_type="person",
            object_id=str(person_id),
            detail={"reason": "no direct-care relationship"},
        )
        raise ForbiddenError(
            "You can see identifiable records only for people registered with your organisation."
        )
    audit_now(
        request,
        principal,
        "person_record.read",
        "success",
        object_type="person",
        object_id=str(person_id),
    )
    return PersonRecordPublic(**record)


@router.get("/audit", response_model=list[AuditEventPublic])
def audit_events(
    session: DB,
    principal: Annotated[Principal, Depends(require("audit", "view"))],
    actor: Annotated[str, Query(max_length=120)] = "",
    action: Annotated[str, Query(max_length=80)] = "",
    outcome: Literal["", "success", "denied", "failed", "invalid", "error"] = "",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditEventPublic]:
    """Audit events, newest first."""
    events = audit.search(
        session,
        audit.AuditQuery(actor=actor, action=action, outcome=outcome, limit=limit),
    )
    return [AuditEventPublic.model_validate(e, from_attributes=True) for e in events]
