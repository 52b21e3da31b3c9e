"""Programme delivery on the web, on SQLite and PostgreSQL: pages, the return form, workbooks, review."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from openpyxl import load_workbook
from sqlalchemy import text as sql

from tests.web.conftest import Footprint
from tests.web.support import Client, audit_events, login, session_csrf
from tripleaim.delivery import KpiValue, load_demo, project_view, refresh_linked_kpis

PROJECT = "cancer_62_day"


@pytest.fixture(autouse=True)
def fresh_programme(app: FastAPI) -> Iterator[None]:
    """Put the demo programme back after each test on PostgreSQL, whose database the
    backend's tests share (SQLite tests each get a copy of the template)."""
    yield
    if app.state.store.engine.dialect.name == "postgresql":
        with app.state.store.session() as session:
            session.execute(
                sql("TRUNCATE delivery_programmes RESTART IDENTITY CASCADE")
            )
            load_demo(session)


def _signed_in(app: FastAPI, clients, accounts, role: str) -> tuple[Client, str]:
    account = accounts[role]
    client = login(clients(app), account["username"], account["password"])
    return client, session_csrf(client)


def test_the_overview_shows_workstreams_projects_and_their_status(
    app, clients, accounts
) -> None:
    client, _ = _signed_in(app, clients, accounts, "board_member")
    page = client.get("/delivery")
    assert page.status_code == 200
    for text in (
        "Urgent and emergency care",
        "Clinical support services",
        "Medicines optimisation",
        "Amber/Red",
        "Savings 2017/18",
    ):
        assert text in page.text
    assert 'href="/delivery/projects/extended_access"' in page.text
    assert "Download the programme workbook" in page.text
    assert (
        "Fill in the return form"
        not in client.get(f"/delivery/projects/{PROJECT}").text
    )


def test_the_project_page_shows_kpis_savings_risks_and_history(
    app, clients, accounts
) -> None:
    client, _ = _signed_in(app, clients, accounts, "pmo_officer")
    page = client.get("/delivery/projects/medicines_optimisation")
    assert page.status_code == 200
    for text in (
        "Biosimilar uptake",
        "Open the bag",
        "(non-recurrent)",
        "£13,800k",
        "Stoma suppliers resist formulary",
        "Change history",
    ):
        assert text in page.text, text
    assert client.get("/delivery/projects/no_such_project").status_code == 404


def test_a_return_through_the_form_is_saved_and_reviewed(
    app, clients, accounts
) -> None:
    client, csrf = _signed_in(app, clients, accounts, "programme_director")
    form = client.get(f"/delivery/projects/{PROJECT}/return?period=2018-03")
    assert form.status_code == 200
    with app.state.store.session() as session:
        view = project_view(session, PROJECT)
        kpi = view["kpis"][0]["kpi"].id
        version = view["project"].version
    data = {
        "csrf_token": csrf,
        "period": "2018-03",
        "version": str(version),
        "rag": "amber",
        "rag_reason": "Urology capacity",
        f"kpi-{kpi}": "84.2",
    }
    response = client.post(f"/delivery/projects/{PROJECT}/return", data=data)
    assert response.status_code == 303, response.text
    with app.state.store.session() as session:
        value = session.query(KpiValue).filter_by(kpi_id=kpi, month="2018-03").one()
        assert value.actual == 84.2
    page = client.get(f"/delivery/projects/{PROJECT}")
    assert "Urology capacity" in page.text
    assert "84.2" in page.text
    stale = client.post(
        f"/delivery/projects/{PROJECT}/return", data={**data, f"kpi-{kpi}": "85"}
    )
    assert stale.status_code == 409
    assert "was changed by programme.director after you opened it" in stale.text
    bad = client.post(
        f"/delivery/projects/{PROJECT}/return",
        data={**data, "version": str(version + 1), f"kpi-{kpi}": "eighty"},
    )
    assert bad.status_code == 422
    assert f'href="#kpi-{kpi}"' in bad.text
    assert "&#39;eighty&#39; is not a number" in bad.text
    (event,) = audit_events(
        app, action="delivery.return.submit", outcome="invalid", limit=1
    )
    assert event.object_id == f"2018-03/{PROJECT}"
    review = client.post(
        "/delivery/periods/2018-03/review",
        data={
            "csrf_token": csrf,
            "project": PROJECT,
            "decision": "request_changes",
            "comment": "Add the urology plan",
        },
    )
    assert review.status_code == 303
    period = client.get("/delivery/periods/2018-03")
    assert "Add the urology plan" in period.text
    assert 'id="return-single_care_plan">Awaited' in period.text


def test_a_period_with_returns_awaiting_review_cannot_be_locked(
    app, clients, accounts
) -> None:
    client, csrf = _signed_in(app, clients, accounts, "pmo_officer")
    response = client.post(
        "/delivery/periods/lock", data={"csrf_token": csrf, "month": "2018-03"}
    )
    assert response.status_code == 409
    assert "returns await review for" in response.text
    opened = client.post(
        "/delivery/periods", data={"csrf_token": csrf, "month": "2018-04"}
    )
    assert (opened.status_code, opened.headers["location"]) == (
        303,
        "/delivery/periods/2018-04",
    )
    assert (
        client.post(
            "/delivery/periods", data={"csrf_token": csrf, "month": "2018-04"}
        ).status_code
        == 409
    )
    locked = client.post(
        "/delivery/periods/lock", data={"csrf_token": csrf, "month": "2018-04"}
    )
    assert locked.status_code == 303
    assert "Locked" in client.get("/delivery/periods/2018-04").text
    assert [
        e.action
        for e in audit_events(app, actor="pmo.officer", outcome="success", limit=2)
    ] == ["delivery.period.lock", "delivery.period.open"]


def test_workbooks_download_and_upload_with_errors_by_cell(
    app, clients, accounts
) -> None:
    client, csrf = _signed_in(app, clients, accounts, "pmo_officer")
    download = client.get(f"/delivery/projects/{PROJECT}/workbook?period=2018-03")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(download.content))
    book["KPIs"]["T3"] = "n/a"
    broken = io.BytesIO()
    book.save(broken)
    url = f"/delivery/projects/{PROJECT}/workbook"
    rejected = client.post(
        url,
        data={"csrf_token": csrf},
        files={"workbook": ("b.xlsx", broken.getvalue())},
    )
    assert rejected.status_code == 422
    assert "<code>KPIs!T3</code>" in rejected.text
    assert "is text, not a number" in rejected.text
    book["KPIs"]["T3"] = 86.1
    fixed = io.BytesIO()
    book.save(fixed)
    saved = client.post(
        url, data={"csrf_token": csrf}, files={"workbook": ("b.xlsx", fixed.getvalue())}
    )
    assert saved.status_code == 200
    assert "Workbook saved: return for 2018-03 submitted, 1 change." in saved.text
    assert client.post(url, data={"csrf_token": csrf}).status_code == 422
    programme = client.get("/delivery/workbook?period=2018-03")
    assert programme.status_code == 200
    assert len(load_workbook(io.BytesIO(programme.content))["Project"]["A"]) == 21
    (event,) = audit_events(app, action="delivery.export", limit=1)
    assert event.object_id == "2018-03"


def test_a_kpi_linked_to_an_indicator_fills_its_actuals(
    app, footprint: Footprint
) -> None:
    with app.state.store.session() as session:
        summary = refresh_linked_kpis(session, footprint.settings)
        (kpi,) = [
            k["kpi"]
            for k in project_view(session, "falls_pathway")["kpis"]
            if k["kpi"].indicator_id
        ]
        filled = {v.month: v.actual for v in kpi.values if v.actual is not None}
    assert summary.kpis == 1
    assert summary.values == len(filled) > 0
    assert all(month.endswith("-03") for month in filled)
