"""The JSON API and the audit pages: validation, records for direct care, headers, the trail."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import duckdb
import pytest
from fastapi import FastAPI
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError

from tests.web.conftest import Footprint
from tests.web.support import (
    Client,
    assert_error_shape,
    audit_events,
    login,
    session_csrf,
    submit_login,
)
from tripleaim import access, audit
from tripleaim.audit import AuditEvent
from tripleaim.audit.service import EXPORT_COLUMNS

Clients = Callable[..., Client]


@pytest.mark.parametrize(
    ("role", "url", "location"),
    [
        (
            "pmo_officer",
            "/api/v1/organisations?org_type=hospital",
            ["query", "org_type"],
        ),
        (
            "pmo_officer",
            "/api/v1/organisations?parent_code=qgh",
            ["query", "parent_code"],
        ),
        ("clinician", "/api/v1/persons/0", ["path", "person_id"]),
        ("clinician", "/api/v1/persons/not-a-number", ["path", "person_id"]),
        ("administrator", "/api/v1/audit?limit=5000", ["query", "limit"]),
        ("administrator", "/api/v1/audit?outcome=maybe", ["query", "outcome"]),
    ],
)
def test_bad_input_gets_a_422_envelope_naming_the_field(
    signed_in: Callable[[str], Client], role: str, url: str, location: list[str]
) -> None:
    # the role may use the route: authorisation is checked before input
    body = assert_error_shape(signed_in(role).get(url), 422)
    assert [e["location"] for e in body["errors"]] == [location]
    assert location[-1] in body["message"]


def test_unknown_api_paths_and_methods_get_the_envelope(client: Client) -> None:
    assert_error_shape(client.get("/api/v1/nothing-here"), 404)
    wrong_method = client.post("/api/v1/footprint")
    assert_error_shape(wrong_method, 405)
    assert (
        wrong_method.headers["allow"] == "GET"
    )  # RFC 9110: a 405 lists what is allowed


def test_a_page_refusing_a_method_says_which_are_allowed(client: Client) -> None:
    response = client.get("/logout")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


def test_the_footprint_gives_the_pyramid_and_the_places(
    signed_in: Callable[[str], Client], footprint: Footprint
) -> None:
    response = signed_in("board_member").get("/api/v1/footprint")
    assert response.status_code == 200
    body = response.json()
    con = duckdb.connect(str(footprint.settings.warehouse_path), read_only=True)
    try:
        places = con.execute(
            "SELECT org_code FROM organisations WHERE org_type = 'place' ORDER BY 1"
        ).fetchall()
        (persons,) = con.execute("SELECT count(*) FROM persons").fetchone()
    finally:
        con.close()
    assert body["available"] is True
    assert sorted(p["code"] for p in body["places"]) == [c for (c,) in places]
    assert {r["sex"] for r in body["pyramid"]} <= {"F", "M"}
    assert sum(r["population"] for r in body["pyramid"]) == body["total_population"]
    assert 0 < body["total_population"] <= persons
    assert body["population_date"]


def test_organisations_filter_by_type_and_parent(
    signed_in: Callable[[str], Client], footprint: Footprint
) -> None:
    client = signed_in("pmo_officer")
    (icb,) = client.get("/api/v1/organisations", params={"org_type": "icb"}).json()
    assert icb["org_code"] == footprint.icb_code
    children = client.get(
        "/api/v1/organisations", params={"parent_code": footprint.icb_code}
    ).json()
    assert children
    assert {o["parent_code"] for o in children} == {footprint.icb_code}


def test_a_clinician_reads_a_record_of_their_practice_and_the_read_is_audited(
    app: FastAPI, signed_in: Callable[[str], Client], footprint: Footprint
) -> None:
    response = signed_in("clinician").get(f"/api/v1/persons/{footprint.person_id}")
    assert response.status_code == 200
    record = response.json()
    assert record["person_id"] == footprint.person_id
    assert record["nhs_number"].startswith("999")
    assert len(record["nhs_number"]) == 10
    assert record["practice_code"] == footprint.practice_code
    (event,) = audit_events(app, action="person_record.read")
    assert (event.outcome, event.actor, event.object_type, event.object_id) == (
        "success",
        "clinician",
        "person",
        str(footprint.person_id),
    )
    assert record["nhs_number"] not in event.detail


def test_a_clinician_of_another_organisation_is_refused_and_audited(
    app: FastAPI, clients: Clients, footprint: Footprint
) -> None:
    with app.state.store.session() as session:
        access.create_user(
            session,
            username="other.clinician",
            display_name="A clinician elsewhere",
            role="clinician",
            org_code=footprint.other_practice_code,
            password="another-long-password",  # noqa: S106
        )
    client = login(clients(app), "other.clinician", "another-long-password")
    body = assert_error_shape(client.get(f"/api/v1/persons/{footprint.person_id}"), 403)
    assert "registered with your organisation" in body["message"]
    (event,) = audit_events(app, action="person_record.read")
    assert (event.outcome, event.actor, event.object_id) == (
        "denied",
        "other.clinician",
        str(footprint.person_id),
    )
    assert "no direct-care relationship" in event.detail
    # the same clinician may read people registered with their own practice
    own = client.get(f"/api/v1/persons/{footprint.other_person_id}")
    assert own.status_code == 200


@pytest.mark.parametrize(
    "role", ["system_analyst", "programme_director", "administrator"]
)
def test_roles_without_direct_care_cannot_read_identifiable_records(
    app: FastAPI, signed_in: Callable[[str], Client], footprint: Footprint, role: str
) -> None:
    response = signed_in(role).get(f"/api/v1/persons/{footprint.person_id}")
    assert_error_shape(response, 403)
    (event,) = audit_events(app, action="person_record.read")
    assert (event.outcome, event.actor_role) == ("denied", role)


def test_an_unknown_person_gets_a_404_envelope(
    signed_in: Callable[[str], Client],
) -> None:
    body = assert_error_shape(signed_in("clinician").get("/api/v1/persons/1"), 404)
    assert "no person 1" in body["message"]


@pytest.mark.parametrize("path", ["/login", "/api/v1/me", "/health"])
def test_every_response_carries_the_security_headers(client: Client, path: str) -> None:
    first, second = client.get(path), client.get(path)
    for response in (first, second):
        headers = response.headers
        assert "nonce-" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["strict-transport-security"].startswith("max-age=")
        assert headers["cache-control"] == "no-store"
    assert (
        first.headers["content-security-policy"]
        != second.headers["content-security-policy"]
    ), "the script nonce must be fresh per response"


def test_inline_scripts_carry_the_nonce_of_the_policy(client: Client) -> None:
    page = client.get("/login")
    policy = page.headers["content-security-policy"]
    nonce = policy.split("'nonce-", 1)[1].split("'", 1)[0]
    assert "<script>" not in page.text  # every inline script is nonced ...
    assert f'<script nonce="{nonce}">' in page.text  # ... with this response's nonce


def test_the_audit_page_searches_the_trail_and_escapes_what_it_shows(
    app: FastAPI, client: Client, signed_in: Callable[[str], Client]
) -> None:
    submit_login(client, "<script>alert(1)</script>", "wrong-password")
    submit_login(client, "clinician", "wrong-password")
    admin = signed_in("administrator")
    page = admin.get("/admin/audit", params={"outcome": "failed"})
    assert page.status_code == 200
    assert "2 events" in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert(1)" not in page.text
    one = admin.get("/admin/audit", params={"actor": "clinician", "outcome": "failed"})
    assert "1 events" in one.text
    assert audit_events(app, action="audit.view", outcome="success")


def test_the_audit_page_refuses_an_unknown_outcome_with_a_page(
    signed_in: Callable[[str], Client],
) -> None:
    response = signed_in("administrator").get(
        "/admin/audit", params={"outcome": "maybe"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")


def test_the_audit_export_is_csv_with_a_header_and_one_row_per_event(
    app: FastAPI, client: Client, signed_in: Callable[[str], Client]
) -> None:
    for _ in range(3):
        submit_login(client, "pmo.officer", "wrong-password")
    response = signed_in("administrator").get(
        "/admin/audit.csv", params={"action": "login", "outcome": "failed"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert len(rows) == 4
    assert {r[EXPORT_COLUMNS.index("actor")] for r in rows[1:]} == {"pmo.officer"}
    assert audit_events(app, action="audit.export", outcome="success")


def test_the_audit_export_neutralises_spreadsheet_formulas(
    client: Client, signed_in: Callable[[str], Client]
) -> None:
    submit_login(client, '=HYPERLINK("https://evil.example","x")', "wrong-password")
    response = signed_in("administrator").get(
        "/admin/audit.csv", params={"outcome": "failed"}
    )
    rows = list(csv.reader(io.StringIO(response.text)))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c[:1] in {"=", "+", "-", "@", "\t", "\r"}]


def test_audit_events_can_be_neither_changed_nor_deleted(
    app: FastAPI, client: Client, backend: str
) -> None:
    submit_login(client, "clinician", "wrong-password")
    (event,) = audit_events(app, action="login")
    for statement in (
        update(AuditEvent).where(AuditEvent.id == event.id).values(outcome="success"),
        delete(AuditEvent).where(AuditEvent.id == event.id),
    ):
        with (
            pytest.raises(DBAPIError, match="append-only"),
            app.state.store.session() as session,
        ):
            session.execute(statement)
    with app.state.store.session() as session:
        (kept,) = audit.search(session, audit.AuditQuery(action="login"))
    assert (kept.id, kept.outcome) == (event.id, "failed")
    assert backend in {"sqlite", "postgresql"}


def test_an_account_for_an_organisation_outside_the_footprint_is_refused(
    signed_in: Callable[[str], Client],
) -> None:
    admin = signed_in("administrator")
    token = session_csrf(admin)
    response = admin.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "username": "new.person",
            "display_name": "New Person",
            "role": "system_analyst",
            "org_code": "ZZZ99",
            "password": "a long enough password",
        },
    )
    assert response.status_code == 422
    assert "ZZZ99 is not an organisation of this footprint" in response.text
