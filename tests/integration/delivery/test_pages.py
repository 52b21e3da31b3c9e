"""The programme pages' content: the board report's computation for the latest period."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from tripleaim.delivery import FinancialPlanLine, Period, ProjectReturnRecord
from tripleaim.delivery.report import (
    board_report,
    finance_page,
    programme_kpis,
    project_kpis,
    report_index,
    triple_aim,
)
from tripleaim.errors import NotFoundError
from tripleaim.warehouse.store import Store


def test_the_kpi_table_holds_every_kpi_of_the_report_in_rank_order(
    store: Store,
) -> None:
    with store.session() as session:
        view = programme_kpis(session)
        report = board_report(session, view["month"], draw=False)
    assert view["month"] == "2018-03"
    assert sorted(r.card.key for r in view["rows"]) == sorted(
        c.key for c in report.kpis
    )
    ranks = [r.rank for r in view["rows"]]
    assert ranks == sorted(ranks)
    assert view["tally"] == report.tally
    unreported = [r for r in view["rows"] if r.card.variation is None]
    assert unreported and all(r.variation_svg == "" for r in unreported)
    assert all("no chart yet" in r.variation_meaning for r in unreported)
    assert all(r.rank[0] == 4 for r in unreported)  # no data: last


def test_a_project_has_a_chart_for_each_kpi_with_two_months_reported(
    store: Store,
) -> None:
    with store.session() as session:
        rows = project_kpis(session, "cancer_62_day")
    assert [r.project_slug for r in rows] == ["cancer_62_day"] * len(rows)
    assert rows and all(r.card.chart.startswith("<svg") for r in rows)
    assert all('class="spc-icon"' in r.variation_svg for r in rows)


def test_the_triple_aim_says_why_the_health_gap_is_missing(store: Store) -> None:
    with store.session() as session:
        view = triple_aim(session, None)
    assert view["aims"]["health"]["available"] is False
    assert "tripleaim indicators compute" in view["aims"]["health"]["note"]
    assert all(r.card.quality for r in view["quality"])
    assert len(view["quality"]) == view["aims"]["quality"]["tally"]["kpis"]


def test_without_a_financial_plan_the_finance_page_says_so(store: Store) -> None:
    with store.session() as session:
        session.execute(delete(FinancialPlanLine))
    with store.session() as session:
        view = finance_page(session)
    assert view["plan_rows"] == [] and view["plan_svg"] == ""
    assert view["finance"].note == "No financial plan has been entered."
    assert view["schemes"]  # savings schemes are still listed


def test_without_any_period_the_pages_name_what_is_missing(store: Store) -> None:
    with store.session() as session:
        session.execute(delete(ProjectReturnRecord))
        session.execute(delete(Period))
    with store.session() as session:
        assert report_index(session)["months"] == []
        with pytest.raises(NotFoundError, match="No reporting period"):
            programme_kpis(session)
        assert project_kpis(session, "cancer_62_day")  # to the project's end
