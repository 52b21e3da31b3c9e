"""The XmR chart and the Making Data Count icons render as accessible SVG."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from tests.reference.nhsrplotthedots import charted
from tripleaim.delivery.report.svg import svg
from tripleaim.delivery.spc.chart import spc_chart
from tripleaim.delivery.spc.icons_svg import (
    ASSURANCE,
    BLUE,
    ORANGE,
    VARIATION,
    assurance_icon,
    variation_icon,
)
from tripleaim.delivery.spc.summary import ASSURANCE_ICONS, VARIATION_ICONS

SVG = "{http://www.w3.org/2000/svg}"


def _parse(text: str) -> ET.Element:
    """Parse SVG that tripleaim itself wrote (trusted, so the stdlib parser is fine)."""
    return ET.fromstring(text)  # noqa: S314 - our own output, not untrusted input


def _segments(spec: dict[str, object], field: str) -> set[object]:
    data = spec["datasets"]
    assert isinstance(data, dict)
    rows = next(iter(data.values()))
    return {row[field] for row in rows}


def test_the_chart_draws_every_point_with_its_colour_and_breaks_at_a_rebase() -> None:
    points = charted(("E015",))  # rebase in April 2021, target 65
    chart = spc_chart(points, "Theatre utilisation")
    drawn = svg(chart, "Theatre utilisation, XmR chart")
    root = _parse(drawn)
    assert root.find(f"{SVG}title").text == "Theatre utilisation, XmR chart"
    assert drawn.count("<path") > 40
    assert BLUE in drawn  # the improvement point
    assert "#de1b1b" in drawn  # the target line
    assert _segments(chart.to_dict(), "segment") == {0, 1}
    unbroken = spc_chart(points, "Theatre utilisation", break_lines=False)
    assert _segments(unbroken.to_dict(), "segment") == {0}


def test_a_concern_is_drawn_orange_and_a_trajectory_dotted() -> None:
    points = charted(("E023",))  # with a trajectory
    spec = spc_chart(points, "Cancer 62-day").to_dict()
    text = json.dumps(spec)
    assert '"strokeDash": [2, 3]' in text
    concern = charted(("E027",))
    assert ORANGE in svg(spc_chart(concern, "Falls"), "Falls")


@pytest.mark.parametrize("name", sorted(VARIATION))
def test_every_variation_icon_is_valid_svg_with_a_title(name: str) -> None:
    root = _parse(variation_icon(name))
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == VARIATION[name][2]


@pytest.mark.parametrize("name", sorted(ASSURANCE))
def test_every_assurance_icon_is_valid_svg_with_a_title(name: str) -> None:
    root = _parse(assurance_icon(name))
    assert root.find(f"{SVG}title").text == ASSURANCE[name][2]
    assert root.find(f"{SVG}line").get("stroke") == "#de1b1b"


def test_every_icon_the_summary_can_choose_can_be_drawn() -> None:
    assert set(VARIATION_ICONS.values()) == set(VARIATION)
    assert set(ASSURANCE_ICONS.values()) == set(ASSURANCE)
    letters = {
        name: _parse(variation_icon(name)).find(f"{SVG}text") for name in VARIATION
    }
    assert letters["common_cause"] is None
    assert letters["improvement_high"].text == "H"
    assert letters["concern_low"].text == "L"
