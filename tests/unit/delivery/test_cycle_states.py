"""The cycle's state machine: which transitions a return and a period allow."""

from __future__ import annotations

import pytest

from tripleaim.delivery.cycle import (
    PERIOD_TRANSITIONS,
    RETURN_TRANSITIONS,
    TransitionError,
    next_status,
)
from tripleaim.errors import ConflictError


@pytest.mark.parametrize(
    ("current", "action", "after"),
    [
        (None, "submit", "submitted"),
        ("submitted", "approve", "approved"),
        ("submitted", "request_changes", "changes_requested"),
        ("changes_requested", "submit", "submitted"),
        ("approved", "submit", "submitted"),
    ],
)
def test_a_return_moves_through_review(current, action, after) -> None:
    assert next_status(current, action) == after


@pytest.mark.parametrize(
    ("current", "action"),
    [
        (None, "approve"),
        ("approved", "approve"),
        ("changes_requested", "approve"),
        ("approved", "request_changes"),
        (None, "request_changes"),
    ],
)
def test_a_return_cannot_be_reviewed_out_of_turn(current, action) -> None:
    with pytest.raises(TransitionError, match="cannot be"):
        next_status(current, action)


def test_a_period_opens_once_and_locks_once() -> None:
    assert next_status(None, "open", "period") == "open"
    assert next_status("open", "lock", "period") == "locked"
    with pytest.raises(TransitionError, match="period that is open cannot be opened"):
        next_status("open", "open", "period")
    assert next_status("locked", "lock", "period") == "locked"  # idempotent
    with pytest.raises(TransitionError, match="locked cannot be opened"):
        next_status("locked", "open", "period")


def test_transition_errors_are_conflicts_and_every_state_is_reachable() -> None:
    assert issubclass(TransitionError, ConflictError)
    reached = set(RETURN_TRANSITIONS.values())
    assert reached == {"submitted", "approved", "changes_requested"}
    assert set(PERIOD_TRANSITIONS.values()) == {"open", "locked"}
