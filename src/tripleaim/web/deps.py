"""Request dependencies: the store session, who is asking, and what they may do.

``require(capability, action)`` is attached to every protected route; the policy table
(``access/definitions/policy.yaml``) is the only thing that answers, and a refusal is
audited. The role x route matrix test reads the requirement back from each route.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, Form, Request
from sqlalchemy.orm import Session

from tripleaim import access, audit
from tripleaim.access import Principal
from tripleaim.settings import Settings
from tripleaim.warehouse.store import Store
from tripleaim.web.errors import AuthRequiredError, ForbiddenError

SESSION_COOKIE = "tripleaim_session"
LOGIN_CSRF_COOKIE = "tripleaim_login_csrf"


def settings_of(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def store_of(request: Request) -> Store:
    """The app's operational store."""
    store: Store = request.app.state.store
    return store


def db(request: Request) -> Iterator[Session]:
    """One store session per request, committed when the route succeeds."""
    with store_of(request).session() as session:
        yield session


DB = Annotated[Session, Depends(db)]


def address(request: Request) -> str:
    """The client address recorded in the audit trail."""
    return request.client.host if request.client else ""


def audit_now(
    request: Request,
    principal: Principal | None,
    action: str,
    outcome: str,
    *,
    session: Session | None = None,
    **fields: Any,
) -> None:
    """Record an event in its own transaction, so refusals are kept even when the request fails.

    The request's own session (if given) is committed first: SQLite allows one writer,
    and the event must follow the change it records.
    """
    if session is not None:
        session.commit()
    with store_of(request).session() as audit_session:
        audit.record(
            audit_session,
            actor=principal.actor if principal else fields.pop("actor", "anonymous"),
            role=principal.role if principal else "",
            org_code=principal.org_code if principal else "",
            action=action,
            outcome=outcome,
            address=address(request),
            **fields,
        )


def optional_principal(request: Request, session: DB) -> Principal | None:
    """The signed-in person or the bearer token's client, if any."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        principal = access.resolve_token(session, header[7:].strip())
        if principal is None:
            audit_now(
                request,
                None,
                "authenticate",
                "denied",
                object_type="api_token",
                detail={"reason": "invalid or expired token"},
            )
            raise AuthRequiredError(
                "The bearer token is missing, invalid, expired or revoked."
            )
    else:
        token = request.cookies.get(SESSION_COOKIE)
        principal = (
            access.resolve_session(session, settings_of(request), token)
            if token
            else None
        )
        if token and principal is None:
            session.commit()  # keep the expiry
            audit_now(
                request,
                None,
                "session",
                "denied",
                detail={"reason": "expired or ended session"},
            )
            raise AuthRequiredError("Your session has expired. Sign in again.")
    if session.dirty:
        session.commit()  # release SQLite's write lock taken by the last-seen update
    request.state.principal = principal
    return principal


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


def require(capability: str, action: str) -> Callable[..., Principal]:
    """A dependency that admits only principals the policy allows."""

    def dependency(request: Request, principal: OptionalPrincipal) -> Principal:
        if principal is None:
            raise AuthRequiredError()
        if not principal.can(capability, action):
            audit_now(
                request,
                principal,
                f"{capability}.{action}",
                "denied",
                object_type="route",
                object_id=request.url.path,
            )
            who = access.role_title(principal.role)
            raise ForbiddenError(
                f"{who}s cannot {action} {capability.replace('_', ' ')}."
            )
        return principal

    dependency.capability = capability  # type: ignore[attr-defined]
    dependency.action = action  # type: ignore[attr-defined]
    return dependency


def csrf_protected(
    request: Request,
    principal: OptionalPrincipal,
    csrf_token: Annotated[str, Form()] = "",
) -> None:
    """Every form post carries the session's CSRF token (synchroniser token pattern)."""
    expected = principal.csrf_token if principal and principal.via == "session" else ""
    if principal and principal.via == "token":
        return  # bearer clients send no cookies, so cross-site forgery cannot use them
    if not expected or not secrets.compare_digest(expected, csrf_token):
        audit_now(
            request,
            principal,
            "csrf",
            "denied",
            object_type="route",
            object_id=request.url.path,
        )
        raise ForbiddenError(
            "The form could not be verified (missing or wrong security token). Reload the page and try again."
        )
