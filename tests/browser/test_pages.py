"""The web app in a real browser: sign-in, roles, the pyramid, sign-out and audit.

Every page these tests reach is checked with axe-core (WCAG 2.2 AA) by the ``site``
helper (see conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.conftest import Server, Site, check_accessibility

DASH = "\N{EN DASH}"  # page titles read "<page> <en dash> tripleaim"
SIGN_IN_FAILED = "The username or password is not right. Check them and try again."


def _path(page: Page, server: Server) -> str:
    return page.url.removeprefix(server.base_url)


@pytest.mark.browser
def test_signing_in_as_the_administrator_shows_the_footprint_and_draws_its_pyramid(
    site: Site, server: Server, tmp_path: Path
) -> None:
    page = site.sign_in("administrator")

    assert _path(page, server) == "/"
    assert page.title() == f"Footprint {DASH} tripleaim"
    heading = page.get_by_role("heading", level=1)
    assert server.footprint_name in heading.inner_text()
    figure = page.locator("figure#pyramid")
    svg = figure.locator("svg").first
    svg.wait_for(state="visible")
    marks = figure.locator("svg rect, svg path").count()
    assert marks > 0, "the pyramid has no bars"
    box = svg.bounding_box()
    assert box is not None
    assert box["width"] > 0
    assert box["height"] > 0
    page.get_by_text("Population by age and sex as a table").click()
    assert page.get_by_role(
        "table", name="Registered people by five-year age band and sex"
    ).is_visible()
    site.check()  # the opened table too
    shot = tmp_path / "home.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.exists()
    assert shot.stat().st_size > 0


@pytest.mark.browser
def test_the_administrator_is_offered_users_and_audit_in_the_header(
    site: Site,
) -> None:
    site.sign_in("administrator")

    assert site.menu() == [
        "Footprint",
        "Health gap",
        "Indicators",
        "Programme",
        "Benchmarking",
        "Users",
        "Audit",
    ]


@pytest.mark.browser
def test_the_administrator_can_open_the_users_page_listing_the_demo_accounts(
    site: Site, server: Server
) -> None:
    site.sign_in("administrator")

    page = site.follow("Users")

    assert _path(page, server) == "/admin/users"
    usernames = page.locator("table.nhsuk-table tbody tr td:first-child")
    assert {"administrator", "system.analyst", "clinician"} <= set(
        usernames.all_inner_texts()
    )
    assert page.get_by_role("button", name="Create account").is_visible()


@pytest.mark.browser
def test_a_system_analyst_is_offered_the_analysis_pages_but_not_administration(
    site: Site,
) -> None:
    site.sign_in("system.analyst")

    assert site.menu() == [
        "Footprint",
        "Health gap",
        "Indicators",
        "Population health",
        "Programme",
        "Benchmarking",
    ]


@pytest.mark.browser
def test_a_system_analyst_opening_the_audit_trail_is_told_they_cannot_do_this(
    site: Site, server: Server
) -> None:
    site.sign_in("system.analyst")

    response = site.goto("/admin/audit")

    assert response.status == 403
    assert _path(site.page, server) == "/admin/audit"
    assert site.page.get_by_role("heading", level=1).inner_text() == (
        "You cannot do this"
    )
    assert site.page.title() == f"You cannot do this {DASH} tripleaim"
    assert site.page.get_by_role("table").count() == 0


@pytest.mark.browser
def test_a_wrong_password_shows_the_error_summary_and_keeps_the_username(
    site: Site, server: Server
) -> None:
    page = site.sign_in("clinician", "not-the-right-password")

    assert _path(page, server) == "/login"
    summary = page.locator(".nhsuk-error-summary")
    assert summary.is_visible()
    assert "There is a problem" in summary.inner_text()
    assert summary.get_by_role("link", name=SIGN_IN_FAILED).get_attribute("href") == (
        "#username"
    )
    focused = page.evaluate("document.activeElement.className")
    assert "nhsuk-error-summary" in focused, "the error summary should take focus"
    assert page.locator("#username").input_value() == "clinician"
    assert page.locator("#password").input_value() == ""


@pytest.mark.browser
def test_signing_out_returns_to_the_sign_in_page_and_the_footprint_then_asks_to_sign_in(
    site: Site, server: Server
) -> None:
    site.sign_in("system.analyst")

    page = site.sign_out()

    assert _path(page, server) == "/login"
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in to tripleaim"
    assert page.get_by_role("button", name="Sign out").count() == 0
    site.goto("/")
    assert _path(page, server) == "/login?next=/"
    assert page.get_by_role("button", name="Sign in").is_visible()


@pytest.mark.browser
def test_the_audit_trail_lists_the_administrators_sign_in(site: Site) -> None:
    site.sign_in("administrator")
    page = site.follow("Audit")
    page.locator("#actor").fill("administrator")
    page.locator("#action").fill("login")

    site.submit("Search")

    events = [
        [cell.strip() for cell in row.locator("td").all_inner_texts()]
        for row in page.locator("table.nhsuk-table tbody tr").all()
    ]
    assert events, "no sign-in events listed"
    assert {(who, action) for _, who, action, *_ in events} == {
        ("administrator", "login")
    }
    assert "success" in {outcome for *_, outcome, _ in events}


@pytest.mark.browser
def test_the_accessibility_check_fails_listing_each_violation(
    context: BrowserContext,
) -> None:
    page = context.new_page()
    page.set_content("<html><body><img src='/nowhere.png'></body></html>")

    with pytest.raises(AssertionError, match="image-alt") as failure:
        check_accessibility(page)

    assert "html-has-lang (serious)" in str(failure.value)
    assert "targets: ['img']" in str(failure.value)
