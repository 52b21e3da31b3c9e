"""Error responses: one JSON envelope under /api, NHS.UK error pages elsewhere, never a 500 for bad input."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from tripleaim.access import RateLimitedError
from tripleaim.errors import AccessDeniedError, ConflictError, NotFoundError, UserError
from tripleaim.web.templating import render

CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "too_many_requests",
    500: "error",
}


class AuthRequiredError(Exception):
    """No valid session or bearer token."""

    def __init__(self, message: str = "Sign in to continue.") -> None:
        super().__init__(message)


class ForbiddenError(Exception):
    """Signed in, but the role (or token scope) does not allow the action."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


def is_api(request: Request) -> bool:
    """JSON clients: the API and bearer-token callers."""
    return request.url.path.startswith("/api/") or request.headers.get(
        "authorization", ""
    ).lower().startswith("bearer")


def envelope(
    status: int,
    message: str,
    errors: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """The one JSON error shape."""
    extra = dict(headers or {})
    if status == 401:
        extra.setdefault("WWW-Authenticate", 'Bearer realm="tripleaim"')
    return JSONResponse(
        {
            "status": status,
            "code": CODES.get(status, "error"),
            "message": message,
            "errors": errors or [],
        },
        status_code=status,
        headers=extra or None,
    )


def _page(request: Request, status: int, message: str) -> Response:
    return render(
        request,
        "error.jinja",
        {
            "status": status,
            "message": message,
            "principal": getattr(request.state, "principal", None),
        },
        status=status,
    )


def respond(
    request: Request,
    status: int,
    message: str,
    errors: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """JSON for the API, a page (or a redirect to sign in) for people; keeps headers such as Allow."""
    if is_api(request):
        return envelope(status, message, errors, headers)
    if status == 401 and request.method == "GET":
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    page = _page(request, status, message)
    page.headers.update(headers or {})
    return page


def install(app: FastAPI) -> None:
    """Register the handlers."""

    @app.exception_handler(AuthRequiredError)
    async def _auth(request: Request, exc: AuthRequiredError) -> Response:
        return respond(request, 401, str(exc))

    @app.exception_handler(ForbiddenError)
    async def _forbidden(request: Request, exc: ForbiddenError) -> Response:
        return respond(request, 403, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"location": list(e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        fields = ", ".join(
            ".".join(str(p) for p in e["location"][1:]) or str(e["location"][0])
            for e in errors
        )
        return respond(request, 422, f"Invalid input: {fields}.", errors)

    @app.exception_handler(UserError)
    async def _user(request: Request, exc: UserError) -> Response:
        status = 400
        if isinstance(exc, RateLimitedError):
            status = 429
        elif isinstance(exc, AccessDeniedError):
            status = 403
        elif isinstance(exc, NotFoundError):
            status = 404
        elif isinstance(exc, ConflictError):
            status = 409
        return respond(request, status, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        return respond(request, exc.status_code, str(exc.detail), headers=exc.headers)
