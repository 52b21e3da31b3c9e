"""Every route x every role: refused exactly when the policy table says no, on both stores.

The requirement is read back from each route's ``require(capability, action)`` dependency,
so a new route is covered as soon as it exists, and a route without one fails here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Mount

from tests.web.conftest import (
    BACKENDS,
    Footprint,
    PostgresServer,
    app_settings,
    prepare_store,
)
from tests.web.support import (
    Client,
    assert_error_shape,
    audit_events,
    login,
    session_csrf,
)
from tripleaim.access import ROLES, allowed
from tripleaim.delivery import render_workbook
from tripleaim.web import create_app
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

try:  # FastAPI >= 0.16x keeps included routers nested; older versions flatten them
    from fastapi.routing import iter_route_contexts
except ImportError:  # pragma: no cover  (older FastAPI: app.routes is already flat)
    iter_route_contexts = None

ROUTERS = (
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
)  # as create_app includes them
PUBLIC = {
    ("GET", "/login"),
    ("POST", "/login"),
    ("GET", "/health"),
    ("GET", "/api/openapi.json"),
}
SIGNED_IN_ONLY = {("POST", "/logout")}  # any signed-in role may sign out: no capability


def requirements(route: BaseRoute) -> set[tuple[str, str]]:
    """The (capability, action) pairs of every ``require`` dependency, however deeply nested."""
    found = set()
    stack = list(route.dependant.dependencies) if isinstance(route, APIRoute) else []
    while stack:
        dependant = stack.pop()
        if hasattr(dependant.call, "capability"):
            found.add((dependant.call.capability, dependant.call.action))
        stack.extend(dependant.dependencies)
    return found


def live_routes(app: FastAPI) -> dict[tuple[str, str], BaseRoute]:
    """(method, path) -> route for every route the app serves, static mounts excluded."""
    if iter_route_contexts is None:  # pragma: no cover
        pairs = [(r, r) for r in app.routes]
    else:
        pairs = [(c, c.original_route) for c in iter_route_contexts(app.routes)]
    out = {}
    for context, route in pairs:
        if isinstance(route, Mount) or not context.methods:
            continue
        for method in set(context.methods) - {"HEAD"}:
            out[(method, context.path)] = route
    return out


ROUTES = {
    (method, route.path): route
    for router in ROUTERS
    for route in router.routes
    if isinstance(route, APIRoute)
    for method in route.methods
}
PROTECTED = sorted(set(ROUTES) - PUBLIC)
CASES = [
    pytest.param(method, path, role, id=f"{method} {path} as {role}")
    for method, path in PROTECTED
    for role in ROLES
]


@dataclass
class Matrix:
    """An app on one backend, with one signed-in client per role, kept for the module."""

    app: FastAPI
    footprint: Footprint
    clients: dict[str, Client] = field(default_factory=dict)
    csrf: dict[str, str] = field(default_factory=dict)
    spare: list[Client] = field(default_factory=list)

    def client(self, role: str) -> Client:
        """The role's demo account, signed in once."""
        if role not in self.clients:
            account = self.footprint.accounts()[role]
            client = Client(self.app)
            self.clients[role] = login(client, account["username"], account["password"])
            self.csrf[role] = session_csrf(client)
        return self.clients[role]

    def fresh(self, role: str) -> tuple[Client, str]:
        """A new signed-in client and its CSRF token (for signing out)."""
        account = self.footprint.accounts()[role]
        client = login(Client(self.app), account["username"], account["password"])
        self.spare.append(client)
        return client, session_csrf(client)

    def form(self, path: str, role: str) -> dict[str, str]:
        """Minimal valid form data for each POST route."""
        account = self.footprint.accounts()[role]
        return {
            "/admin/users": {
                "username": f"matrix.{account['username']}",
                "display_name": "Matrix test account",
                "role": "board_member",
                "org_code": self.footprint.icb_code,
                "password": "a-long-enough-password",
            },
            "/population-health/case-finding/identify": {
                "cohort": "three_emergency_admissions",
                "practice": self.footprint.practice_code,
            },
            "/admin/tokens": {
                "name": f"matrix {role}",
                "username": account["username"],
                "scopes": "footprint:view",
            },
            "/delivery/periods": {"month": f"2019-{ROLES.index(role) + 1:02d}"},
            "/delivery/periods/lock": {
                "month": "2018-02"
            },  # locked: locking is idempotent
            "/delivery/periods/{month}/review": {
                "project": "four_hour_recovery"
                if role == "pmo_officer"
                else "urgent_care_dashboard",
                "decision": "approve",
            },
            "/delivery/projects/{slug}/return": {
                "period": "2018-03",
                "rag": "amber",
                "rag_reason": "Matrix test",
            },
        }.get(path, {})

    def files(self, path: str) -> dict[str, tuple[str, bytes]] | None:
        """A file for each upload route: the project's current workbook."""
        if path != "/delivery/projects/{slug}/workbook":
            return None
        with self.app.state.store.session() as session:
            content = render_workbook(session, "2018-03", "cancer_62_day")
        return {"workbook": ("cancer_62_day.xlsx", content)}

    def call(self, method: str, path: str, role: str) -> httpx.Response:
        """Call the route as ``role``: GET, or POST with the session's CSRF token."""
        url = self.footprint.url(path)
        if method == "GET":
            return self.client(role).get(url)
        if path == "/logout":
            client, token = self.fresh(role)
            return client.post(url, data={"csrf_token": token})
        client = self.client(role)
        data = {"csrf_token": self.csrf[role], **self.form(path, role)}
        return client.post(url, data=data, files=self.files(path))


@pytest.fixture(scope="module", params=BACKENDS)
def matrix(
    request: pytest.FixtureRequest,
    footprint: Footprint,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Matrix]:
    """The app on its own store (SQLite file, or its own PostgreSQL database)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'store.sqlite'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.create_database()
    settings = app_settings(footprint, url)
    prepare_store(settings, footprint)
    result = Matrix(create_app(settings), footprint)
    yield result
    for client in [*result.clients.values(), *result.spare]:
        client.close()
    result.app.state.store.dispose()


def test_the_app_serves_exactly_the_routes_of_its_routers(app: FastAPI) -> None:
    served = live_routes(app)
    assert ("GET", "/api/v1/me") in served  # the enumeration sees included routers
    assert set(served) == set(ROUTES) | {("GET", "/api/openapi.json")}


def test_every_route_that_is_not_public_declares_a_requirement() -> None:
    missing = [
        f"{method} {path}"
        for (method, path), route in ROUTES.items()
        if (method, path) not in PUBLIC | SIGNED_IN_ONLY and not requirements(route)
    ]
    assert missing == []


def test_every_route_declares_at_most_one_requirement_and_public_routes_none() -> None:
    for key, route in ROUTES.items():
        assert len(requirements(route)) <= 1, key
        if key in PUBLIC | SIGNED_IN_ONLY:
            assert requirements(route) == set(), key


def test_every_requirement_names_a_capability_and_action_of_the_policy() -> None:
    from tripleaim.access import policy

    for key, route in ROUTES.items():
        for capability, action in requirements(route):
            assert f"{capability}.{action}" in policy().permissions, key


@pytest.mark.parametrize(("method", "path"), sorted(PUBLIC))
def test_public_routes_answer_without_signing_in(
    app: FastAPI, client: Client, method: str, path: str
) -> None:
    response = client.request(method, path)
    # POST /login without a form is refused by its CSRF check, not by a sign-in wall
    assert response.status_code == (403 if method == "POST" else 200)


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_protected_routes_refuse_anonymous_callers(
    app: FastAPI, client: Client, footprint: Footprint, method: str, path: str
) -> None:
    url = footprint.url(path)
    response = client.request(method, url)
    if path.startswith("/api/"):
        assert_error_shape(response, 401)
    elif method == "GET":
        assert response.status_code == 303
        assert response.headers["location"] == f"/login?next={url}"
    else:  # form posts: the CSRF check (no session, so no token) refuses them first
        assert response.status_code == 403
        assert "could not be verified" in response.text


@pytest.mark.parametrize(("method", "path", "role"), CASES)
def test_route_is_refused_exactly_when_the_policy_denies_the_role(
    matrix: Matrix, method: str, path: str, role: str
) -> None:
    needed = requirements(ROUTES[(method, path)])
    if needed:
        ((capability, action),) = needed
        permitted = allowed(role, capability, action)
    else:  # signed-in only (sign out)
        capability, action, permitted = "", "", True
    response = matrix.call(method, path, role)
    if permitted:
        assert response.status_code < 400, (response.status_code, response.text)
        return
    if path.startswith("/api/"):
        assert_error_shape(response, 403)
    else:
        assert response.status_code == 403
        assert "You cannot do this" in response.text
    username = matrix.footprint.accounts()[role]["username"]
    (event,) = audit_events(
        matrix.app, actor=username, action=f"{capability}.{action}", limit=1
    )
    assert (event.actor, event.actor_role, event.outcome) == (username, role, "denied")
    assert event.object_id == matrix.footprint.url(path)


def test_the_matrix_covers_every_role_and_protected_route() -> None:
    seen: set[Any] = {(c.values[0], c.values[1]) for c in CASES}
    assert seen == set(PROTECTED)
    assert {c.values[2] for c in CASES} == set(ROLES)
    assert len(CASES) == len(PROTECTED) * len(ROLES)
