"""Administrator pages: users and API tokens, the audit trail and its export."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, ValidationError

from tripleaim import access, audit
from tripleaim.access import Principal
from tripleaim.access.organisations import require_known_organisation
from tripleaim.errors import UserError
from tripleaim.web.deps import DB, audit_now, csrf_protected, require, settings_of
from tripleaim.web.navigation import navigation
from tripleaim.web.templating import render

router = APIRouter(prefix="/admin", include_in_schema=False)

Outcome = Literal["", "success", "denied", "failed", "invalid", "error"]


class NewUser(BaseModel):
    """The new-account form."""

    username: str = Field(min_length=3, max_length=80, pattern=r"^[a-z0-9._-]+$")
    display_name: str = Field(min_length=1, max_length=200)
    role: Literal[access.ROLES] = Field()  # type: ignore[valid-type]
    org_code: str = Field(min_length=3, max_length=12, pattern=r"^[A-Z0-9]+$")
    password: str = Field(min_length=12, max_length=200)


def _users_page(
    request: Request,
    session: DB,
    principal: Principal,
    status: int = 200,
    **extra: object,
) -> Response:
    return render(
        request,
        "users.jinja",
        {
            "principal": principal,
            "nav": navigation(principal, "/admin/users"),
            "users": access.list_users(session),
            "roles": access.ROLES,
            "form": {},
            "errors": [],
            **extra,
        },
        status=status,
    )


@router.get("/users")
def users(
    request: Request,
    session: DB,
    principal: Annotated[Principal, Depends(require("users", "view"))],
) -> Response:
    """Every account with its role and organisation."""
    return _users_page(request, session, principal)


@router.post("/users", dependencies=[Depends(csrf_protected)])
def create_user(
    request: Request,
    session: DB,
    principal: Annotated[Principal, Depends(require("users", "manage"))],
    username: Annotated[str, Form()] = "",
    display_name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    org_code: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    """Create an account; errors are shown against each field."""
    form = {
        "username": username,
        "display_name": display_name,
        "role": role,
        "org_code": org_code,
    }
    try:
        new = NewUser(password=password, **form)
        require_known_organisation(settings_of(request), new.org_code)
        user = access.create_user(session, **new.model_dump())
    except ValidationError as exc:
        errs = [
            {"field": str(e["loc"][0]), "text": f"{e['loc'][0]}: {e['msg']}"}
            for e in exc.errors()
        ]
        return _users_page(
            request, session, principal, form=form, errors=errs, status=422
        )
    except UserError as exc:
        return _users_page(
            request,
            session,
            principal,
            form=form,
            errors=[{"field": "username", "text": str(exc)}],
            status=422,
        )
    audit_now(
        request,
        principal,
        "users.create",
        "success",
        session=session,
        object_type="user",
        object_id=user.username,
        detail={"role": user.role},
    )
    return _users_page(request, session, principal, created=user.username)


@router.post("/tokens", dependencies=[Depends(csrf_protected)])
def create_token(
    request: Request,
    session: DB,
    principal: Annotated[Principal, Depends(require("tokens", "manage"))],
    name: Annotated[str, Form(min_length=1, max_length=120)],
    username: Annotated[str, Form(min_length=1, max_length=80)],
    scopes: Annotated[str, Form(min_length=1, max_length=500)],
) -> Response:
    """Issue a bearer token for a machine client; it is shown once."""
    owner = next(
        (u for u in access.list_users(session) if u.username == username), None
    )
    if owner is None:
        return _users_page(
            request,
            session,
            principal,
            errors=[
                {
                    "field": "token-username",
                    "text": f"There is no account called {username!r}.",
                }
            ],
            status=422,
        )
    try:
        token = access.create_token(
            session, owner, name, scopes.replace(",", " ").split()
        )
    except UserError as exc:
        return _users_page(
            request,
            session,
            principal,
            errors=[{"field": "token-scopes", "text": str(exc)}],
            status=422,
        )
    audit_now(
        request,
        principal,
        "tokens.create",
        "success",
        session=session,
        object_type="api_token",
        object_id=name,
        detail={"owner": username},
    )
    return _users_page(request, session, principal, token=token, token_name=name)


def audit_filters(
    actor: Annotated[str, Query(max_length=120)] = "",
    action: Annotated[str, Query(max_length=80)] = "",
    outcome: Outcome = "",
    since: datetime | None = None,
) -> audit.AuditQuery:
    """The audit search filters, shared by the page and its CSV export."""
    return audit.AuditQuery(actor=actor, action=action, outcome=outcome, since=since)


Filters = Annotated[audit.AuditQuery, Depends(audit_filters)]


@router.get("/audit")
def audit_page(
    request: Request,
    session: DB,
    principal: Annotated[Principal, Depends(require("audit", "view"))],
    query: Filters,
) -> Response:
    """Search the audit trail."""
    events = audit.search(session, query)
    audit_now(
        request, principal, "audit.view", "success", detail={"results": len(events)}
    )
    return render(
        request,
        "audit.jinja",
        {
            "principal": principal,
            "nav": navigation(principal, "/admin/audit"),
            "events": events,
            "q": query,
            "outcomes": audit.OUTCOMES,
            "can_export": principal.can("audit", "export"),
        },
    )


@router.get("/audit.csv")
def audit_csv(
    request: Request,
    session: DB,
    principal: Annotated[Principal, Depends(require("audit", "export"))],
    query: Filters,
) -> Response:
    """The matching events as CSV (up to 100,000)."""
    events = audit.search(session, replace(query, limit=100_000))
    audit_now(
        request, principal, "audit.export", "success", detail={"rows": len(events)}
    )
    return Response(
        audit.to_csv(events),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="tripleaim-audit.csv"'},
    )
