"""The indicators JSON API and the export downloads: the same numbers as the reading layer."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from tests.web.conftest import Footprint
from tests.web.support import Client, assert_error_shape, audit_events, login
from tripleaim.indicators import definitions, reading

Clients = Callable[..., Client]
DSR = "emergency_admissions_dsr"


@pytest.fixture
def profiles(footprint: Footprint) -> reading.Profiles:
    return reading.load(footprint.settings)


def same(api_value: float | None, stored: object) -> bool:
    """A published value and its JSON form: null exactly when the stored value is missing."""
    if (
        stored is None
        or stored is pd.NA
        or (isinstance(stored, float) and math.isnan(stored))
    ):
        return api_value is None
    return api_value is not None and api_value == pytest.approx(float(stored), abs=1e-9)


def test_the_list_holds_every_definition_and_filters_by_domain(
    signed_in: Callable[[str], Client],
) -> None:
    client = signed_in("clinician")
    body = client.get("/api/v1/indicators").json()
    assert {i["id"] for i in body} == set(definitions())
    dsr = next(i for i in body if i["id"] == DSR)
    assert dsr["method"] == "dsr"
    assert dsr["unit"] == "per 100,000 (age-standardised)"
    finance = client.get("/api/v1/indicators?domain=finance_and_efficiency").json()
    assert finance
    assert {i["domain"] for i in finance} == {"finance_and_efficiency"}


def test_one_definition_and_an_unknown_id_is_a_404_naming_it(
    signed_in: Callable[[str], Client],
) -> None:
    client = signed_in("board_member")
    body = client.get(f"/api/v1/indicators/{DSR}").json()
    assert body["title"] == definitions()[DSR].title
    missing = assert_error_shape(
        client.get("/api/v1/indicators/no_such_indicator"), 404
    )
    assert "no_such_indicator" in missing["message"]


def test_values_of_every_area_equal_the_reading_layer(
    signed_in: Callable[[str], Client], profiles: reading.Profiles
) -> None:
    body = (
        signed_in("pmo_officer")
        .get(f"/api/v1/indicators/{DSR}/values?level=place")
        .json()
    )
    expected = reading.indicator_areas(profiles, DSR, "place")
    assert body["period"] == profiles.latest
    assert [v["area_code"] for v in body["values"]] == list(expected["area_code"])
    for got, (_, row) in zip(body["values"], expected.iterrows(), strict=True):
        for key in ("value", "lower_95", "upper_95", "benchmark_value", "excess"):
            assert same(got[key], row[key]), key
        assert got["compared_95"] == row["compared_95"]


def test_the_trend_of_one_area_covers_every_period(
    signed_in: Callable[[str], Client], footprint: Footprint, profiles: reading.Profiles
) -> None:
    url = f"/api/v1/indicators/{DSR}/areas/place/{footprint.place_code}"
    body = signed_in("clinician").get(url).json()
    expected = reading.indicator_trend(profiles, DSR, "place", footprint.place_code)
    assert body["area"]["area_code"] == footprint.place_code
    assert [v["period"] for v in body["values"]] == list(profiles.periods)
    for got, value in zip(body["values"], expected["value"], strict=True):
        assert same(got["value"], value)


def test_suppressed_values_are_null_with_their_reason(
    signed_in: Callable[[str], Client], profiles: reading.Profiles
) -> None:
    v = profiles.values
    hidden = v[(v["value_reason"] == "small_count") & (v["area_level"] == "practice")]
    row = hidden.iloc[0]
    url = f"/api/v1/indicators/{row['indicator_id']}/areas/practice/{row['area_code']}"
    body = signed_in("clinician").get(url).json()
    (got,) = [x for x in body["values"] if x["period"] == row["period"]]
    assert got["value"] is None
    assert got["numerator"] is None
    assert got["value_reason"] == "small_count"


def test_the_area_profile_equals_the_reading_layer(
    signed_in: Callable[[str], Client], footprint: Footprint, profiles: reading.Profiles
) -> None:
    period = profiles.periods[0]
    url = f"/api/v1/indicators/areas/place/{footprint.place_code}?period={period}"
    body = signed_in("care_coordinator").get(url).json()
    expected = reading.area_profile(profiles, "place", footprint.place_code, period)
    assert body["period"] == period
    assert [v["indicator_id"] for v in body["values"]] == list(expected["indicator_id"])
    for got, (_, row) in zip(body["values"], expected.iterrows(), strict=True):
        assert same(got["value"], row["value"])
        assert same(got["peer_max"], row["peer_max"])


def test_the_health_gap_lists_the_system_then_each_place(
    signed_in: Callable[[str], Client], profiles: reading.Profiles
) -> None:
    body = signed_in("board_member").get("/api/v1/indicators/health-gap").json()
    gaps = reading.health_gap(profiles)
    assert [a["area"]["area_code"] for a in body["areas"]] == [
        g.area["area_code"] for g in gaps
    ]
    assert body["areas"][0]["area"]["area_level"] == "icb"
    for got, gap in zip(body["areas"], gaps, strict=True):
        assert [w["indicator_id"] for w in got["worse"]] == list(
            gap.worse["indicator_id"]
        )
        assert got["counts"] == gap.counts


@pytest.mark.parametrize(
    ("url", "missing"),
    [
        ("/api/v1/indicators/areas/place/E99999999", "E99999999"),
        ("/api/v1/indicators/health-gap?period=1999/00", "1999/00"),
        (f"/api/v1/indicators/{DSR}/areas/pcn/ZZZ", "ZZZ"),
    ],
)
def test_unknown_areas_and_periods_are_404s_naming_them(
    signed_in: Callable[[str], Client], url: str, missing: str
) -> None:
    body = assert_error_shape(signed_in("clinician").get(url), 404)
    assert missing in body["message"]


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("/api/v1/indicators/health-gap?period=2023-24", ["query", "period"]),
        (f"/api/v1/indicators/{DSR}/values?level=ward", ["query", "level"]),
        ("/api/v1/indicators/areas/place/E06%2A", ["path", "code"]),
        ("/api/v1/indicators/Bad-Id", ["path", "indicator_id"]),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    signed_in: Callable[[str], Client], url: str, location: list[str]
) -> None:
    body = assert_error_shape(signed_in("clinician").get(url), 422)
    assert [e["location"] for e in body["errors"]] == [location]


def test_without_computed_profiles_the_api_says_how_to_compute_them(
    make_app: Callable[..., FastAPI],
    clients: Clients,
    accounts: dict[str, dict[str, str]],
    tmp_path: Path,
) -> None:
    app = make_app(data_dir=tmp_path / "empty")
    account = accounts["clinician"]
    client = login(clients(app), account["username"], account["password"])
    body = assert_error_shape(client.get("/api/v1/indicators/health-gap"), 404)
    assert "tripleaim indicators compute" in body["message"]
    assert client.get("/api/v1/indicators").status_code == 200  # definitions need none


def test_the_unversioned_path_redirects_keeping_the_query(
    signed_in: Callable[[str], Client], client: Client
) -> None:
    url = f"/api/indicators/{DSR}/values?level=place&period=2023/24"
    response = signed_in("clinician").get(url)
    assert response.status_code == 308
    assert response.headers["location"] == (
        f"/api/v1/indicators/{DSR}/values?level=place&period=2023/24"
    )
    assert signed_in("clinician").get("/api/indicators").headers["location"] == (
        "/api/v1/indicators"
    )
    assert_error_shape(client.get(url), 401)


def test_the_health_gap_workbook_downloads_and_is_audited(
    app: FastAPI, signed_in: Callable[[str], Client], profiles: reading.Profiles
) -> None:
    response = signed_in("system_analyst").get("/exports/health-gap.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = profiles.latest.replace("/", "-")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="health-gap-{stamp}.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Contents"
    assert "System" in book.sheetnames
    assert book.sheetnames[-1] == "Life expectancy gap"
    (event,) = audit_events(app, action="indicators.export")
    assert (event.outcome, event.object_id) == ("success", f"health-gap-{stamp}.xlsx")


def test_the_profiles_csv_of_a_level_downloads(
    signed_in: Callable[[str], Client], profiles: reading.Profiles
) -> None:
    period = profiles.periods[0]
    response = signed_in("pmo_officer").get(
        f"/exports/profiles.csv?level=practice&period={period}"
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    v = profiles.values
    assert len(rows) == len(
        v[(v["area_level"] == "practice") & (v["period"] == period)]
    )
    assert "nan" not in response.text.lower().split(",")


@pytest.mark.parametrize(
    "url", ["/exports/health-gap.csv", "/exports/profiles.xlsx?level=pcn"]
)
def test_roles_without_export_cannot_download(
    app: FastAPI, signed_in: Callable[[str], Client], accounts, url: str
) -> None:
    response = signed_in("clinician").get(url)
    assert response.status_code == 403
    (event,) = audit_events(app, action="indicators.export")
    assert (event.outcome, event.actor) == ("denied", accounts["clinician"]["username"])


def test_bad_export_parameters_are_refused(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("programme_director")
    assert client.get("/exports/profiles.csv?level=ward").status_code == 422
    assert client.get("/exports/health-gap.xlsx?period=1999/00").status_code == 404
