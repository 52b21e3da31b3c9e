"""Programme pages computed like the board report, on SQLite and PostgreSQL: SPC, finance, triple aim, reports."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy import text as sql

from tests.web.support import Client, audit_events, bearer, login, session_csrf
from tripleaim.delivery import Kpi, KpiValue, financial_plans, load_demo, project_of
from tripleaim.delivery.finance import PlanLine, financial_gap, money

PROJECT = "cancer_62_day"


@pytest.fixture(autouse=True)
def fresh_programme(app: FastAPI) -> Iterator[None]:
    """Put the demo programme back after each test on PostgreSQL (see test_delivery_pages)."""
    yield
    if app.state.store.engine.dialect.name == "postgresql":
        with app.state.store.session() as session:
            session.execute(
                sql("TRUNCATE delivery_programmes RESTART IDENTITY CASCADE")
            )
            load_demo(session)


def _client(app: FastAPI, clients, accounts, role: str) -> Client:
    account = accounts[role]
    return login(clients(app), account["username"], account["password"])


def test_the_project_page_draws_every_kpi_as_an_xmr_chart_with_its_icons(
    app, clients, accounts
) -> None:
    client = _client(app, clients, accounts, "board_member")
    page = client.get(f"/delivery/projects/{PROJECT}")
    assert page.status_code == 200
    with app.state.store.session() as session:
        kpis = [(k.slug, k.title) for k in project_of(session, PROJECT).kpis]
    assert kpis
    for slug, title in kpis:
        assert f'id="spc-{slug}"' in page.text
        assert f"<title>XmR chart: {title}" in page.text
    assert page.text.count('class="spc-icon"') >= len(kpis)
    assert "Special cause" in page.text or "Common cause" in page.text
    assert "What the icons mean" in page.text


def test_the_kpi_table_lists_a_special_cause_of_concern_first(
    app, clients, accounts
) -> None:
    with app.state.store.session() as session:  # the latest month collapses
        kpi = session.scalar(select(Kpi).where(Kpi.slug == "extended_access_coverage"))
        latest = session.scalar(
            select(KpiValue)
            .where(KpiValue.kpi_id == kpi.id, KpiValue.actual.is_not(None))
            .order_by(KpiValue.month.desc())
        )
        latest.actual = 0.0
        title = kpi.title
    client = _client(app, clients, accounts, "board_member")
    page = client.get("/delivery/kpis")
    assert page.status_code == 200
    rows = re.findall(
        r'<tr class="nhsuk-table__row">\s*<td class="nhsuk-table__cell">([^<]+)',
        page.text,
    )
    assert rows[0].strip() == title
    first_row = page.text.split(title, 1)[1].split("</tr>", 1)[0]
    assert "Concern" in first_row
    assert 'id="kpi-tally"' in page.text
    with app.state.store.session() as session:
        count = session.query(Kpi).count()
    assert len(rows) == count


def test_the_finance_page_shows_the_plan_by_year_savings_control_total_and_bridge(
    app, clients, accounts
) -> None:
    client = _client(app, clients, accounts, "board_member")
    page = client.get("/delivery/finance")
    assert page.status_code == 200
    with app.state.store.session() as session:
        plans = [
            PlanLine(
                p.organisation,
                p.organisation_kind,
                p.financial_year,
                p.resources_available,
                p.spending_requirement,
            )
            for p in financial_plans(session)
        ]
    gaps = financial_gap(plans)
    system = gaps[gaps["organisation_kind"] == "system"]
    for year, gap in zip(system["financial_year"], system["gap"], strict=True):
        assert f'<td class="nhsuk-table__cell">{year}</td>' in page.text
        assert money(float(gap)) in page.text
    assert "The system financial plan by year" in page.text
    for table in (
        "plan-table",
        "bridge-table",
        "control-table",
        "stage-table",
        "scheme-table",
        "investment-table",
    ):
        assert f'id="{table}"' in page.text, table
    assert "<title>System resources against requirement</title>" in page.text
    assert "<title>Financial bridge 2017/18</title>" in page.text
    assert "Medicines optimisation" in page.text or "prescribing" in page.text


def test_the_triple_aim_page_shows_the_three_gaps(app, clients, accounts) -> None:
    client = _client(app, clients, accounts, "board_member")
    page = client.get("/delivery/triple-aim")
    assert page.status_code == 200
    for aim in ("aim-health", "aim-quality", "aim-finance"):
        assert f'id="{aim}"' in page.text
    assert "significantly worse than England" in page.text  # profiles are computed
    with app.state.store.session() as session:
        quality = session.query(Kpi).filter(Kpi.quality.is_(True)).count()
    table = page.text.split('id="quality-table"', 1)[1].split("</table>", 1)[0]
    assert table.count('<tr class="nhsuk-table__row">') == quality
    assert "Do-nothing gap" in page.text


def test_board_reports_are_viewed_by_viewers_and_downloaded_by_exporters_with_audit(
    app, clients, accounts
) -> None:
    board = _client(app, clients, accounts, "board_member")
    index = board.get("/delivery/reports")
    assert index.status_code == 200
    assert 'href="/delivery/reports/2018-03/pdf"' in index.text
    assert 'href="/delivery/reports/2018-02?workstream=cancer"' in index.text
    html = board.get("/delivery/reports/2018-02?workstream=cancer")
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert "Cancer" in html.text and "February 2018" in html.text
    pdf = board.get("/delivery/reports/2018-02/pdf?workstream=cancer")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert "board-report-2018-02-cancer.pdf" in pdf.headers["content-disposition"]
    (event,) = audit_events(
        app, action="delivery.export", actor="board.member", limit=1
    )
    assert (event.object_type, event.object_id, event.outcome) == (
        "board_report",
        "2018-02/cancer",
        "success",
    )
    assert board.get("/delivery/reports/2018-02?workstream=nowhere").status_code == 404
    assert board.get("/delivery/reports/March/pdf").status_code == 400
    admin = _client(app, clients, accounts, "administrator")  # view, not export
    assert "/pdf" not in admin.get("/delivery/reports").text
    assert admin.get("/delivery/reports/2018-02/pdf").status_code == 403


def test_only_the_lead_or_a_manager_submits_a_return_on_the_web(
    app, clients, accounts
) -> None:
    token = bearer(app, "pmo.officer", ["delivery:view", "delivery:submit"])
    client = clients(app)
    with app.state.store.session() as session:
        mine = project_of(session, PROJECT).version  # lead: pmo.officer
        theirs = project_of(session, "four_hour_recovery").version  # programme.director
    form = {"period": "2018-03", "rag": "amber", "rag_reason": "By token"}
    refused = client.post(
        "/delivery/projects/four_hour_recovery/return",
        data={**form, "version": str(theirs)},
        headers=token,
    )
    assert refused.status_code == 403
    assert "Only the project&#39;s lead (programme.director)" in refused.text
    (event,) = audit_events(app, action="delivery.return.submit", limit=1)
    assert (event.outcome, event.object_id) == ("denied", "2018-03/four_hour_recovery")
    accepted = client.post(
        f"/delivery/projects/{PROJECT}/return",
        data={**form, "version": str(mine)},
        headers=token,
    )
    assert accepted.status_code == 303, accepted.text
    director = _client(app, clients, accounts, "pmo_officer")  # a manager: any project
    saved = director.post(
        "/delivery/projects/four_hour_recovery/return",
        data={**form, "version": str(theirs), "csrf_token": session_csrf(director)},
    )
    assert saved.status_code == 303, saved.text
