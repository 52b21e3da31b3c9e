"""The indicator pages on the tiny footprint: the gap, the catalogue, an indicator, an area, a comparison.

The pages read stored profiles only, never the operational store, so they run on the
SQLite store alone; the route matrix covers every role on both stores.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from tests.web.conftest import Footprint, MakeApp
from tests.web.support import Client, login
from tripleaim.indicators import reading
from tripleaim.indicators.catalogue import definitions

pytestmark = pytest.mark.parametrize("make_app", ["sqlite"], indirect=True)

SignIn = Callable[[str], Client]
MARKER = re.compile(r'<path[^>]*aria-label="[^"]*"')


@pytest.fixture
def profiles(footprint: Footprint) -> reading.Profiles:
    """The published profiles the pages read."""
    return reading.load(footprint.settings)


def _group(svg: str, name: str) -> str:
    """The SVG group of the Vega mark called ``name`` (its elements up to the next mark)."""
    start = svg.index(f"role-mark {name}_marks")
    end = svg.find("role-mark", start + 10)
    return svg[start : end if end > 0 else len(svg)]


def _figure(html: str, figure_id: str) -> str:
    match = re.search(rf'<figure id="{figure_id}".*?</figure>', html, re.S)
    assert match, f"no figure {figure_id}"
    return match.group(0)


def test_every_indicator_page_answers_a_clinician_without_download_links(
    signed_in: SignIn, footprint: Footprint
) -> None:
    client = signed_in("clinician")
    place = footprint.place_code
    for url in (
        "/health-gap",
        "/indicators",
        "/indicators/emergency_admissions_dsr",
        "/indicators/life_expectancy_at_birth_female?level=place",
        f"/areas/place/{place}",
        f"/areas/icb/{footprint.icb_code}",
        f"/areas/practice/{footprint.practice_code}",
        "/compare",
        f"/compare?a=practice:{footprint.practice_code}&b=place:{place}",
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.text)
        assert "/exports/" not in response.text, url
        assert 'href="/health-gap"' in response.text  # the header menu


def test_the_download_links_are_offered_to_a_board_member(
    signed_in: SignIn, footprint: Footprint
) -> None:
    client = signed_in("board_member")

    gap = client.get("/health-gap").text
    area = client.get(f"/areas/place/{footprint.place_code}").text

    assert 'href="/exports/health-gap.xlsx"' in gap
    assert 'href="/exports/health-gap.csv"' in gap
    assert "/exports/profiles.csv?level=place&amp;period=" in area


def test_the_gap_page_lists_each_areas_worse_indicators_with_the_count_gap(
    signed_in: SignIn, profiles: reading.Profiles
) -> None:
    html = signed_in("board_member").get("/health-gap").text
    gaps = reading.health_gap(profiles)

    assert gaps[0].area["area_level"] == "icb"
    worse = [(g, row) for g in gaps for row in g.worse.to_dict("records")]
    assert worse, "the footprint should have an indicator worse than benchmark"
    for gap, row in worse:
        section = html[html.index(f'id="area-{gap.area["area_code"]}"') :]
        section = section[: section.find("</section>")]
        title = definitions()[row["indicator_id"]].title
        assert title in section
        if not pd.isna(row["adverse"]):
            assert f"{abs(row['adverse']):,.0f}" in section
            assert "fewer" in section or "An additional" in section
        worse_count = gap.counts.get("worse", 0)
        assert re.search(
            rf"Worse</strong> <span class=\"ta-counts__n\">{worse_count}<", section
        )


def test_the_gap_page_says_why_the_life_expectancy_gap_is_missing(
    signed_in: SignIn, profiles: reading.Profiles
) -> None:
    html = signed_in("board_member").get("/health-gap").text
    reasons = {
        str(r)
        for g in reading.health_gap(profiles)
        for r in g.life_expectancy["sii_reason"].dropna()
    }

    assert "Life expectancy across the deprivation gradient" in html
    if "incomplete_quantiles" in reasons:
        assert "Not available: not every deprivation decile or quintile" in html


def test_the_period_selector_chooses_the_period(
    signed_in: SignIn, profiles: reading.Profiles, footprint: Footprint
) -> None:
    first = profiles.periods[0]
    client = signed_in("board_member")

    gap = client.get(f"/health-gap?period={first}").text
    area = client.get(f"/areas/place/{footprint.place_code}?period={first}").text

    for html in (gap, area):
        assert f'<option value="{first}" selected>' in html
        assert f'<option value="{profiles.latest}" >' in html
    assert f"indicator profile, {first}" in area


def test_the_spine_chart_has_one_marker_per_indicator_with_a_value(
    signed_in: SignIn, profiles: reading.Profiles, footprint: Footprint
) -> None:
    html = signed_in("board_member").get(f"/areas/place/{footprint.place_code}").text
    profile = reading.area_profile(profiles, "place", footprint.place_code)

    markers = 0
    for domain, rows in profile.groupby("domain"):
        svg = _figure(html, f"spine-{domain}")
        assert "<title>" in svg
        found = len(MARKER.findall(_group(svg, "spine_markers")))
        assert found == rows["value"].notna().sum(), domain
        markers += found
    assert markers == profile["value"].notna().sum() > 0
    assert "Not compared" in html  # the legend


def test_the_funnel_plot_draws_both_control_limits_around_the_benchmark(
    signed_in: SignIn, profiles: reading.Profiles
) -> None:
    # PCNs: at the tiny footprint's scale every practice's count is suppressed (1-7)
    url = "/indicators/emergency_admissions_dsr?level=pcn"
    html = signed_in("board_member").get(url).text
    svg = _figure(html, "funnel")
    rows = reading.indicator_areas(profiles, "emergency_admissions_dsr", "pcn")

    # lower and upper, 95% and 99.8%: one line each (clipped to the areas' range)
    assert svg.count("role-mark funnel_limits_marks") == 4
    assert "95% limits" in svg
    assert "99.8% limits" in svg
    assert "role-mark funnel_benchmark_marks" in svg
    plotted = (rows["value"].notna() & (rows["denominator"] > 0)).sum()
    assert len(MARKER.findall(_group(svg, "funnel_areas"))) == plotted


def test_the_indicator_page_shows_the_definition_in_full(signed_in: SignIn) -> None:
    html = (
        signed_in("clinician").get("/indicators/emergency_admissions_65_plus_dsr").text
    )

    for text in (
        "Hospital inpatient spells",
        "aged 65 and over; admission method: emergency",
        "Registered population",
        "Directly standardised rate",
        "Lower is better",
        "England",
        "100,000",
    ):
        assert text in html


def test_life_expectancy_has_no_funnel_and_says_why(signed_in: SignIn) -> None:
    html = (
        signed_in("clinician")
        .get("/indicators/life_expectancy_at_birth_male?level=place")
        .text
    )

    assert 'id="no-funnel"' in html
    assert "life expectancy and ratios" in html
    assert '<figure id="trend"' in html or 'id="no-trend"' in html


def test_suppressed_values_show_as_suppressed_with_the_reason(
    signed_in: SignIn, profiles: reading.Profiles
) -> None:
    v = profiles.values
    hidden = v[(v["value_reason"] == "small_count") & (v["area_level"] == "practice")]
    row = hidden.iloc[0]
    url = f"/indicators/{row['indicator_id']}?level=practice&period={row['period']}"

    html = signed_in("clinician").get(url).text

    cells = re.search(rf"/areas/practice/{row['area_code']}\".*?</tr>", html, re.S)
    assert cells, "the suppressed practice is not listed"
    assert "suppressed" in cells.group(0)
    assert "disclosure control" in cells.group(0)


def test_the_catalogue_lists_every_definition_and_filters_them(
    signed_in: SignIn,
) -> None:
    client = signed_in("clinician")

    everything = client.get("/indicators").text
    diabetes = client.get("/indicators?q=diabetes").text
    finance = client.get("/indicators?domain=finance_and_efficiency").text

    for spec in definitions().values():
        assert f'href="/indicators/{spec.id}"' in everything
    assert 'href="/indicators/recorded_prevalence_diabetes"' in diabetes
    assert 'href="/indicators/day_case_rate"' not in diabetes
    assert 'href="/indicators/day_case_rate"' in finance
    assert 'href="/indicators/emergency_admissions_dsr"' not in finance
    assert client.get("/indicators?domain=weather").status_code == 422


def test_the_comparison_puts_two_areas_side_by_side(
    signed_in: SignIn, footprint: Footprint, profiles: reading.Profiles
) -> None:
    a, b = f"place:{footprint.place_code}", f"place:{footprint.other_place_code}"
    html = signed_in("clinician").get(f"/compare?a={a}&b={b}").text
    joined = reading.compare_areas(
        profiles, ("place", footprint.place_code), ("place", footprint.other_place_code)
    )

    assert f'<option value="{a}" selected>' in html
    assert f'<option value="{b}" selected>' in html
    assert html.count('<tr class="nhsuk-table__row">') >= len(joined)
    for difference in set(joined["difference"]):
        title = {"higher": "First is higher", "lower": "First is lower"}.get(
            difference, difference.replace("_", " ").capitalize()
        )
        assert title in html


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("/indicators/no_such_indicator", "'no_such_indicator'"),
        ("/areas/place/E99999999", "'E99999999'"),
        ("/areas/region/E12000005", "'region'"),
        ("/health-gap?period=1999/00", "'1999/00'"),
        ("/indicators/day_case_rate?level=ward", "'ward'"),
        ("/indicators/day_case_rate?area=place:E99999999", "'E99999999'"),
        ("/compare?a=nowhere", "'nowhere'"),
    ],
)
def test_unknown_things_get_the_not_found_page_naming_them(
    signed_in: SignIn, url: str, named: str
) -> None:
    response = signed_in("clinician").get(url)

    assert response.status_code == 404
    assert "Page not found" in response.text
    assert named.replace("'", "&#39;") in response.text


def test_without_profiles_the_pages_say_how_to_compute_them(
    make_app: MakeApp,
    clients: Callable[..., Client],
    accounts: dict[str, dict[str, str]],
    tmp_path: Path,
) -> None:
    app = make_app(data_dir=tmp_path / "empty")
    account = accounts["board_member"]
    client = login(clients(app), account["username"], account["password"])

    for url in ("/health-gap", "/areas/place/E06000019", "/compare"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "No indicator profiles yet" in response.text
        assert "tripleaim indicators compute" in response.text
    assert client.get("/indicators").status_code == 200  # definitions need no profiles
