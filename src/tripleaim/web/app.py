"""``create_app(settings)``: the FastAPI application, built from settings at the edge."""

from __future__ import annotations

import secrets
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from tripleaim import __version__
from tripleaim.settings import Settings
from tripleaim.warehouse.store import migrate, open_store
from tripleaim.web import errors
from tripleaim.web.routers import (
    admin,
    api,
    auth,
    benchmark,
    benchmark_api,
    delivery,
    delivery_reports,
    delivery_returns,
    exports,
    home,
    indicators,
    indicators_api,
    phm,
    phm_api,
)
from tripleaim.web.templating import make_templates

CSP = (
    "default-src 'self'; font-src 'self' https://assets.nhs.uk; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'nonce-{nonce}'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class SecurityHeaders(BaseHTTPMiddleware):
    """Headers every response carries (OWASP Secure Headers Project)."""

    async def dispatch(
        self, request: Request, call_next: RequestResponseEndpoint
    ) -> Response:
        """Add the headers, with a fresh script nonce per response."""
        request.state.csp_nonce = secrets.token_urlsafe(16)
        response = await call_next(request)
        response.headers.setdefault(
            "Content-Security-Policy", CSP.format(nonce=request.state.csp_nonce)
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
        if not request.url.path.startswith(("/nhsuk/", "/static/")):
            response.headers["Cache-Control"] = "no-store"
        return response


def _node_module(settings: Settings, *parts: str) -> Path:
    path = settings.node_modules_dir.joinpath(*parts)
    if not path.exists():
        raise RuntimeError(
            f"{path} is missing: run `npm install` (make setup does it)."
        )
    return path


def create_app(settings: Settings) -> FastAPI:
    """The app for these settings; migrates the operational store first."""
    migrate(settings)
    app = FastAPI(
        title="tripleaim",
        version=__version__,
        description="The open platform for an integrated care system.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.store = open_store(settings)
    app.state.templates = make_templates()
    app.add_middleware(SecurityHeaders)
    app.mount(
        "/nhsuk",
        StaticFiles(
            directory=_node_module(settings, "nhsuk-frontend", "dist", "nhsuk")
        ),
        name="nhsuk",
    )
    app.mount(
        "/static",
        StaticFiles(directory=str(resources.files("tripleaim.web") / "static")),
        name="static",
    )
    for router in (
        auth.router,
        home.router,
        exports.router,
        indicators.router,
        phm.router,
        admin.router,
        api.router,
        indicators_api.router,
        phm_api.router,
        delivery.router,
        delivery_returns.router,
        delivery_reports.router,
        benchmark.router,
        benchmark_api.router,
    ):
        app.include_router(router)
    errors.install(app)
    return app
