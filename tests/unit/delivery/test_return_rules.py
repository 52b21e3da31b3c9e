"""Validation of a return, whatever its source: each problem names its cell or field."""

from __future__ import annotations

from tripleaim.delivery.returns import (
    KpiEntry,
    MilestoneEntry,
    Problem,
    ReturnData,
    ReturnInvalidError,
    RiskEntry,
    SavingsEntry,
    problems,
)
from tripleaim.errors import LoadError

YEAR = [f"2017-{m:02d}" for m in range(4, 13)] + [f"2018-{m:02d}" for m in (1, 2, 3)]


def savings(plan_total: float, actual_until: str = "2018-01", **kw) -> SavingsEntry:
    months = {m: (100.0, 90.0 if m <= actual_until else None) for m in YEAR}
    cells = {
        "plan_total": "Savings!I2",
        **{f"actual:{m}": f"Savings!{m}" for m in YEAR},
    }
    return SavingsEntry(
        cells=cells,
        line_id=1,
        stage="identified",
        plan_total=plan_total,
        months=months,
        **kw,
    )


def data(**kw) -> ReturnData:
    base = {
        "project": "p",
        "period": "2018-01",
        "rag": "green",
        "cells": {"rag": "Project!E2", "rag_reason": "Project!F2"},
    }
    return ReturnData(**{**base, **kw})


def test_a_valid_return_has_no_problems() -> None:
    assert problems(data(savings=(savings(1200.0),))) == []


def test_a_plan_that_does_not_add_up_is_named_at_the_plan_total_cell() -> None:
    (problem,) = problems(data(savings=(savings(1300.0),)))
    assert problem.location == "Savings!I2"
    assert "adds up to 1,200.0" in problem.message
    assert "1,300.0" in problem.message


def test_a_plan_within_fifty_pounds_adds_up() -> None:
    assert problems(data(savings=(savings(1200.04),))) == []


def test_an_actual_after_the_period_is_refused() -> None:
    (problem,) = problems(data(savings=(savings(1200.0, actual_until="2018-02"),)))
    assert problem.location == "Savings!2018-02"
    assert "after the period 2018-01" in problem.message


def test_a_status_other_than_green_needs_a_reason() -> None:
    (problem,) = problems(data(rag="amber_red"))
    assert problem.location == "Project!F2"
    assert "reason" in problem.message
    assert problems(data(rag="amber_red", rag_reason="late supplier")) == []


def test_an_unknown_status_lists_the_allowed_ones() -> None:
    (problem,) = problems(data(rag="purple"))
    assert problem.location == "Project!E2"
    assert "green, amber_green, amber, amber_red, red" in problem.message


def test_linked_kpi_actuals_and_future_actuals_are_refused() -> None:
    entry = KpiEntry(
        cells={"actual:2018-01": "KPIs!R3", "actual:2018-02": "KPIs!S3"},
        kpi_id=7,
        months={"2018-01": (80.0, 81.0), "2018-02": (80.0, 79.0)},
    )
    found = problems(data(kpis=(entry,)))
    assert [p.location for p in found] == ["KPIs!S3"]
    linked = problems(data(kpis=(entry,)), linked_kpis=frozenset({7}))
    assert [p.location for p in linked] == ["KPIs!R3", "KPIs!S3"]
    assert "linked indicator" in linked[0].message


def test_risk_scores_and_milestone_rules() -> None:
    risk = RiskEntry(cells={"impact": "Risks!G2"}, risk_id=1, likelihood=3, impact=6)
    milestone = MilestoneEntry(
        cells={"actual_date": "Milestones!F2"}, milestone_id=1, status="complete"
    )
    found = problems(data(risks=(risk,), milestones=(milestone,)))
    assert [p.location for p in found] == ["Milestones!F2", "Risks!G2"]


def test_the_rejection_is_an_input_file_error_listing_every_problem() -> None:
    error = ReturnInvalidError([Problem("A!B1", "bad"), Problem("A!B2", "worse")])
    assert isinstance(error, LoadError)
    assert error.exit_code == 11
    assert "A!B1: bad; A!B2: worse" in str(error)
