"""Sign in and sign out."""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from tripleaim import access
from tripleaim.access import Principal, RateLimitedError
from tripleaim.web.deps import (
    DB,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    OptionalPrincipal,
    address,
    audit_now,
    csrf_protected,
    settings_of,
)
from tripleaim.web.templating import render

router = APIRouter(include_in_schema=False)
FAILED = "The username or password is not right. Check them and try again."


def _safe_next(target: str) -> str:
    """Only same-site paths (no open redirect)."""
    parsed = urlparse(target)
    return (
        target
        if "\\" not in target
        and target.startswith("/")
        and not target.startswith("//")
        and not parsed.netloc
        else "/"
    )


def _login_page(
    request: Request,
    *,
    error: str = "",
    username: str = "",
    next_path: str = "/",
    status: int = 200,
) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(
        request,
        "login.jinja",
        {
            "error": error,
            "username": username,
            "next": next_path,
            "csrf_token": token,
            "principal": None,
        },
        status=status,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        secure=True,
        samesite="strict",
        path="/login",
    )
    return response


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    """The sign-in page."""
    return _login_page(request, next_path=_safe_next(next))


@router.post("/login")
def login(
    request: Request,
    session: DB,
    username: Annotated[str, Form(max_length=80)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the credentials; on success start a server-side session."""
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not secrets.compare_digest(cookie, csrf_token):
        audit_now(
            request,
            None,
            "login",
            "denied",
            actor=username or "anonymous",
            detail={"reason": "missing or wrong CSRF token"},
        )
        return _login_page(
            request,
            error="The form could not be verified. Try again.",
            username=username,
            next_path=_safe_next(next),
            status=403,
        )
    if not username or not password:
        return _login_page(
            request,
            error="Enter your username and password.",
            username=username,
            next_path=_safe_next(next),
            status=422,
        )
    settings = settings_of(request)
    try:
        user = access.authenticate(
            session, settings, username, password, address(request)
        )
    except RateLimitedError as exc:
        audit_now(
            request,
            None,
            "login",
            "denied",
            actor=username,
            detail={"reason": "rate limited"},
        )
        return _login_page(
            request,
            error=str(exc),
            username=username,
            next_path=_safe_next(next),
            status=429,
        )
    if user is None:
        audit_now(
            request, None, "login", "failed", session=session, actor=username
        )  # keeps the attempt too
        return _login_page(
            request,
            error=FAILED,
            username=username,
            next_path=_safe_next(next),
            status=401,
        )
    token, _ = access.start_session(session, user, address(request))
    audit_now(
        request,
        None,
        "login",
        "success",
        session=session,
        actor=user.username,
        detail={"role": user.role},
    )
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        secure=True,
        samesite="lax",
        max_age=settings.session_max_hours * 3600,
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


def _signed_in(principal: OptionalPrincipal) -> Principal:
    from tripleaim.web.errors import AuthRequiredError  # noqa: PLC0415

    if principal is None:
        raise AuthRequiredError()
    return principal


@router.post("/logout", dependencies=[Depends(csrf_protected)])
def logout(
    request: Request, session: DB, principal: Annotated[Principal, Depends(_signed_in)]
) -> Response:
    """End the session everywhere; the cookie is cleared."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        access.end_session(session, token)
    audit_now(request, principal, "logout", "success", session=session)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
