"""Programme delivery in a real browser: a PMO officer downloads a project workbook, uploads it
with a mistake and sees the error by cell, corrects it and sees the return saved.

Every page reached is checked with axe-core (WCAG 2.2 AA) by the ``site`` helper.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import Site

PROJECT = "cancer_62_day"


def _upload(site: Site, path: Path) -> None:
    site.page.locator("#workbook").set_input_files(str(path))
    site.submit("Upload workbook")


@pytest.mark.browser
def test_a_project_workbook_uploaded_with_a_mistake_shows_the_cell_then_saves(
    site: Site, tmp_path: Path
) -> None:
    page = site.sign_in("pmo.officer")
    site.follow("Programme")
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith("Herefordshire and Worcestershire")
    )
    with page.expect_navigation():
        page.get_by_role("link", name="62-day cancer standard recovery").click()
    site.check()
    shot = tmp_path / "project.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 0
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the project workbook").click()
    workbook = tmp_path / "cancer.xlsx"
    download.value.save_as(workbook)
    book = load_workbook(workbook)
    book["KPIs"]["T3"] = "about 85"
    book.save(workbook)
    _upload(site, workbook)
    errors = page.locator("#upload-errors")
    assert "KPIs!T3" in errors.inner_text()
    assert "'about 85' is text, not a number." in errors.inner_text()
    book["KPIs"]["T3"] = 85.4
    book.save(workbook)
    _upload(site, workbook)
    assert (
        "Workbook saved: return for 2018-03 submitted, 1 change."
        in page.locator("#upload-result").inner_text()
    )
    assert "85.4" in page.locator("#kpis").inner_text()
    assert "85.4" in page.locator("#history").inner_text()
