"""Benchmarking pages and JSON API on the tiny footprint (benchmarks computed by the fixture).

The route matrix covers every role on both stores; these tests check what the pages
and API say, on the SQLite store.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from tests.web.conftest import Footprint
from tests.web.support import Client, login
from tripleaim.benchmark import load, measures

pytestmark = pytest.mark.parametrize("make_app", ["sqlite"], indirect=True)


@pytest.fixture
def signed_in(
    app: FastAPI, clients: Callable[..., Client], accounts: dict[str, dict[str, str]]
) -> Callable[[str], Client]:
    def sign_in(role: str) -> Client:
        account = accounts[role]
        return login(clients(app), account["username"], account["password"])

    return sign_in


def test_the_catalogue_lists_every_measure(signed_in):
    page = signed_in("board_member").get("/benchmark")
    assert page.status_code == 200
    for spec in measures().values():
        assert spec.title.replace("&", "&amp;") in page.text


def test_the_area_box_goes_to_the_area_page(signed_in, footprint: Footprint):
    response = signed_in("board_member").get(f"/benchmark?area={footprint.place_code}")
    assert response.status_code == 303
    assert response.headers["location"] == f"/benchmark/areas/{footprint.place_code}"


def test_an_area_page_shows_the_opportunity_table_peers_charts_and_downloads(
    signed_in, footprint: Footprint
):
    page = signed_in("board_member").get(f"/benchmark/areas/{footprint.place_code}")
    assert page.status_code == 200
    data = load(footprint.settings)
    peers = data.peers[data.peers["area_code"] == footprint.place_code]
    assert len(peers) == 10
    for name in peers["peer_name"]:
        assert name.replace("&", "&amp;") in page.text
    assert page.text.count('<figure class="ta-chart"') == 3
    assert f"/benchmark/areas/{footprint.place_code}/pack.pdf" in page.text


def test_a_clinician_sees_the_page_without_download_links(
    signed_in, footprint: Footprint
):
    page = signed_in("clinician").get(f"/benchmark/areas/{footprint.place_code}")
    assert page.status_code == 200
    assert "pack.pdf" not in page.text


def test_a_measure_is_chosen_for_the_charts(signed_in, footprint: Footprint):
    client = signed_in("board_member")
    url = f"/benchmark/areas/{footprint.place_code}?measure=national_day_case_rate"
    page = client.get(url)
    assert page.status_code == 200
    assert (
        '<h2 id="charts">Elective admissions treated as day cases (%)</h2>' in page.text
    )
    missing = client.get(
        f"/benchmark/areas/{footprint.place_code}?measure=nothing_here"
    )
    assert missing.status_code == 404


def test_an_unknown_area_is_not_found(signed_in):
    assert (
        signed_in("board_member").get("/benchmark/areas/E99999999").status_code == 404
    )


def test_the_workbook_download_holds_the_tables(signed_in, footprint: Footprint):
    response = signed_in("board_member").get(
        f"/benchmark/areas/{footprint.place_code}/pack.xlsx"
    )
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert "Opportunities" in book.sheetnames


def test_the_api_gives_measures_peers_and_opportunities(
    signed_in, footprint: Footprint
):
    client = signed_in("system_analyst")
    got = client.get("/api/v1/benchmark/measures").json()
    assert {m["id"] for m in got} == set(measures())
    peers = client.get(f"/api/v1/benchmark/areas/{footprint.place_code}/peers").json()
    assert [p["rank"] for p in peers] == list(range(1, 11))
    assert all(p["distance"] >= 0 for p in peers)
    body = client.get(
        f"/api/v1/benchmark/areas/{footprint.place_code}/opportunities"
    ).json()
    national = {k for k, s in measures().items() if s.scope == "national"}
    assert {o["measure_id"] for o in body["opportunities"]} == national
    counted = sum(o["opportunity_gbp"] or 0 for o in body["opportunities"])
    assert body["counted_gbp"] == pytest.approx(counted)
    assert body["naive_gbp"] >= body["counted_gbp"]


def test_the_api_says_what_is_missing(signed_in):
    client = signed_in("system_analyst")
    response = client.get("/api/v1/benchmark/areas/X00000/peers")
    assert response.status_code == 404
    assert "'X00000' has no peers" in response.text
    response = client.get("/api/v1/benchmark/areas/X00000/opportunities?period=2023/24")
    assert response.status_code == 404
