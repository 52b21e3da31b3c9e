"""The monthly cycle end to end: open, upload, errors, review, approve, lock; history and audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.integration.delivery.conftest import LEAD, PMO, edit, row_of
from tripleaim import audit
from tripleaim.delivery import (
    Change,
    KpiValue,
    PeriodLockedError,
    ProjectChangedError,
    ReturnInvalidError,
    TransitionError,
    lock_period,
    open_period,
    period_view,
    project_of,
    project_view,
    render_workbook,
    review_return,
    update_project,
    upload_workbook,
)
from tripleaim.warehouse.store import Store

PROJECT = "cancer_62_day"


def _set_actual(
    content: bytes, project: str, kpi_id: int, column: str, value: object
) -> bytes:
    def change(book) -> None:
        ws = book["KPIs"]
        ws[f"{column}{row_of(ws, project, kpi_id) + 1}"] = value

    return edit(content, change)


def _kpi_id(store: Store, slug: str) -> int:
    with store.session() as session:
        return project_view(session, PROJECT)["kpis"][0]["kpi"].id if slug else 0


def test_the_cycle_runs_from_opening_a_period_to_locking_it(store: Store) -> None:
    with store.session() as session:
        open_period(session, PMO, "2018-04")
    kpi = _kpi_id(store, "cancer_62_day_performance")
    with store.session() as session:
        workbook = render_workbook(session, "2018-04", PROJECT)
    # April is the first month of 2018/19: column I
    filled = _set_actual(workbook, PROJECT, kpi, "I", 83.4)
    with store.session() as session:
        (result,) = upload_workbook(session, LEAD, filled, expected_project=PROJECT)
    assert (result.project, result.period, result.status) == (
        PROJECT,
        "2018-04",
        "submitted",
    )
    assert result.changes == 1
    with store.session() as session:
        value = session.scalar(
            select(KpiValue).where(KpiValue.kpi_id == kpi, KpiValue.month == "2018-04")
        )
        assert (value.actual, value.source) == (83.4, "return")
        (change,) = session.scalars(
            select(Change).where(Change.entity == "kpi_values")
        ).all()
        assert (change.field, change.old_value, change.new_value) == (
            "actual",
            None,
            "83.4",
        )
        assert change.actor == LEAD.username
        assert change.context == "return 2018-04 via workbook"
    with (
        pytest.raises(TransitionError, match="await review"),
        store.session() as session,
    ):
        lock_period(session, PMO, "2018-04")
    with store.session() as session:
        review_return(
            session, PMO, "2018-04", PROJECT, "request_changes", "Explain the dip"
        )
    with store.session() as session:
        workbook = render_workbook(session, "2018-04", PROJECT)
        upload_workbook(session, LEAD, _set_actual(workbook, PROJECT, kpi, "I", 84.0))
    with store.session() as session:
        record = review_return(session, PMO, "2018-04", PROJECT, "approve")
        assert record.status == "approved"
        lock_period(session, PMO, "2018-04")
        view = period_view(session, "2018-04")
        assert view["period"].status == "locked"
        assert view["counts"]["approved"] == 1
    with store.session() as session:
        events = audit.search(session, audit.AuditQuery(limit=50))
        actions = [e.action for e in reversed(events)]
    assert actions == [
        "delivery.period.open",
        "delivery.return.submit",
        "delivery.return.request_changes",
        "delivery.return.submit",
        "delivery.return.approve",
        "delivery.period.lock",
    ]
    with (
        pytest.raises(ReturnInvalidError, match="locked") as info,
        store.session() as session,
    ):
        upload_workbook(session, LEAD, workbook)
    assert info.value.problems[0].location == "Guide!B4"


def test_review_needs_a_submitted_return_and_changes_need_a_comment(
    store: Store,
) -> None:
    with (
        pytest.raises(Exception, match="has not submitted"),
        store.session() as session,
    ):
        review_return(session, PMO, "2018-03", "single_care_plan", "approve")
    with pytest.raises(Exception, match="comment"), store.session() as session:
        review_return(session, PMO, "2018-03", PROJECT, "request_changes", " ")
    with pytest.raises(PeriodLockedError, match="locked"), store.session() as session:
        review_return(session, PMO, "2018-02", PROJECT, "approve")
    with (
        pytest.raises(TransitionError, match="open cannot be opened"),
        store.session() as session,
    ):
        open_period(session, PMO, "2018-03")


def test_a_workbook_downloaded_before_someone_else_saved_is_refused_naming_the_project(
    store: Store,
) -> None:
    kpi = _kpi_id(store, "cancer_62_day_performance")
    with store.session() as session:
        first = render_workbook(session, "2018-03", PROJECT)
    second = first
    with store.session() as session:
        upload_workbook(session, LEAD, _set_actual(first, PROJECT, kpi, "T", 84.9))
    with pytest.raises(ProjectChangedError) as info, store.session() as session:
        upload_workbook(session, PMO, _set_actual(second, PROJECT, kpi, "T", 70.0))
    message = str(info.value)
    assert "'cancer_62_day' (62-day cancer standard recovery)" in message
    assert "by project.lead" in message
    with store.session() as session:
        value = session.scalar(
            select(KpiValue).where(KpiValue.kpi_id == kpi, KpiValue.month == "2018-03")
        )
        assert value.actual == 84.9


def test_two_simultaneous_saves_of_one_project_cannot_both_succeed(
    store: Store,
) -> None:
    with store.session() as session:
        version = project_view(session, PROJECT)["project"].version
    with store.sessions() as first, store.sessions() as second:
        opened = project_of(second, PROJECT)  # the second editor opens it at version 1
        update_project(
            first, PMO, PROJECT, version, {"rag": "red", "rag_reason": "Slipping"}
        )
        first.commit()
        with pytest.raises(ProjectChangedError, match="at the same time"):
            update_project(second, LEAD, PROJECT, version, {"lead": "Someone"})
        second.rollback()
        assert opened.slug == PROJECT
    with store.session() as session:
        project = project_view(session, PROJECT)["project"]
        assert (project.rag, project.lead, project.version) == (
            "red",
            "Helen Marsh, Cancer Services Manager",
            version + 1,
        )
        with pytest.raises(ProjectChangedError, match="you started from version"):
            update_project(session, LEAD, PROJECT, version, {"lead": "Someone"})


def test_a_project_edit_is_checked_and_logged(store: Store) -> None:
    with (
        pytest.raises(Exception, match="Cannot edit version"),
        store.session() as session,
    ):
        update_project(session, PMO, PROJECT, 1, {"version": 7})
    with (
        pytest.raises(Exception, match="'purple' is not one of"),
        store.session() as session,
    ):
        update_project(session, PMO, PROJECT, 1, {"rag": "purple"})
    with store.session() as session:
        project = update_project(
            session, PMO, PROJECT, 1, {"rag": "green", "rag_reason": ""}
        )
        assert project.version == 2
    with store.session() as session:
        changes = session.scalars(select(Change).order_by(Change.id)).all()
        assert [(c.field, c.old_value, c.new_value) for c in changes] == [
            ("rag", "amber", "green"),
            (
                "rag_reason",
                "Performance improving but behind the trajectory to 85%; urology capacity remains the constraint.",
                "",
            ),
        ]
