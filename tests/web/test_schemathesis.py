"""Property-based API tests: schemathesis generates requests from the OpenAPI document.

Every operation is called with an administrator's bearer token carrying every scope, except
the identifiable person record, which no administrator may read: that one is called with a
clinician's token (every scope its role has), so the generated ids reach the record lookup.
Asserts no 5xx and that responses conform to the published schema.

The operations are read at import from the OpenAPI document of an app on an in-memory
store (schemathesis 4.32's lazy ``from_fixture`` loader reads ``request.node._nodeid``,
which pytest 9 no longer has); each case is then sent to the test's own app, on SQLite
and on PostgreSQL, through ``call_and_validate(app=...)``.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings

from tests.web.conftest import NODE_MODULES
from tests.web.support import bearer
from tripleaim.access import policy
from tripleaim.settings import Settings
from tripleaim.web import create_app

MAX_EXAMPLES = 20


@pytest.fixture
def tokens(app: FastAPI) -> dict[str, dict[str, str]]:
    """Authorization headers: the administrator's, and a clinician's for person records."""
    # every scope there is; each role's grants narrow them
    scopes = [p.replace(".", ":") for p in policy().permissions]
    return {name: bearer(app, name, scopes) for name in ("administrator", "clinician")}


def document_app() -> FastAPI:
    """An app on an in-memory store, only to publish its OpenAPI document."""
    return create_app(
        Settings(
            environment="test",
            database_url="sqlite:///:memory:",
            node_modules_dir=NODE_MODULES,
        )
    )


schema = schemathesis.openapi.from_asgi("/api/openapi.json", document_app())


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the app and tokens serve every example alike
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_answers_generated_requests_within_its_schema(
    case: schemathesis.Case, app: FastAPI, tokens: dict[str, dict[str, str]]
) -> None:
    person = case.path.startswith("/api/v1/persons/")
    response = case.call_and_validate(
        headers=dict(
            tokens["clinician" if person else "administrator"]
        ),  # it adds to them
        app=app,
    )
    assert response.status_code < 500
    if (
        person and case.method.upper() == "GET"
    ):  # other methods: 405 with Allow, checked
        assert response.status_code in {200, 403, 404, 422}
        if response.status_code != 200:
            assert set(response.json()) == {"status", "code", "message", "errors"}


def test_the_document_declares_the_error_envelope_for_every_api_operation() -> None:
    document = document_app().openapi()
    for path, operations in document["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            declared = set(operation["responses"])
            assert {"401", "403", "422"} <= declared, (method, path, declared)
            ref = operation["responses"]["403"]["content"]["application/json"]["schema"]
            fields = document["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]
            assert set(fields["properties"]) == {"status", "code", "message", "errors"}
