"""Discrimination and calibration metrics of the risk model, on hand-worked data."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import brier_score_loss, roc_auc_score

from tripleaim.phm.risk import metrics


def test_c_statistic_counts_ordered_pairs_and_half_ties() -> None:
    # positives 0.8, 0.4; negatives 0.4, 0.1: pairs (0.8>0.4) (0.8>0.1) (0.4=0.4: 1/2) (0.4>0.1)
    assert metrics.c_statistic([1, 0, 1, 0], [0.8, 0.4, 0.4, 0.1]) == 3.5 / 4


def test_c_statistic_matches_scikit_learn_on_random_data() -> None:
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 500)
    p = np.round(rng.random(500), 2)  # rounding makes ties
    assert metrics.c_statistic(y, p) == pytest.approx(roc_auc_score(y, p), abs=1e-12)


def test_c_statistic_is_missing_with_one_class() -> None:
    assert metrics.c_statistic([0, 0, 0], [0.1, 0.2, 0.3]) is None


def test_brier_score_is_the_mean_squared_error() -> None:
    assert metrics.brier_score([1, 0], [0.75, 0.5]) == (0.25**2 + 0.5**2) / 2
    rng = np.random.default_rng(4)
    y, p = rng.integers(0, 2, 200), rng.random(200)
    assert metrics.brier_score(y, p) == pytest.approx(brier_score_loss(y, p), abs=1e-12)


def test_calibration_table_cuts_sorted_risks_into_equal_groups() -> None:
    risk = [0.9, 0.1, 0.2, 0.8, 0.3, 0.7]
    outcome = [1, 0, 0, 1, 1, 0]
    table = metrics.calibration_table(outcome, risk, bins=3)
    assert [b.persons for b in table] == [2, 2, 2]
    assert [b.expected for b in table] == pytest.approx([0.15, 0.5, 0.85])
    # (0.1, 0.2) -> 0, 0; (0.3, 0.7) -> 1, 0; (0.8, 0.9) -> 1, 1
    assert [b.observed for b in table] == [0.0, 0.5, 1.0]


def test_calibration_table_never_makes_an_empty_group_from_ties() -> None:
    table = metrics.calibration_table([0, 1, 0, 0, 1], [0.2] * 5, bins=10)
    assert [b.persons for b in table] == [1, 1, 1, 1, 1]


def test_decile_tolerance_is_two_points_or_3_29_standard_errors() -> None:
    assert metrics.decile_tolerance(0.08, 100_000) == 0.02
    se = math.sqrt(0.08 * 0.92 / 300)
    assert metrics.decile_tolerance(0.08, 300) == pytest.approx(3.29 * se)
    wide = metrics.CalibrationBin(1, 300, 0.08, 0.08 + 3.2 * se, 3.29 * se)
    assert wide.within_tolerance
    assert not metrics.CalibrationBin(
        1, 300, 0.08, 0.08 + 3.4 * se, 3.29 * se
    ).within_tolerance


def test_expected_observed_is_missing_without_events() -> None:
    assert metrics.expected_observed([0, 1, 1], [0.5, 0.5, 0.5]) == 0.75
    assert metrics.expected_observed([0, 0], [0.5, 0.5]) is None


def test_subgroup_performance_reports_each_group() -> None:
    result = metrics.subgroup_performance(
        [1, 0, 1, 0], [0.9, 0.1, 0.6, 0.4], ["F", "F", "M", "M"]
    )
    assert list(result) == ["F", "M"]
    assert result["F"]["persons"] == 2
    assert result["F"]["events"] == 1
    assert result["M"]["c_statistic"] == 1.0
    assert result["M"]["expected_observed"] == 1.0


def test_risk_percentile_runs_from_1_to_100_and_ties_share() -> None:
    risk = np.linspace(0.01, 1.0, 200)
    percentile = metrics.risk_percentile(risk)
    assert percentile.min() == 1
    assert percentile.max() == 100
    assert list(metrics.risk_percentile([0.2, 0.5, 0.5, 0.9])) == [25, 75, 75, 100]
