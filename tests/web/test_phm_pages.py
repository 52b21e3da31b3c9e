"""The population health pages on the tiny footprint: overview, cohorts, case-finding.

Re-identification is the point of care: NHS numbers and names appear only for a
direct-care role's own practice, only by a form post, and every one is audited.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from openpyxl import load_workbook  # type: ignore[import-untyped]

from tests.web.conftest import Footprint
from tests.web.support import Client, audit_events, session_csrf
from tripleaim.phm.segmenting import cohort_list

pytestmark = pytest.mark.parametrize("make_app", ["sqlite"], indirect=True)

SignIn = Callable[[str], Client]
NHS_NUMBER = re.compile(r"<td class=\"nhsuk-table__cell\">(999\d{7})</td>")


def _cells(html: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert body, f"no table {table_id}"
    rows = re.findall(r"<tr class=\"nhsuk-table__row\">(.*?)</tr>", body.group(0), re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)
        ]
        for r in rows
    ]


def test_the_overview_adds_up_to_the_segmented_population(
    signed_in: SignIn, footprint: Footprint
) -> None:
    html = signed_in("system_analyst").get("/population-health").text
    segments = _cells(html, "segment-table")
    people = sum(int(r[1].replace(",", "")) for r in segments)
    lede = re.search(r"([\d,]+) people registered", html)
    assert lede and int(lede.group(1).replace(",", "")) == people > 1000
    bands = _cells(html, "risk-bands")
    assert [r[0] for r in bands] == ["Top 2%", "Next 3%", "Next 15%", "Rest"]
    assert sum(int(r[1].replace(",", "")) for r in bands) == people
    matrix = _cells(html, "risk-matrix")
    assert sum(int(r[-1].replace(",", "")) for r in matrix) == people
    assert html.count("<svg") >= 3  # segments, risk spread, calibration
    places = _cells(html, "by-area-table")
    assert sum(int(r[1].replace(",", "")) for r in places) == people


def test_an_area_shows_only_its_own_people(
    signed_in: SignIn, footprint: Footprint
) -> None:
    client = signed_in("system_analyst")
    whole = _cells(client.get("/population-health").text, "by-area-table")
    place = client.get(
        f"/population-health?level=place&code={footprint.place_code}"
    ).text
    segments = _cells(place, "segment-table")
    shown = {r[0]: int(r[1].replace(",", "")) for r in whole}
    assert sum(int(r[1].replace(",", "")) for r in segments) in shown.values()
    practice = client.get(
        f"/population-health?level=practice&code={footprint.practice_code}"
    )
    assert practice.status_code == 200
    assert "by-area-table" not in practice.text  # a practice has no areas below it


def test_an_unknown_area_is_a_clear_not_found(signed_in: SignIn) -> None:
    response = signed_in("system_analyst").get(
        "/population-health?level=pcn&code=NOPE1"
    )
    assert response.status_code == 404
    assert (
        "There is no PCN &#39;NOPE1&#39;" in response.text or "NOPE1" in response.text
    )


def test_case_finding_lists_the_cohort_pseudonymised(
    signed_in: SignIn, footprint: Footprint
) -> None:
    url = (
        "/population-health/case-finding?cohort=top_2_percent_risk"
        f"&practice={footprint.practice_code}"
    )
    html = signed_in("system_analyst").get(url).text
    rows = _cells(html, "case-list")
    expected = cohort_list(
        footprint.settings, "top_2_percent_risk", footprint.practice_code
    )
    assert len(rows) == min(100, len(expected.rows)) > 0
    assert [r[1] for r in rows] == [str(r["person_id"]) for r in expected.rows[:100]]
    assert not NHS_NUMBER.search(html)
    assert "identify-form" not in html  # analysts never re-identify


def test_the_builder_finds_people_and_refuses_bad_conditions(
    signed_in: SignIn, footprint: Footprint
) -> None:
    client = signed_in("system_analyst")
    assert "builder-form" in client.get("/population-health/cohorts").text
    ok = client.get(
        "/population-health/case-finding?cohort=custom&field=age&op=ge&value=80"
        "&field=emergency_admissions&op=ge&value=1&rank_by=risk"
    )
    assert ok.status_code == 200
    rows = _cells(ok.text, "case-list")
    assert rows and all("Age: " in r[-1] for r in rows)
    assert all(int(re.search(r"Age: (\d+)", r[-1]).group(1)) >= 80 for r in rows)  # type: ignore[union-attr]
    bad = client.get(
        "/population-health/case-finding?cohort=custom&field=age&op=ge&value=old"
    )
    assert bad.status_code == 422
    assert "&#39;old&#39; is not a whole number" in bad.text
    unknown = client.get(
        "/population-health/case-finding?cohort=custom&field=shoe_size&op=ge&value=1"
    )
    assert unknown.status_code == 422
    assert "Unknown field &#39;shoe_size&#39;" in unknown.text


def test_a_clinician_sees_identities_only_for_their_own_practice_and_it_is_audited(
    app: FastAPI, signed_in: SignIn, footprint: Footprint
) -> None:
    client = signed_in("clinician")
    own = f"/population-health/case-finding?cohort=top_2_percent_risk&practice={footprint.practice_code}"
    page = client.get(own).text
    assert "identify-form" in page
    other = own.replace(footprint.practice_code, footprint.other_practice_code)
    assert "identify-form" not in client.get(other).text
    token = session_csrf(client)
    form = {"csrf_token": token, "cohort": "top_2_percent_risk", "format": "html"}
    shown = client.post(
        "/population-health/case-finding/identify",
        data={**form, "practice": footprint.practice_code},
    )
    assert shown.status_code == 200
    numbers = NHS_NUMBER.findall(shown.text)
    assert numbers and len(numbers) == len(_cells(shown.text, "case-list"))
    refused = client.post(
        "/population-health/case-finding/identify",
        data={**form, "practice": footprint.other_practice_code},
    )
    assert refused.status_code == 403
    assert not NHS_NUMBER.search(refused.text)
    events = audit_events(app, action="phm.reidentify")
    outcomes = sorted((e.outcome, json.loads(e.detail)["practice"]) for e in events)
    assert outcomes == sorted(
        [
            ("success", footprint.practice_code),
            ("denied", footprint.other_practice_code),
        ]
    )


def test_exports_are_audited_and_identifiable_only_by_the_direct_care_post(
    app: FastAPI, signed_in: SignIn, footprint: Footprint
) -> None:
    analyst = signed_in("system_analyst")
    query = f"cohort=three_emergency_admissions&practice={footprint.practice_code}"
    book = analyst.get(f"/population-health/case-finding.xlsx?{query}")
    assert book.status_code == 200
    sheet = load_workbook(io.BytesIO(book.content)).active
    header = [c.value for c in sheet[1]]
    assert "NHS number" not in header and header[1] == "Person (pseudonymised)"
    csv = analyst.get(f"/population-health/case-finding.csv?{query}")
    assert csv.text.splitlines()[0].startswith("Rank,Person (pseudonymised)")
    clinician = signed_in("clinician")
    data = {
        "csrf_token": session_csrf(clinician),
        "cohort": "top_2_percent_risk",
        "practice": footprint.practice_code,
        "format": "xlsx",
    }
    identified = clinician.post("/population-health/case-finding/identify", data=data)
    assert identified.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(identified.content)).active.iter_rows(values_only=True)
    )
    assert rows[0][2] == "NHS number" and len(rows) > 1
    assert all(str(r[2]).startswith("999") for r in rows[1:])
    exported = sorted(
        json.loads(e.detail)["format"] for e in audit_events(app, action="phm.export")
    )
    assert exported == ["csv", "xlsx"]
    again = [json.loads(e.detail) for e in audit_events(app, action="phm.reidentify")]
    assert [(d["format"], d["persons"]) for d in again] == [("xlsx", len(rows) - 1)]
