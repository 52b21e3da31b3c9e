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


def _open(site: Site, name: str) -> None:
    """Follow a link of the programme pages' own navigation and check the page."""
    links = site.page.get_by_role("navigation", name="Programme pages")
    with site.page.expect_navigation():
        links.get_by_role("link", name=name, exact=True).click()
    site.check()


@pytest.mark.browser
def test_a_board_member_reads_the_kpis_finance_and_triple_aim_pages(
    site: Site, tmp_path: Path
) -> None:
    page = site.sign_in("board.member")
    site.follow("Programme")
    _open(site, "Finance")
    assert page.get_by_role("heading", level=1).inner_text() == "Finance"
    for chart in ("#plan-chart svg", "#bridge-chart svg"):
        box = page.locator(chart).bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 150, chart
    main = page.locator("#maincontent").bounding_box()
    assert main is not None
    for table in ("#plan-table", "#bridge-table", "#control-table", "#scheme-table"):
        box = page.locator(table).bounding_box()
        assert box is not None and page.locator(table).is_visible(), table
        # inside the page's column (a table's collapsed borders may add a pixel or two)
        assert box["x"] + box["width"] <= main["x"] + main["width"] + 4, table
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]  # nothing spills off the page
    page.screenshot(path=tmp_path / "finance.png", full_page=True)
    _open(site, "Triple aim")
    for aim in ("Health and wellbeing", "Care and quality", "Finance and efficiency"):
        assert page.get_by_role("heading", name=aim, level=2).first.is_visible()
    assert page.locator("#quality-table .spc-icon").count() > 0
    page.screenshot(path=tmp_path / "triple-aim.png", full_page=True)
    _open(site, "KPIs")
    assert page.locator("#kpi-table tbody tr").count() > 0
    page.screenshot(path=tmp_path / "kpis.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("link", name="62-day cancer standard recovery").first.click()
    site.check()
    assert page.locator("section.ta-kpi figure svg").count() > 0
    page.screenshot(path=tmp_path / "project-spc.png", full_page=True)
