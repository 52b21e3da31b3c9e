"""The indicator pages in a real browser: the gap, an area's spine charts, an indicator's funnel.

Every page reached is checked with axe-core (WCAG 2.2 AA) by the ``site`` helper.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page

from tests.browser.conftest import Server, Site

DASH = "\N{EN DASH}"


def _path(page: Page, server: Server) -> str:
    return page.url.removeprefix(server.base_url)


def _visible_chart(figure: Locator) -> int:
    """Wait for the figure's SVG to be drawn with a size; the number of marks drawn."""
    svg = figure.locator("svg").first
    svg.wait_for(state="visible")
    box = svg.bounding_box()
    assert box is not None
    assert box["width"] > 200
    assert box["height"] > 50
    assert svg.locator("title").first.text_content(), "the chart has no <title>"
    return figure.locator("svg path[aria-label]").count()


def _follow(site: Site, link: Locator) -> Page:
    with site.page.expect_navigation():
        link.click()
    return site.check()


@pytest.mark.browser
def test_a_board_member_follows_the_gap_to_an_area_profile_and_an_indicator(
    site: Site, server: Server, tmp_path: Path
) -> None:
    site.sign_in("board.member")
    assert site.menu()[:3] == ["Footprint", "Health gap", "Indicators"]

    page = site.follow("Health gap")

    assert _path(page, server) == "/health-gap"
    assert page.title() == f"Health and wellbeing gap {DASH} tripleaim"
    sections = page.locator("section.ta-gap-area")
    assert sections.count() >= 3  # the system and at least two places
    assert page.get_by_role("link", name="Excel").first.is_visible()
    page.screenshot(path=tmp_path / "gap.png", full_page=True)

    place = sections.nth(1)
    name = place.get_by_role("heading", level=2).inner_text().splitlines()[0]
    page = _follow(site, place.get_by_role("link", name=f"Open the profile of {name}"))

    assert _path(page, server).startswith("/areas/place/")
    assert name in page.get_by_role("heading", level=1).inner_text()
    figures = page.locator("figure.ta-chart")
    assert figures.count() == 3  # one spine chart per domain
    markers = sum(_visible_chart(figures.nth(i)) for i in range(figures.count()))
    assert markers > 0, "no area markers on the spine charts"
    figures.nth(1).screenshot(path=tmp_path / "spine.png")
    page.get_by_text("Care and quality indicators as a table").click()
    assert page.locator("details[open] table").is_visible()
    site.check()  # the opened table too
    page.screenshot(path=tmp_path / "area.png", full_page=True)

    link = page.locator("table a[href^='/indicators/emergency_admissions_dsr?']")
    title = link.inner_text()
    page = _follow(site, link)

    assert _path(page, server).startswith("/indicators/")
    assert page.get_by_role("heading", level=1).inner_text().startswith(title)
    assert _visible_chart(page.locator("figure#trend")) > 0
    assert _visible_chart(page.locator("figure#funnel")) > 0  # the places
    assert page.locator("#areas-table tbody tr").count() > 0
    page.screenshot(path=tmp_path / "indicator.png", full_page=True)
    page.locator("figure#funnel").screenshot(path=tmp_path / "funnel.png")
    for shot in ("gap.png", "area.png", "spine.png", "indicator.png", "funnel.png"):
        assert (tmp_path / shot).stat().st_size > 0


@pytest.mark.browser
def test_the_catalogue_search_and_the_comparison_form_work(
    site: Site, server: Server
) -> None:
    site.sign_in("clinician")
    page = site.follow("Indicators")
    page.locator("#q").fill("diabetes")

    page = site.submit("Search")

    assert _path(page, server) == "/indicators?q=diabetes&domain="
    links = page.locator("table a[href^='/indicators/']").all_inner_texts()
    assert links
    assert all("iabetes" in t for t in links)
    assert page.locator("a[href^='/exports/']").count() == 0  # clinicians cannot export

    site.goto("/compare")
    page.locator("#b").select_option(index=3)
    page = site.submit("Show")

    assert _path(page, server).startswith("/compare?a=icb")
    assert page.get_by_role("table").count() == 3
