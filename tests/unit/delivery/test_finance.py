"""The system financial plan, worked by hand from the partnership brief's figures.

Herefordshire and Worcestershire, 2020/21: £1.327bn available to commissioners against
a requirement of £1.412bn, a shortfall of £84m before provider efficiencies. The four
CCGs below add up to those figures (£k); two providers and a system scheme are added.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
import vl_convert as vlc

from tripleaim.delivery.finance import (
    FinanceInputError,
    Investment,
    PlanLine,
    SavingsPlan,
    bridge,
    bridge_chart,
    control_total,
    financial_gap,
    investment_returns,
    money,
    parse_stage_weights,
    savings_summary,
    slippage,
    stage_weights,
)
from tripleaim.errors import DefinitionError

YEAR = "2020/21"
PLANS = [
    PlanLine("Herefordshire CCG", "commissioner", YEAR, 331_600, 352_800),
    PlanLine("Redditch and Bromsgrove CCG", "commissioner", YEAR, 245_300, 261_000),
    PlanLine("South Worcestershire CCG", "commissioner", YEAR, 480_100, 510_600),
    PlanLine("Wyre Forest CCG", "commissioner", YEAR, 270_400, 287_200),
    PlanLine("Wye Valley NHS Trust", "provider", YEAR, 220_000, 231_000),
    PlanLine(
        "Worcestershire Acute Hospitals NHS Trust", "provider", YEAR, 450_000, 475_000
    ),
]
SAVINGS = [
    SavingsPlan(
        "Herefordshire CCG",
        "Medicines optimisation",
        "qipp",
        YEAR,
        "in_delivery",
        4_000,
    ),
    SavingsPlan(
        "South Worcestershire CCG",
        "Continuing healthcare",
        "qipp",
        YEAR,
        "identified",
        3_000,
    ),
    SavingsPlan(
        "Worcestershire Acute Hospitals NHS Trust",
        "Theatre productivity",
        "cip",
        YEAR,
        "delivered",
        10_000,
    ),
    SavingsPlan(
        "Wye Valley NHS Trust", "Agency staffing", "cip", YEAR, "unidentified", 5_000
    ),
    SavingsPlan(
        "Herefordshire and Worcestershire STP",
        "Pathology network",
        "system",
        YEAR,
        "identified",
        2_000,
    ),
    SavingsPlan(
        "Herefordshire CCG",
        "Medicines optimisation",
        "qipp",
        "2019/20",
        "delivered",
        9_999,
    ),
]


def test_the_commissioners_gap_is_the_briefs_84m() -> None:
    gaps = financial_gap(PLANS).set_index("organisation_kind")
    commissioners = gaps.loc["commissioner"]
    assert commissioners["resources_available"] == 1_327_400
    assert commissioners["spending_requirement"] == 1_411_600
    assert commissioners["gap"] == pytest.approx(84_200)
    assert money(commissioners["resources_available"]) == "£1.327bn"
    assert money(commissioners["spending_requirement"]) == "£1.412bn"
    assert money(commissioners["gap"], digits=0) == "£84m"
    assert gaps.loc["provider", "gap"] == 11_000 + 25_000
    assert gaps.loc["system", "gap"] == pytest.approx(84_200 + 36_000)
    assert list(gaps.index) == ["commissioner", "provider", "system"]


def test_savings_are_risk_adjusted_by_stage() -> None:
    # weights: unidentified 0, identified 0.5, in delivery 0.8, delivered 1
    got = savings_summary(SAVINGS, by=["financial_year", "category"])
    got = got[got["financial_year"] == YEAR].set_index("category")
    assert got.loc["qipp", "plan_total"] == 7_000
    assert got.loc["qipp", "risk_adjusted"] == pytest.approx(4_000 * 0.8 + 3_000 * 0.5)
    assert got.loc["cip", "risk_adjusted"] == pytest.approx(10_000)
    assert got.loc["cip", "risk"] == pytest.approx(5_000)
    assert got.loc["system", "risk_adjusted"] == pytest.approx(1_000)


def test_the_bridge_walks_from_the_gap_to_the_risk_adjusted_gap() -> None:
    steps = bridge(PLANS, SAVINGS, YEAR)
    assert steps["label"].tolist() == [
        "Do-nothing gap",
        "QIPP (commissioners)",
        "CIP (providers)",
        "System schemes",
        "Gap after the plan",
        "Risk adjustment by stage",
        "Risk-adjusted gap",
    ]
    assert steps["end"].tolist() == pytest.approx(
        [120_200, 113_200, 98_200, 96_200, 96_200, 104_500, 104_500]
    )
    assert steps["amount"].tolist() == pytest.approx(
        [120_200, -7_000, -15_000, -2_000, 96_200, 8_300, 104_500]
    )
    by_scheme = bridge(PLANS, SAVINGS, YEAR, by="scheme")
    assert "Theatre productivity" in by_scheme["label"].tolist()
    assert by_scheme["end"].iloc[-1] == pytest.approx(104_500)


def test_the_control_total_is_the_sum_of_the_organisations_positions() -> None:
    got = control_total(PLANS, SAVINGS, YEAR).set_index("organisation")
    assert got.loc["Herefordshire CCG", "position"] == pytest.approx(3_200 - 21_200)
    assert got.loc["Wye Valley NHS Trust", "position"] == pytest.approx(-11_000)
    stp = got.loc["Herefordshire and Worcestershire STP"]
    assert (stp["organisation_kind"], stp["gap"], stp["position"]) == (
        "system",
        0.0,
        1_000,
    )
    system = got.loc["System"]
    assert system["position"] == pytest.approx(-104_500)
    assert system["gap"] == pytest.approx(120_200)
    assert system["share_of_control_total"] == pytest.approx(1.0)
    assert got.loc[
        "South Worcestershire CCG", "share_of_control_total"
    ] == pytest.approx(29_000 / 104_500)
    assert got.loc["South Worcestershire CCG", "share_of_gap"] == pytest.approx(
        30_500 / 120_200
    )
    assert got.drop(index="System")["position"].sum() == pytest.approx(-104_500)


def test_investment_against_return() -> None:
    got = investment_returns(
        [
            Investment("Taurus GP federation", "Extended GP access", YEAR, 2_000, 500),
            Investment("Taurus GP federation", "Shared care record", YEAR, 1_500, 0),
        ],
        by=["description"],
    ).set_index("description")
    assert got.loc["Extended GP access", "return_ratio"] == 0.25
    assert got.loc["Extended GP access", "payback_years"] == 4.0
    assert got.loc["Extended GP access", "net"] == -1_500
    assert got.loc["Shared care record", "return_ratio"] == 0.0
    assert math.isnan(got.loc["Shared care record", "payback_years"])


def test_slippage_counts_only_reported_months_up_to_the_period() -> None:
    months = pd.DataFrame(
        {
            "line": ["a"] * 4 + ["b"],
            "month": ["2017-04", "2017-05", "2017-06", "2017-07", "2017-04"],
            "plan": [100.0, 100.0, 100.0, 100.0, 0.0],
            "actual": [80.0, 90.0, None, 500.0, 10.0],
        }
    )
    got = slippage(months, "2017-06").set_index("line")
    assert got.loc["a", "plan_to_date"] == 300
    assert got.loc["a", "actual_to_date"] == 170
    assert got.loc["a", "months_reported"] == 2
    assert got.loc["a", "months_due"] == 3
    assert got.loc["a", "slippage"] == pytest.approx(130 / 300)
    assert math.isnan(got.loc["b", "slippage"])
    with pytest.raises(FinanceInputError, match="2018/01"):
        slippage(months, "2018/01")


def test_medicines_optimisation_beyond_existing_plans() -> None:
    """£13.8m in 2017/18, of which over £4m beyond existing plans (identified only)."""
    year = "2017/18"
    schemes = [
        SavingsPlan(
            "Herts Valleys CCG",
            "Existing medicines plans",
            "qipp",
            year,
            "in_delivery",
            9_800,
        ),
        SavingsPlan(
            "Herts Valleys CCG", "Biosimilars", "qipp", year, "identified", 2_500
        ),
        SavingsPlan(
            "Herts Valleys CCG", "Open the bag", "qipp", year, "identified", 1_500
        ),
    ]
    got = savings_summary(schemes, by=["financial_year"]).iloc[0]
    assert money(got["plan_total"]) == "£13.8m"
    assert got["risk_adjusted"] == pytest.approx(9_800 * 0.8 + 4_000 * 0.5)


@pytest.mark.parametrize(
    ("record", "field"),
    [
        (PlanLine("A", "hospital", YEAR, 1, 2), "organisation_kind"),
        (PlanLine("A", "provider", "2020-21", 1, 2), "financial_year"),
        (PlanLine("A", "provider", YEAR, -1, 2), "resources_available"),
        (PlanLine("A", "provider", YEAR, 1, math.nan), "spending_requirement"),
        (SavingsPlan("A", "S", "qipp", YEAR, "hoped_for", 1), "stage"),
        (SavingsPlan("A", "S", "cost_cutting", YEAR, "identified", 1), "category"),
        (SavingsPlan("A", "S", "qipp", YEAR, "identified", -5), "plan_total"),
    ],
)
def test_bad_records_are_refused_naming_the_record_and_field(
    record: PlanLine | SavingsPlan, field: str
) -> None:
    with pytest.raises(FinanceInputError) as caught:
        if isinstance(record, PlanLine):
            financial_gap([record])
        else:
            savings_summary([record])
    assert caught.value.field == field
    assert str(caught.value).startswith("A /")


def test_a_year_without_a_plan_is_refused() -> None:
    with pytest.raises(FinanceInputError, match="no financial plan for 2031/32"):
        control_total(PLANS, SAVINGS, "2031/32")
    with pytest.raises(FinanceInputError, match="no financial plan for 2031/32"):
        bridge(PLANS, SAVINGS, "2031/32")
    with pytest.raises(FinanceInputError, match="by must be"):
        bridge(PLANS, SAVINGS, YEAR, by="organisation")


def test_shipped_stage_weights_are_valid_and_ordered() -> None:
    weights = stage_weights()
    assert weights.weight("unidentified") == 0.0
    assert weights.weight("delivered") == 1.0


@pytest.mark.parametrize(
    ("weights", "problem"),
    [
        ("{unidentified: 0, identified: 0.5, delivered: 1}", "missing ['in_delivery']"),
        (
            "{unidentified: 0, identified: 0.9, in_delivery: 0.5, delivered: 1}",
            "must not fall",
        ),
        (
            "{unidentified: 0, identified: 0.5, in_delivery: 1.5, delivered: 1}",
            "not between 0 and 1",
        ),
        (
            "{unidentified: 0, identified: 0.5, in_delivery: 0.8, delivered: 1, hoped: 0}",
            "unknown ['hoped']",
        ),
    ],
)
def test_bad_stage_weights_are_refused(weights: str, problem: str) -> None:
    text = (
        f"id: w\ntitle: t\ndescription: d\nsource: s\nversion: 1\nweights: {weights}\n"
    )
    with pytest.raises(
        DefinitionError,
        match=r"stage_weights.yaml: .*" + __import__("re").escape(problem),
    ):
        parse_stage_weights("stage_weights.yaml", text)
    with pytest.raises(DefinitionError, match="not valid YAML"):
        parse_stage_weights("stage_weights.yaml", "weights: [")


def test_the_bridge_chart_renders_to_svg() -> None:
    chart = bridge_chart(bridge(PLANS, SAVINGS, YEAR), "Bridge 2020/21")
    svg = vlc.vegalite_to_svg(chart.to_dict())
    assert svg.startswith("<svg")
    for text in ("Do-nothing gap", "Risk-adjusted gap", "120.2", "104.5"):
        assert text in svg


@pytest.mark.parametrize(
    ("thousands", "text"),
    [
        (850, "£850k"),
        (84_200, "£84.2m"),
        (-3_060, "-£3.1m"),
        (1_411_600, "£1.412bn"),
        (math.nan, "not known"),
    ],
)
def test_money_is_written_as_board_papers_write_it(thousands: float, text: str) -> None:
    assert money(thousands) == text
