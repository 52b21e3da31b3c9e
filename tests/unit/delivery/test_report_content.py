"""The board report from hand-made inputs: exceptions, finance and the triple aim.

Every figure below is written by hand so the expected exceptions are known: one KPI
shifts down (special cause of concern) and is below its trajectory, one improves, one
has a single month; one project is red; one savings line is half delivered; one risk
scores 20 and one 12.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

from tripleaim.delivery.finance import Investment, PlanLine, SavingsPlan
from tripleaim.delivery.report import HealthGap, ReportInputs, build_report, html, pdf

PERIOD = "2018-01"
YEAR = "2017/18"
MONTHS = [f"{y}-{m:02d}" for y in (2016, 2017) for m in range(1, 13)] + ["2018-01"]


def _kpi_values() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    noise = rng.normal(0, 0.4, len(MONTHS))
    falling = np.where(np.arange(len(MONTHS)) < 17, 90.0, 84.0) + noise
    rising = 40.0 + np.arange(len(MONTHS)) * 1.0 + noise
    rows = [
        ("uec/four_hour", m, round(v, 1), 92.0)
        for m, v in zip(MONTHS, falling, strict=True)
    ]
    rows += [
        ("mh/iapt", m, round(v, 1), 30.0) for m, v in zip(MONTHS, rising, strict=True)
    ]
    rows += [("pc/access", "2018-01", 55.0, 60.0)]
    return pd.DataFrame(rows, columns=["key", "month", "actual", "trajectory"])


def inputs(**change: object) -> ReportInputs:
    kpis = pd.DataFrame(
        [
            (
                "uec/four_hour",
                "A&E seen within 4 hours",
                "%",
                "higher_is_better",
                95.0,
                True,
                "Four-hour recovery",
                "Urgent and emergency care",
            ),
            (
                "mh/iapt",
                "IAPT access rate",
                "%",
                "higher_is_better",
                25.0,
                False,
                "Psychological therapies",
                "Mental health",
            ),
            (
                "pc/access",
                "Extended access coverage",
                "%",
                "higher_is_better",
                100.0,
                True,
                "Extended GP access",
                "Primary care",
            ),
        ],
        columns=[
            "key",
            "title",
            "unit",
            "polarity",
            "target",
            "quality",
            "project",
            "workstream",
        ],
    )
    projects = pd.DataFrame(
        [
            (
                "four_hour",
                "Four-hour recovery",
                "Urgent and emergency care",
                "red",
                "Winter bed gap of 60 beds not closed.",
                "M Ellison",
                "Acute",
            ),
            (
                "iapt",
                "Psychological therapies",
                "Mental health",
                "green",
                "",
                "A Lead",
                "MH trust",
            ),
            (
                "access",
                "Extended GP access",
                "Primary care",
                "amber",
                "",
                "B Lead",
                "CCG",
            ),
        ],
        columns=[
            "slug",
            "title",
            "workstream",
            "rag",
            "rag_reason",
            "lead",
            "organisation",
        ],
    )
    months = pd.DataFrame(
        [
            (
                1,
                "Four-hour recovery",
                "Urgent and emergency care",
                "Acute",
                "Outlier bed days",
                YEAR,
                m,
                100.0,
                50.0,
            )
            for m in ("2017-10", "2017-11", "2017-12", "2018-01")
        ]
        + [
            (
                2,
                "Extended GP access",
                "Primary care",
                "CCG",
                "Hub rota",
                YEAR,
                m,
                100.0,
                100.0,
            )
            for m in ("2017-12", "2018-01")
        ],
        columns=[
            "line",
            "project",
            "workstream",
            "organisation",
            "scheme",
            "financial_year",
            "month",
            "plan",
            "actual",
        ],
    )
    risks = pd.DataFrame(
        [
            (
                "Four-hour recovery",
                "Urgent and emergency care",
                "risk",
                "Workforce gaps in the emergency department",
                "COO",
                4,
                5,
                20,
                "Recruit",
            ),
            (
                "Extended GP access",
                "Primary care",
                "risk",
                "Minor IT delay",
                "CIO",
                3,
                4,
                12,
                "Chase",
            ),
        ],
        columns=[
            "project",
            "workstream",
            "kind",
            "title",
            "owner",
            "likelihood",
            "impact",
            "score",
            "mitigation",
        ],
    )
    base = {
        "programme": "Test programme",
        "period": PERIOD,
        "scope": "Whole partnership",
        "kpis": kpis,
        "kpi_values": _kpi_values(),
        "projects": projects,
        "savings": [
            SavingsPlan("Acute", "Outlier bed days", "cip", YEAR, "in_delivery", 1_200),
            SavingsPlan("CCG", "Hub rota", "qipp", YEAR, "delivered", 1_000),
        ],
        "savings_months": months,
        "plans": [
            PlanLine("CCG", "commissioner", YEAR, 1_327_400, 1_411_600),
            PlanLine("Acute", "provider", YEAR, 450_000, 460_000),
        ],
        "investments": [Investment("CCG", "Hubs", YEAR, 2_000, 500)],
        "risks": risks,
        "workstreams": ["Urgent and emergency care", "Mental health", "Primary care"],
    }
    return ReportInputs(**(base | change))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def page() -> str:
    return html(build_report(inputs()))


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def test_the_concern_and_off_trajectory_kpis_are_exceptions(page: str) -> None:
    concern = _section(page, 'id="exceptions-concern"', "</table>")
    assert "A&amp;E seen within 4 hours" in concern
    assert "IAPT" not in concern
    behind = _section(page, 'id="exceptions-trajectory"', "</table>")
    assert "A&amp;E seen within 4 hours" in behind
    assert "Extended access coverage" in behind  # 55% against 60% planned
    assert "IAPT" not in behind


def test_red_projects_slipping_savings_and_top_risks_are_exceptions(page: str) -> None:
    red = _section(page, 'id="exceptions-projects"', "</table>")
    assert "Four-hour recovery" in red and "Winter bed gap of 60 beds" in red
    assert "Extended GP access" not in red
    savings = _section(page, 'id="exceptions-savings"', "</table>")
    assert "Outlier bed days" in savings and "£200k (50%)" in savings
    assert "Hub rota" not in savings
    risks = _section(page, 'id="exceptions-risks"', "</table>")
    assert (
        "Workforce gaps in the emergency department" in risks
        and "20 (4&times;5)" in risks
    )
    assert "Minor IT delay" not in page


def test_the_finance_section_shows_the_gap_bridge_and_control_total(page: str) -> None:
    gap = _section(page, 'id="finance-gap"', "</table>")
    assert "£1.327bn" in gap and "£1.412bn" in gap and "£84.2m" in gap
    bridge = _section(page, 'id="finance-bridge"', "</table>")
    # gap 84.2 + 10.0; plans 1.2 (CIP) and 1.0 (QIPP); risk 20% of 1.2 = 0.24
    assert "£94.2m" in bridge and "-£1.2m" in bridge and "£240k" in bridge
    assert "<svg" in page[page.index('id="finance"') :]
    control = _section(page, 'id="finance-control"', "</table>")
    assert "System control total" in control


def test_the_triple_aim_shows_quality_kpis_and_explains_a_missing_health_gap(
    page: str,
) -> None:
    health = _section(page, 'id="aim-health"', "</div>")
    assert "have not been computed" in health
    quality = _section(page, 'id="aim-quality"', "</div>")
    assert "<strong>2</strong> quality KPIs" in quality
    assert "A&amp;E seen within 4 hours" in quality
    finance = _section(page, 'id="aim-finance"', "</div>")
    assert "£94.2m" in finance


def test_the_health_gap_is_shown_when_profiles_exist() -> None:
    worse = pd.DataFrame(
        {
            "title": ["Smoking prevalence"],
            "value_text": ["18.0%"],
            "benchmark_text": ["14.0%"],
        }
    )
    gap = HealthGap("2023/24", "Herefordshire and Worcestershire", worse, {"worse": 1})
    page = html(build_report(inputs(health=gap), draw=False))
    health = _section(page, 'id="aim-health"', "</div>")
    assert "Smoking prevalence: 18.0% (England 14.0%)" in health


def test_every_kpi_with_enough_points_has_a_chart_and_icons(page: str) -> None:
    card = _section(page, 'id="kpi-uec-four_hour"', "</td>")
    assert "XmR chart: A&amp;E seen within 4 hours (%)" in card
    assert "Special cause variation: concern, low" in card
    assert "Assurance: the target is consistently missed" in card
    single = _section(page, 'id="kpi-pc-access"', "</td>")
    assert "no chart yet" in single


def test_the_pdf_has_the_summary_first_and_every_section() -> None:
    document = pdf(build_report(inputs()))
    reader = PdfReader(io.BytesIO(document))
    assert len(reader.pages) >= 3
    first = reader.pages[0].extract_text()
    assert "monthly board report" in first and "The triple aim" in first
    text = " ".join(p.extract_text() for p in reader.pages)
    for heading in (
        "Exception report",
        "Finance and efficiency",
        "KPIs: statistical process control",
    ):
        assert heading in text
    assert "Workforce gaps in the emergency department" in text


def test_a_report_without_a_financial_plan_says_so() -> None:
    page = html(build_report(inputs(plans=[], investments=[]), draw=False))
    assert "No financial plan has been entered." in page


def test_a_period_before_any_data_or_plan_still_renders() -> None:
    values = _kpi_values()
    early = inputs(period="2015-01", kpi_values=values[values["month"] <= "2015-01"])
    report = build_report(early, draw=False)
    assert report.tally["no_data"] == 3 and report.tally["kpis"] == 3
    assert (
        report.finance.note == "No financial plan for 2014/15; the bridge shows none."
    )
    assert report.finance.bridge == [] and report.finance.headline == {}
    assert "No financial plan for 2014/15" in html(report)
