"""Opportunity arithmetic against a worked example, and the flags for bad input."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tripleaim.benchmark.catalogue import parse
from tripleaim.benchmark.opportunity import Z95, opportunities
from tripleaim.benchmark.spec import MeasureSpec

SPEC = """
id: worked
version: 1
title: Worked example admissions
description: Admissions per 1,000, lower is better, for the worked example.
category: activity
programme: All programmes
scope: footprint
numerator: {table: inpatient_spells}
denominator: population
method: crude_rate
multiplier: 1000
polarity: lower_is_better
unit: admissions
bed_days: mean_stay
cost: {source: tariff, key: spell}
source: tests/unit/benchmark/test_opportunity.py
"""

PEERS = {"P1": 10.0, "P2": 12.0, "P3": 14.0, "P4": 16.0, "P5": 18.0, "P6": 30.0}


def spec(**changes: object) -> MeasureSpec:
    base = parse("worked.yaml", SPEC, MeasureSpec)
    return base.model_copy(update=changes)


def row(code: str, value: float, half: float, numerator: float = 0.0) -> dict:
    return {
        "area_code": code,
        "period": "2023/24",
        "numerator": numerator,
        "denominator": 10_000.0,
        "events": numerator or 100.0,
        "bed_days": 4 * numerator,
        "cost_gbp": 0.0,
        "value": value,
        "lower_95": value - half,
        "upper_95": value + half,
        "scale": 1000 / 10_000,
    }


def values() -> pd.DataFrame:
    rows = [row(code, v, 2.0) for code, v in PEERS.items()]
    rows.append(row("A", 20.0, 3.0, numerator=200.0))  # clearly worse
    rows.append(row("B", 15.5, 1.3, numerator=155.0))  # worse only by the naive test
    rows.append(row("C", 25.0, 1.0, numerator=250.0))  # no peers
    return pd.DataFrame(rows)


def peer_rows() -> pd.DataFrame:
    pairs = [(area, peer) for area in ("A", "B") for peer in PEERS]
    return pd.DataFrame(pairs, columns=["area_code", "peer_code"])


def result(
    measure: MeasureSpec | None = None, prices: dict | None = None
) -> pd.DataFrame:
    out = opportunities(
        values(),
        peer_rows(),
        measure or spec(),
        {"spell": 100.0} if prices is None else prices,
        level="practice",
        peer_group="similar_10_practice",
    )
    return out.set_index("area_code")


def test_benchmarks_are_the_peer_mean_best_five_and_top_quartile():
    a = result().loc["A"]
    assert a["peers"] == 6
    assert a["peer_mean"] == pytest.approx((10 + 12 + 14 + 16 + 18 + 30) / 6)
    assert a["best5_mean"] == pytest.approx((10 + 12 + 14 + 16 + 18) / 5)
    # 25th percentile (lower is better) of the six, linear: 12 + 0.25 * (14 - 12)
    assert a["top_quartile"] == pytest.approx(12.5)
    # each peer's SE is 2 / 1.96; the mean of five has sqrt(5) * SE / 5
    assert a["best5_upper_95"] - a["best5_mean"] == pytest.approx(2 * math.sqrt(5) / 5)


def test_gaps_are_activity_bed_days_and_pounds():
    a = result().loc["A"]
    # (20 - 14) per 1,000 of 10,000 people = 60 admissions
    assert a["gap_best5"] == pytest.approx(60.0)
    assert a["gap_peer_mean"] == pytest.approx((20 - 100 / 6) * 10)
    assert a["gap_top_quartile"] == pytest.approx(75.0)
    # half-width: 1.96 * sqrt(SE_A^2 + SE_best5^2) in value, x10 in admissions
    half = Z95 * math.sqrt((3 / Z95) ** 2 + 5 * (2 / Z95) ** 2 / 25) * 10
    assert a["gap_best5_lower"] == pytest.approx(60 - half)
    assert a["significant"] and a["significant_naive"]
    assert a["opportunity_events"] == pytest.approx(60.0)
    assert a["opportunity_bed_days"] == pytest.approx(60 * 800 / 200)  # 4 days each
    assert a["opportunity_gbp"] == pytest.approx(60 * 100.0)
    assert a["flag"] == "ok"


def test_the_benchmarks_own_interval_removes_noise_the_naive_test_counts():
    b = result().loc["B"]
    # naive: B's lower limit 14.2 is above the Best-5 mean 14
    assert b["significant_naive"]
    # with the Best-5 interval: 1.5 < 1.96 * sqrt((1.3/1.96)^2 + (2/1.96)^2 / 5)
    assert not b["significant"]
    assert b["gap_best5"] == pytest.approx(15.0)
    assert b["opportunity_events"] == 0.0


def test_higher_is_better_turns_the_gap_round():
    out = result(spec(polarity="higher_is_better"))
    a = out.loc["A"]
    assert a["best5_mean"] == pytest.approx((30 + 18 + 16 + 14 + 12) / 5)
    assert a["gap_best5"] == pytest.approx((18.0 - 20.0) * 10)
    assert a["opportunity_events"] == 0.0


def test_an_area_with_no_peers_is_flagged_not_dropped():
    c = result().loc["C"]
    assert c["flag"] == "no_peers"
    assert "C has no peer with a value in similar_10_practice" in c["flag_detail"]
    assert math.isnan(c["best5_mean"]) and c["opportunity_events"] == 0.0


def test_too_few_events_is_shown_but_not_counted():
    a = result(spec(min_events=500)).loc["A"]
    assert a["flag"] == "too_few_events"
    assert a["value"] == 20.0 and a["gap_best5"] == pytest.approx(60.0)
    assert a["opportunity_events"] == 0.0


def test_a_missing_tariff_price_leaves_pounds_empty_and_says_so():
    a = result(prices={}).loc["A"]
    assert a["flag"] == "missing_cost"
    assert "no price for 'spell'" in a["flag_detail"]
    assert a["opportunity_events"] == pytest.approx(60.0)
    assert a["opportunity_gbp"] == 0.0 and math.isnan(a["gbp_best5"])


def test_every_area_of_the_input_is_in_the_output():
    assert sorted(result().index) == sorted([*PEERS, "A", "B", "C"])
