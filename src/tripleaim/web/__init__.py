"""The web app: thin FastAPI routers and NHS.UK templates over the capability packages."""

from __future__ import annotations

from tripleaim.web.app import create_app

__all__ = ["create_app"]
