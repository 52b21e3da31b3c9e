"""The population health management API: aggregates for viewers, members for exporters.

Members are pseudonymised and every call is audited; identities are never served.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from fastapi import FastAPI

from tests.web.conftest import Footprint
from tests.web.support import Client, assert_error_shape, audit_events
from tripleaim.phm.segmenting import cohort_list

pytestmark = pytest.mark.parametrize("make_app", ["sqlite"], indirect=True)

SignIn = Callable[[str], Client]


def test_population_adds_up_and_carries_no_person_level_values(
    signed_in: SignIn, footprint: Footprint
) -> None:
    client = signed_in("programme_director")
    whole = client.get("/api/v1/phm/population").json()
    assert whole["persons"] == sum(s["persons"] for s in whole["segments"]) > 1000
    assert whole["risk_scored"] is True
    assert sum(b["persons"] for b in whole["risk_bands"]) == whole["persons"]
    assert "calibration_svg" not in whole["model"]
    assert 0.5 < whole["model"]["c_statistic"] <= 1
    place = client.get(
        f"/api/v1/phm/population?level=place&code={footprint.place_code}"
    ).json()
    assert 0 < place["persons"] < whole["persons"]
    assert_error_shape(client.get("/api/v1/phm/population?level=pcn&code=NOPE1"), 404)


def test_cohort_members_are_ranked_pseudonymised_and_audited(
    app: FastAPI, signed_in: SignIn, footprint: Footprint
) -> None:
    client = signed_in("system_analyst")
    ids = [c["id"] for c in client.get("/api/v1/phm/cohorts").json()]
    assert "top_2_percent_risk" in ids
    url = "/api/v1/phm/cohorts/top_2_percent_risk/members"
    rows = client.get(f"{url}?practice={footprint.practice_code}&limit=5").json()
    expected = cohort_list(
        footprint.settings, "top_2_percent_risk", footprint.practice_code, limit=5
    )
    assert [r["person_id"] for r in rows] == [r["person_id"] for r in expected.rows]
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert not any("nhs_number" in r or "name" in r for r in rows)
    (event,) = audit_events(app, action="phm.export")
    assert json.loads(event.detail) == {
        "practice": footprint.practice_code,
        "format": "json",
        "persons": len(rows),
    }
    assert_error_shape(client.get("/api/v1/phm/cohorts/no_such_cohort/members"), 404)


def test_a_board_member_cannot_read_population_health(signed_in: SignIn) -> None:
    assert_error_shape(signed_in("board_member").get("/api/v1/phm/population"), 403)
