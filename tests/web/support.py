"""Helpers for web tests: a synchronous ASGI client, signing in, and the error envelope."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from tripleaim import access, audit
from tripleaim.access import User
from tripleaim.audit import AuditEvent
from tripleaim.web.deps import SESSION_COOKIE
from tripleaim.web.errors import CODES

BASE_URL = (
    "https://testserver"  # session cookies are Secure, so the client must speak https
)
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


class Client:
    """A synchronous httpx client on the app's ASGI transport; keeps cookies, never follows redirects.

    Each client owns one event loop (``asyncio.Runner``), so it can be used from plain
    synchronous tests and cached across them. ``address`` is the client IP the app sees,
    which the sign-in rate limit counts by.
    """

    def __init__(
        self,
        app: FastAPI,
        *,
        address: str = "127.0.0.1",
        headers: dict[str, str] | None = None,
    ) -> None:
        self._runner = asyncio.Runner()
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=(address, 50000)),
            base_url=BASE_URL,
            headers=headers,
        )

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send one request and return the response."""
        return self._runner.run(self._client.request(method, url, **kwargs))

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        """GET ``url``."""
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        """POST ``url``."""
        return self.request("POST", url, **kwargs)

    @property
    def cookies(self) -> httpx.Cookies:
        """The cookie jar."""
        return self._client.cookies

    @property
    def session_cookie(self) -> str | None:
        """The session cookie, if signed in."""
        return self._client.cookies.get(SESSION_COOKIE)

    def close(self) -> None:
        """Close the client and its event loop."""
        self._runner.run(self._client.aclose())
        self._runner.close()


def csrf_field(html: str) -> str:
    """The value of the first ``csrf_token`` hidden field in a page."""
    match = CSRF_FIELD.search(html)
    assert match, "the page has no csrf_token field"
    return match.group(1)


def submit_login(
    client: Client, username: str, password: str, *, next_path: str | None = None
) -> httpx.Response:
    """GET the sign-in form, then POST it back with its CSRF token; returns the POST's response."""
    form = client.get("/login")
    assert form.status_code == 200, form.text
    data = {
        "username": username,
        "password": password,
        "csrf_token": csrf_field(form.text),
    }
    if next_path is not None:
        data["next"] = next_path
    return client.post("/login", data=data)


def login(client: Client, username: str, password: str) -> Client:
    """Sign in through the form; the client then carries the session cookie."""
    response = submit_login(client, username, password)
    assert response.status_code == 303, response.text
    assert client.session_cookie, "no session cookie after signing in"
    return client


def session_csrf(client: Client) -> str:
    """The signed-in session's CSRF token, read from the sign-out form on the home page."""
    page = client.get("/")
    assert page.status_code == 200, page.text
    return csrf_field(page.text)


def assert_error_shape(response: httpx.Response, status: int) -> dict[str, Any]:
    """The one JSON error envelope: status, code, message and field-located errors."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"status", "code", "message", "errors"}, body
    assert body["status"] == status
    assert body["code"] == CODES[status]
    assert isinstance(body["message"], str)
    assert body["message"]
    assert isinstance(body["errors"], list)
    for error in body["errors"]:
        assert set(error) == {"location", "message"}, error
        assert isinstance(error["location"], list)
        assert error["location"]
        assert isinstance(error["message"], str)
    if status == 401:
        assert response.headers["www-authenticate"].startswith("Bearer")
    return body


def audit_events(app: FastAPI, **query: Any) -> list[AuditEvent]:
    """Audit events in the app's store matching ``query`` (``AuditQuery`` fields), newest first."""
    with app.state.store.session() as session:
        return audit.search(session, audit.AuditQuery(**query))


def bearer(
    app: FastAPI, username: str, scopes: list[str], days: int | None = 90
) -> dict[str, str]:
    """An Authorization header for a new API token of ``username`` with ``scopes``."""
    with app.state.store.session() as session:
        user = session.scalar(select(User).where(User.username == username))
        token = access.create_token(session, user, "test client", scopes, days=days)
    return {"Authorization": f"Bearer {token}"}
