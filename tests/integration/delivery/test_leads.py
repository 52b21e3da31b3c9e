"""Only a project's lead, or the programme office, may submit its return (decision 0024)."""

from __future__ import annotations

import pytest

from tests.integration.delivery.conftest import PMO
from tripleaim.delivery import (
    Actor,
    NotProjectLeadError,
    project_of,
    render_workbook,
    return_from_form,
    submit,
    upload_workbook,
)
from tripleaim.warehouse.store import Store

LED_BY_PMO_OFFICER = "cancer_62_day"  # lead_username: pmo.officer in the demo
LED_BY_DIRECTOR = "four_hour_recovery"  # lead_username: programme.director


def _form(store: Store, slug: str, reason: str) -> dict[str, str]:
    with store.session() as session:
        version = project_of(session, slug).version
    return {
        "period": "2018-03",
        "version": str(version),
        "rag": "amber",
        "rag_reason": reason,
    }


def _reason(store: Store, slug: str) -> str:
    with store.session() as session:
        return project_of(session, slug).rag_reason


def test_the_lead_submits_without_the_managers_grant(store: Store) -> None:
    lead = Actor(
        "pmo.officer (token t)", "pmo_officer", account="pmo.officer", manager=False
    )
    with store.session() as session:
        data = return_from_form(
            session, LED_BY_PMO_OFFICER, _form(store, LED_BY_PMO_OFFICER, "Lead's own")
        )
        result = submit(session, lead, data, "form")
    assert result.status == "submitted"
    assert _reason(store, LED_BY_PMO_OFFICER) == "Lead's own"


def test_anyone_else_without_the_managers_grant_is_refused_and_nothing_is_saved(
    store: Store,
) -> None:
    before = _reason(store, LED_BY_DIRECTOR)
    other = Actor("pmo.officer", "pmo_officer", account="pmo.officer", manager=False)
    with pytest.raises(NotProjectLeadError) as refused, store.session() as session:
        data = return_from_form(
            session, LED_BY_DIRECTOR, _form(store, LED_BY_DIRECTOR, "Not mine")
        )
        submit(session, other, data, "form")
    message = str(refused.value)
    assert "programme.director" in message
    assert LED_BY_DIRECTOR in message
    assert "pmo.officer" in message
    assert _reason(store, LED_BY_DIRECTOR) == before


def test_a_workbook_of_someone_elses_project_is_refused(store: Store) -> None:
    board = Actor("board.member", "board_member")  # the role has no delivery.manage
    with store.session() as session:
        content = render_workbook(session, "2018-03", LED_BY_DIRECTOR)
    with pytest.raises(NotProjectLeadError), store.session() as session:
        upload_workbook(session, board, content, expected_project=LED_BY_DIRECTOR)


def test_managers_and_the_operators_command_line_submit_for_any_project(
    store: Store,
) -> None:
    for actor, reason in (
        (PMO, "By the PMO"),
        (Actor("operator", "cli"), "By the CLI"),
    ):
        with store.session() as session:
            data = return_from_form(
                session, LED_BY_DIRECTOR, _form(store, LED_BY_DIRECTOR, reason)
            )
            submit(session, actor, data, "form")
        assert _reason(store, LED_BY_DIRECTOR) == reason


def test_a_project_without_a_lead_account_takes_returns_only_from_managers(
    store: Store,
) -> None:
    with store.session() as session:
        project_of(session, LED_BY_DIRECTOR).lead_username = ""
    nobody = Actor("", "board_member", manager=False)
    with (
        pytest.raises(NotProjectLeadError, match="no lead account"),
        store.session() as session,
    ):
        data = return_from_form(
            session, LED_BY_DIRECTOR, _form(store, LED_BY_DIRECTOR, "Anyone")
        )
        submit(session, nobody, data, "form")
