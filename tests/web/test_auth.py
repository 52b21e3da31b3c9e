"""Signing in and out, sessions, CSRF, bearer tokens and their scopes."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from tests.web.conftest import MakeApp
from tests.web.support import (
    Client,
    assert_error_shape,
    audit_events,
    bearer,
    login,
    session_csrf,
    submit_login,
)
from tripleaim.access import User, UserSession
from tripleaim.warehouse.store import utcnow
from tripleaim.web.deps import SESSION_COOKIE
from tripleaim.web.routers.auth import FAILED

Clients = Callable[..., Client]


def test_a_wrong_password_gets_the_generic_message_and_is_audited(
    app: FastAPI, client: Client, accounts: dict[str, dict[str, str]]
) -> None:
    response = submit_login(
        client, accounts["clinician"]["username"], "not-the-password"
    )
    assert response.status_code == 401
    assert FAILED in response.text
    assert client.session_cookie is None
    (event,) = audit_events(app, action="login", outcome="failed")
    assert event.actor == "clinician"


def test_an_unknown_username_gets_the_same_message_as_a_wrong_password(
    client: Client,
) -> None:
    response = submit_login(client, "nobody.here", "not-the-password")
    assert response.status_code == 401
    assert FAILED in response.text


def test_a_successful_sign_in_sets_a_secure_http_only_session_cookie(
    app: FastAPI, client: Client, accounts: dict[str, dict[str, str]]
) -> None:
    response = submit_login(
        client, "board.member", accounts["board_member"]["password"]
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = next(
        c
        for c in response.headers.get_list("set-cookie")
        if c.startswith(SESSION_COOKIE)
    ).lower()
    assert "httponly" in cookie
    assert "secure" in cookie
    assert "samesite=lax" in cookie
    assert audit_events(app, action="login", outcome="success", actor="board.member")


def test_sign_in_is_rate_limited_after_too_many_failures(
    make_app: MakeApp, clients: Clients, accounts: dict[str, dict[str, str]]
) -> None:
    app = make_app(login_attempts=3)
    client = clients(app)
    for _ in range(3):
        assert submit_login(client, "clinician", "wrong-password").status_code == 401
    right = accounts["clinician"]["password"]
    limited = submit_login(client, "clinician", right)  # even the right password
    assert limited.status_code == 429
    assert "Too many failed sign-ins" in limited.text
    assert client.session_cookie is None
    (event,) = audit_events(app, action="login", outcome="denied")
    assert event.actor == "clinician"
    assert "rate limited" in event.detail
    # counted per account: another address is refused too ...
    elsewhere = clients(app, address="10.0.0.9")
    assert submit_login(elsewhere, "clinician", right).status_code == 429
    # ... and per address: another account from this address is refused
    other = accounts["social_worker"]
    assert submit_login(client, other["username"], other["password"]).status_code == 429
    # other accounts from other addresses are unaffected
    login(elsewhere, other["username"], other["password"])


def age_sessions(app: FastAPI, **changes: object) -> None:
    """Move every session's timestamps into the past."""
    with app.state.store.session() as session:
        session.execute(update(UserSession).values(**changes))


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"last_seen_at": utcnow() - timedelta(minutes=31)}, id="idle"),
        pytest.param({"created_at": utcnow() - timedelta(hours=13)}, id="too-old"),
    ],
)
def test_an_expired_session_redirects_pages_to_sign_in_and_gets_401_from_the_api(
    app: FastAPI,
    clients: Clients,
    accounts: dict[str, dict[str, str]],
    changes: dict[str, object],
) -> None:
    page_client = login(
        clients(app), "pmo.officer", accounts["pmo_officer"]["password"]
    )
    api_client = login(clients(app), "pmo.officer", accounts["pmo_officer"]["password"])
    age_sessions(app, **changes)
    page = page_client.get("/admin/users")
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/admin/users"
    assert_error_shape(api_client.get("/api/v1/me"), 401)
    assert len(audit_events(app, action="session", outcome="denied")) == 2
    # an ended session stays ended, whatever the clock says afterwards
    age_sessions(app, last_seen_at=utcnow(), created_at=utcnow())
    assert_error_shape(api_client.get("/api/v1/me"), 401)


def test_signing_out_ends_the_session_for_good(
    app: FastAPI, client: Client, clients: Clients, accounts: dict[str, dict[str, str]]
) -> None:
    login(client, "clinician", accounts["clinician"]["password"])
    cookie = client.session_cookie
    response = client.post("/logout", data={"csrf_token": session_csrf(client)})
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert client.session_cookie is None
    assert audit_events(app, action="logout", outcome="success", actor="clinician")
    replay = clients(app)
    replay.cookies.set(SESSION_COOKIE, cookie, domain="testserver")
    assert_error_shape(replay.get("/api/v1/me"), 401)
    assert replay.get("/").status_code == 303


@pytest.mark.parametrize("path", ["/logout", "/admin/users"])
@pytest.mark.parametrize("sent", ["missing", "forged", "another session's"])
def test_a_form_post_without_its_session_csrf_token_is_refused_and_audited(
    app: FastAPI,
    clients: Clients,
    accounts: dict[str, dict[str, str]],
    path: str,
    sent: str,
) -> None:
    admin = accounts["administrator"]
    client = login(clients(app), admin["username"], admin["password"])
    other = login(clients(app), admin["username"], admin["password"])
    data = {
        "username": "csrf.victim.account",
        "display_name": "Created by forgery",
        "role": "administrator",
        "org_code": "QGH",
        "password": "a-long-enough-password",
    }
    if sent == "forged":
        data["csrf_token"] = "forged-" + session_csrf(client)[7:]
    elif sent == "another session's":
        data["csrf_token"] = session_csrf(other)
    response = client.post(path, data=data)
    assert response.status_code == 403
    assert "could not be verified" in response.text
    (event,) = audit_events(app, action="csrf")
    assert (event.outcome, event.object_id, event.actor) == (
        "denied",
        path,
        "administrator",
    )
    assert client.get("/api/v1/me").status_code == 200  # still signed in
    with app.state.store.session() as session:
        assert (
            session.scalar(select(User).where(User.username == data["username"]))
            is None
        )


@pytest.mark.parametrize("sent", ["missing", "forged"])
def test_the_sign_in_form_refuses_a_post_without_its_csrf_token(
    app: FastAPI, client: Client, accounts: dict[str, dict[str, str]], sent: str
) -> None:
    client.get("/login")  # sets the login CSRF cookie
    data = {"username": "clinician", "password": accounts["clinician"]["password"]}
    if sent == "forged":
        data["csrf_token"] = "not-the-cookie-value"  # noqa: S105
    response = client.post("/login", data=data)
    assert response.status_code == 403
    assert client.session_cookie is None
    (event,) = audit_events(app, action="login", outcome="denied")
    assert "CSRF" in event.detail


def test_the_api_without_credentials_gets_a_401_envelope(client: Client) -> None:
    body = assert_error_shape(client.get("/api/v1/me"), 401)
    assert "Sign in" in body["message"]


@pytest.mark.parametrize(
    "header", ["Bearer ta_not-a-real-token", "Bearer ", "bearer x"]
)
def test_an_invalid_bearer_token_gets_a_401_envelope_and_is_audited(
    app: FastAPI, client: Client, header: str
) -> None:
    body = assert_error_shape(
        client.get("/api/v1/me", headers={"Authorization": header}), 401
    )
    assert "token" in body["message"]
    (event,) = audit_events(app, action="authenticate")
    assert (event.outcome, event.object_type) == ("denied", "api_token")


def test_an_expired_bearer_token_gets_401(app: FastAPI, client: Client) -> None:
    headers = bearer(app, "pmo.officer", ["footprint:view"], days=-1)
    assert_error_shape(client.get("/api/v1/me", headers=headers), 401)


def test_a_token_is_narrowed_to_its_scopes(app: FastAPI, client: Client) -> None:
    headers = bearer(app, "system.analyst", ["footprint:view"])
    footprint = client.get("/api/v1/footprint", headers=headers)
    assert footprint.status_code == 200
    assert footprint.json()["available"] is True
    me = client.get("/api/v1/me", headers=headers).json()
    assert (me["username"], me["via"]) == ("system.analyst", "token")
    assert_error_shape(client.get("/api/v1/organisations", headers=headers), 403)
    (event,) = audit_events(app, action="organisations.read", outcome="denied")
    assert event.actor == "system.analyst (token test client)"


def test_a_scope_never_grants_what_the_role_is_denied(
    app: FastAPI, client: Client
) -> None:
    headers = bearer(app, "system.analyst", ["footprint:view", "audit:view"])
    assert_error_shape(client.get("/api/v1/audit", headers=headers), 403)


def test_bearer_callers_get_json_errors_on_pages_too(
    app: FastAPI, client: Client
) -> None:
    headers = bearer(app, "board.member", ["footprint:view"])
    assert_error_shape(client.get("/admin/users", headers=headers), 403)


def test_a_token_issued_on_the_users_page_works_for_the_api(
    app: FastAPI, clients: Clients, accounts: dict[str, dict[str, str]]
) -> None:
    admin = accounts["administrator"]
    client = login(clients(app), admin["username"], admin["password"])
    page = client.post(
        "/admin/tokens",
        data={
            "csrf_token": session_csrf(client),
            "name": "reporting robot",
            "username": "programme.director",
            "scopes": "footprint:view, organisations:read",
        },
    )
    assert page.status_code == 200
    (token,) = re.findall(r"<code>(ta_[^<]+)</code>", page.text)
    machine = clients(app, headers={"Authorization": f"Bearer {token}"})
    assert machine.get("/api/v1/organisations").status_code == 200
    assert machine.get("/api/v1/me").json()["role"] == "programme_director"
    assert audit_events(app, action="tokens.create", outcome="success")


def browser_host(location: str) -> str:
    """The host a browser would go to for this Location (WHATWG: backslash is a slash, tabs vanish)."""
    cleaned = re.sub(r"[\t\n\r]", "", location).replace("\\", "/")
    return urlsplit(urljoin("https://testserver/login", cleaned)).netloc


@pytest.mark.parametrize(
    "next_path",
    [
        "//evil.example",
        "//evil.example/admin",
        "https://evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
    ],
)
def test_sign_in_never_redirects_off_site(
    client: Client, accounts: dict[str, dict[str, str]], next_path: str
) -> None:
    response = submit_login(
        client, "clinician", accounts["clinician"]["password"], next_path=next_path
    )
    assert response.status_code == 303
    assert browser_host(response.headers["location"]) == "testserver"
    assert not response.headers["location"].startswith("javascript")


def test_the_sign_in_form_drops_an_off_site_next(client: Client) -> None:
    form = client.get("/login", params={"next": "//evil.example"})
    assert 'name="next" value="/"' in form.text


def test_sign_in_returns_to_the_page_asked_for(
    client: Client, accounts: dict[str, dict[str, str]]
) -> None:
    response = submit_login(
        client,
        "clinician",
        accounts["clinician"]["password"],
        next_path="/admin/audit?actor=x",
    )
    assert response.headers["location"] == "/admin/audit?actor=x"
