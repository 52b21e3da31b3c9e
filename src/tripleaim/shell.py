"""The platform shell's services behind the CLI: serve the web app, accounts, demo users."""

from __future__ import annotations

import os
from typing import Any

from tripleaim import access
from tripleaim.access import ROLES
from tripleaim.access.demo import ensure_demo_users
from tripleaim.access.organisations import require_known_organisation
from tripleaim.errors import UserError
from tripleaim.settings import Settings
from tripleaim.warehouse.person_record import organisations
from tripleaim.warehouse.store import migrate, open_store

__all__ = ["ROLES", "create_account", "demo_users", "get_once", "serve", "web_app"]


def web_app(settings: Settings) -> Any:
    """The FastAPI app for these settings."""
    from tripleaim.web import create_app  # noqa: PLC0415  (the web layer sits above the CLI's services)

    return create_app(settings)


def get_once(app: Any, path: str) -> tuple[int, str]:
    """Answer one GET in-process (Datasette's ``--get``)."""
    import asyncio  # noqa: PLC0415

    import httpx  # noqa: PLC0415

    async def fetch() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="https://localhost"
        ) as client:
            return await client.get(path, follow_redirects=False)

    response = asyncio.run(fetch())
    return response.status_code, response.text


def serve(app: Any, host: str, port: int) -> None:
    """Run uvicorn until interrupted."""
    import uvicorn  # noqa: PLC0415

    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)


def create_account(
    settings: Settings,
    *,
    username: str,
    role: str,
    org_code: str,
    display_name: str,
    password_env: str,
) -> None:
    """Create one account; the password comes from an environment variable."""
    password = os.environ.get(password_env, "")
    if not password:
        raise UserError(f"Set the password in the environment variable {password_env}.")
    require_known_organisation(settings, org_code)
    migrate(settings)
    store = open_store(settings)
    try:
        with store.session() as session:
            access.create_user(
                session,
                username=username,
                display_name=display_name,
                role=role,
                org_code=org_code,
                password=password,
            )
    finally:
        store.dispose()


def demo_users(settings: Settings) -> list[dict[str, str]]:
    """One account per role: direct-care roles at the footprint's first practice."""
    if settings.environment == "production":
        raise UserError("Demo accounts are for development only.")
    practices = organisations(settings, org_type="practice")
    icbs = organisations(settings, org_type="icb")
    practice = practices[0]["org_code"] if practices else "M81001"
    icb = icbs[0]["org_code"] if icbs else "QGH"
    migrate(settings)
    store = open_store(settings)
    try:
        with store.session() as session:
            return ensure_demo_users(session, icb, practice)
    finally:
        store.dispose()
