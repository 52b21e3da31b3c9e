"""The population health pages in a real browser, as a clinician uses them.

The clinician opens the overview, builds a cohort, lands on their own practice's
pseudonymised list and deliberately reveals NHS numbers and names. Every page is
checked with axe-core by the ``site`` helper.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import Site


@pytest.mark.browser
def test_a_clinician_builds_a_cohort_and_reveals_their_own_practice_list(
    site: Site, tmp_path: Path
) -> None:
    site.sign_in("clinician")
    assert "Population health" in site.menu()
    page = site.follow("Population health")
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith("Population health: Whole system")
    )
    for figure in page.locator("figure.ta-chart svg").all()[:2]:
        box = figure.bounding_box()
        assert box is not None and box["width"] > 200
    assert page.locator("#risk-matrix tbody tr").count() == 8
    page.screenshot(path=tmp_path / "phm-overview.png", full_page=True)

    with page.expect_navigation():
        page.get_by_role("link", name="Build a cohort and find cases").click()
    site.check()
    page.locator("#field-0").select_option("age")
    page.locator("#op-0").select_option("ge")
    page.locator("#value-0").fill("65")
    page.locator("#rank_by").select_option("risk")
    page.locator("#title").fill("Over 65s by risk")
    page = site.submit("Find people")

    assert (
        "Case-finding: Over 65s by risk"
        in page.get_by_role("heading", level=1).inner_text()
    )
    rows = page.locator("#case-list tbody tr")
    assert rows.count() > 0
    assert page.locator("#case-list th", has_text="NHS number").count() == 0
    page = site.submit("Show NHS numbers and names")

    assert page.locator("#case-list th", has_text="NHS number").count() == 1
    first = page.locator("#case-list tbody tr").first.locator("td").nth(2).inner_text()
    assert first.startswith("999") and len(first) == 10
    assert "this view has been recorded" in page.locator("#found").inner_text()
    page.screenshot(path=tmp_path / "phm-identified.png", full_page=True)
