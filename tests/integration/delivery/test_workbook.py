"""The project workbook: protected template, cell-by-cell errors, all-or-nothing, round trip."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.integration.delivery.conftest import LEAD, PMO, cells, edit, row_of
from tripleaim.delivery import (
    TEMPLATE_VERSION,
    Change,
    KpiValue,
    ReturnInvalidError,
    SavingsMonth,
    render_workbook,
    upload_workbook,
)
from tripleaim.warehouse.store import Store

PROJECT = "medicines_optimisation"


def _workbook(store: Store, project: str | None = PROJECT) -> bytes:
    with store.session() as session:
        return render_workbook(session, "2018-03", project)


def _rejected(store: Store, content: bytes, expected: str | None = None) -> list[str]:
    with pytest.raises(ReturnInvalidError) as info, store.session() as session:
        upload_workbook(session, LEAD, content, expected_project=expected)
    return [str(p) for p in info.value.problems]


def _snapshot(store: Store) -> list[tuple]:
    with store.session() as session:
        kpis = session.execute(
            select(
                KpiValue.kpi_id, KpiValue.month, KpiValue.trajectory, KpiValue.actual
            ).order_by(KpiValue.id)
        ).all()
        savings = session.execute(
            select(
                SavingsMonth.line_id,
                SavingsMonth.month,
                SavingsMonth.plan,
                SavingsMonth.actual,
            ).order_by(SavingsMonth.id)
        ).all()
    return [*kpis, *savings]


def test_the_template_protects_every_cell_but_the_inputs_and_hides_its_metadata(
    store: Store,
) -> None:
    book = load_workbook(io.BytesIO(_workbook(store)))
    assert book.sheetnames == [
        "Guide",
        "Project",
        "Milestones",
        "KPIs",
        "Savings",
        "Risks",
        "_meta",
    ]
    assert book["_meta"].sheet_state == "veryHidden"
    meta = dict(book["_meta"].iter_rows(values_only=True))
    assert meta["template_version"] == TEMPLATE_VERSION
    assert (meta["period"], meta["scope"], meta[f"project:{PROJECT}"]) == (
        "2018-03",
        PROJECT,
        1,
    )
    project = book["Project"]
    assert all(book[name].protection.sheet for name in book.sheetnames)
    assert project["A2"].protection.locked  # the id
    assert not project["E2"].protection.locked  # RAG status
    (rag_list,) = project.data_validations.dataValidation
    assert rag_list.formula1 == '"Green,Amber/Green,Amber,Amber/Red,Red"'
    savings = book["Savings"]
    assert savings["I2"].protection.locked is False  # plan total (plan row)
    assert savings["I3"].protection.locked is True  # the actual row repeats it, locked
    assert book["Risks"]["H2"].value == "=F2*G2"


def test_errors_name_sheet_and_cell_and_nothing_is_saved(store: Store) -> None:
    before = _snapshot(store)

    def break_cells(book) -> None:
        savings = book["Savings"]
        row = row_of(savings, PROJECT)
        savings[f"M{row + 1}"] = "about 400"  # text in a number cell (actual, May)
        savings[f"I{row}"] = (
            savings[f"I{row}"].value + 250
        )  # the plan no longer adds up
        book["Risks"]["F2"] = 7
        book["Project"]["E2"] = "Purple"
        book["KPIs"]["T3"] = 91.0  # a valid change that must not be saved alone

    problems = _rejected(store, edit(_workbook(store), break_cells))
    assert any(
        p.startswith("Savings!M3: 'about 400' is text, not a number") for p in problems
    )
    assert any(
        p.startswith("Risks!F2: 7 is not a whole number from 1 to 5") for p in problems
    )
    assert any(
        p.startswith("Project!E2: 'Purple' is not one of: Green") for p in problems
    )
    assert _snapshot(store) == before


def test_a_plan_that_does_not_add_up_is_reported_at_its_total(store: Store) -> None:
    def inflate(book) -> None:
        book["Savings"]["I2"] = book["Savings"]["I2"].value + 250

    (problem,) = _rejected(store, edit(_workbook(store), inflate))
    assert problem.startswith("Savings!I2: the monthly plan adds up to 2,600.0")
    assert "but the year's plan is 2,850.0" in problem


def test_a_workbook_of_another_project_an_older_template_or_no_workbook_is_refused(
    store: Store,
) -> None:
    other = _workbook(store, "four_hour_recovery")
    (problem,) = _rejected(store, other, expected=PROJECT)
    assert problem == (
        "Guide!B5: this workbook is for project 'four_hour_recovery', not project "
        "'medicines_optimisation'."
    )

    def older(book) -> None:
        book["_meta"]["B1"] = TEMPLATE_VERSION - 1

    (problem,) = _rejected(store, edit(_workbook(store), older))
    assert problem.startswith("Guide!B6: the workbook was made with template version 0")
    (problem,) = _rejected(store, b"name,value\nnot,excel\n")
    assert problem.startswith("file: not an Excel workbook")

    def foreign_row(book) -> None:
        book["Risks"]["A2"] = "someone_elses_project"

    (problem,) = _rejected(store, edit(_workbook(store), foreign_row))
    assert problem.startswith("Risks!A2: project 'someone_elses_project' is not one")


def test_an_actual_after_the_period_and_an_edited_id_are_refused(store: Store) -> None:
    with store.session() as session:
        from tripleaim.delivery import open_period

        open_period(session, PMO, "2018-04")
    with store.session() as session:
        april = render_workbook(session, "2018-04", "cancer_62_day")

    def future(book) -> None:
        book["KPIs"]["J3"] = 80.0  # May 2018 is after the April period

    (problem,) = _rejected(store, edit(april, future))
    assert problem.startswith(
        "KPIs!J3: an actual for 2018-05 is after the period 2018-04"
    )

    def edited_id(book) -> None:
        book["Milestones"]["B2"] = "one"

    (problem,) = _rejected(store, edit(april, edited_id))
    assert problem.startswith("Milestones!B2: 'one' is not an id")


def test_the_programme_workbook_round_trips_unchanged(store: Store) -> None:
    before = _snapshot(store)
    original = _workbook(store, None)
    with store.session() as session:
        results = upload_workbook(session, PMO, original)
    assert len(results) == 20
    assert sum(r.changes for r in results) == 0
    assert _snapshot(store) == before
    assert cells(_workbook(store, None)) == cells(original)


def test_edits_in_the_programme_workbook_come_back_exactly(store: Store) -> None:
    def change(book) -> None:
        kpis = book["KPIs"]
        row = row_of(kpis, "agency_staffing")
        kpis[f"T{row + 1}"] = 6.35  # March actual
        savings = book["Savings"]
        row = row_of(savings, "agency_staffing")
        savings[f"H{row}"] = "Delivered"
        savings[f"J{row}"] = 1234.5
        risks = book["Risks"]
        risks["I2"] = "Closed"
        risks["J2"] = "New mitigation"
        book["Project"]["G2"] = "Commentary for March"

    edited = edit(_workbook(store, None), change)
    with store.session() as session:
        results = upload_workbook(session, PMO, edited)
    assert (
        sum(r.changes for r in results) == 5
    )  # commentary is on the return, not a change
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Change)) == 5
    again = cells(_workbook(store, None))

    def copied_heads(book) -> None:  # the actual row repeats the plan row's (locked)
        savings = book["Savings"]
        row = row_of(savings, "agency_staffing")
        for column in "HJ":
            savings[f"{column}{row + 1}"] = savings[f"{column}{row}"].value

    expected = cells(edit(edited, copied_heads))
    expected["_meta"] = again["_meta"]  # the saved projects' versions moved on
    assert again == expected


def test_a_damaged_workbook_names_each_damage(store: Store) -> None:
    def damage(book) -> None:
        book.remove(book["Risks"])
        book["Savings"]["A1"] = "Project"
        book["Milestones"]["E2"] = "next spring"
        book["Milestones"]["G2"] = "Done"

    problems = _rejected(store, edit(_workbook(store), damage))
    assert "Risks: the sheet 'Risks' is missing." in problems
    assert (
        "Savings!A1: the header row has been changed: download a new workbook."
        in problems
    )
    assert "Milestones!E2: 'next spring' is not a date." in problems
    assert any(
        p.startswith("Milestones!G2: 'Done' is not one of: Not started")
        for p in problems
    )

    def unmarked(book) -> None:
        book.remove(book["_meta"])

    (problem,) = _rejected(store, edit(_workbook(store), unmarked))
    assert problem.startswith("workbook: this is not a tripleaim project workbook")

    def no_project_row(book) -> None:
        book["Project"].delete_rows(2)

    (problem,) = _rejected(store, edit(_workbook(store), no_project_row))
    assert problem == f"Project: the row of project '{PROJECT}' is missing."
