"""The RightCare Similar 10 method on cases small enough to work by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tripleaim.benchmark.peers import nearest_peers, standardised_scores
from tripleaim.errors import DefinitionError

SD = math.sqrt(2 / 3)  # population SD of the rooted values 0, 1, 2


def three_areas() -> pd.DataFrame:
    # sqrt(x) = 0, 1, 2: mean 1, population SD sqrt(2/3); y has no spread
    return pd.DataFrame(
        {"x": [0.0, 1.0, 4.0], "y": [7.0, 7.0, 7.0]}, index=["A", "B", "C"]
    )


def test_scores_are_rooted_then_z_scored_with_the_population_sd():
    scores = standardised_scores(three_areas())
    assert scores["x"].tolist() == pytest.approx([-1 / SD, 0.0, 1 / SD])
    assert scores["y"].tolist() == [0.0, 0.0, 0.0]


def test_nearest_peers_use_the_weighted_squared_distance():
    peers = nearest_peers(three_areas(), {"x": 0.5, "y": 0.5}, k=2)
    # z_A - z_B = -1/SD, squared 1.5; weight 0.5 gives 0.75; A to C: 0.5 * 6 = 3
    expected = [
        ("A", "B", 1, 0.75),
        ("A", "C", 2, 3.0),
        ("B", "A", 1, 0.75),  # A and C tie at 0.75: the lower code first
        ("B", "C", 2, 0.75),
        ("C", "B", 1, 0.75),
        ("C", "A", 2, 3.0),
    ]
    got = [
        (r.area_code, r.peer_code, r.rank, pytest.approx(r.distance))
        for r in peers.itertuples()
    ]
    assert got == [(a, p, k, pytest.approx(d)) for a, p, k, d in expected]


def test_an_area_is_never_its_own_peer_and_k_caps_the_list():
    peers = nearest_peers(three_areas(), {"x": 1.0}, k=1)
    assert (peers["area_code"] != peers["peer_code"]).all()
    assert peers.groupby("area_code").size().tolist() == [1, 1, 1]


def test_values_above_mean_plus_five_sd_are_capped_before_rooting():
    # 29 zeros and one 100: mean 3.33, population SD 17.95, ceiling 93.1 < 100
    raw = pd.DataFrame(
        {"x": [0.0] * 29 + [100.0]}, index=[f"A{i:02}" for i in range(30)]
    )
    ceiling = raw["x"].mean() + 5 * raw["x"].std(ddof=0)
    assert ceiling < 100
    capped = standardised_scores(raw)
    by_hand = np.sqrt(np.minimum(raw["x"], ceiling))
    expected = (by_hand - by_hand.mean()) / by_hand.std(ddof=0)
    assert capped["x"].tolist() == pytest.approx(expected.tolist())


def test_the_sample_sd_is_available_for_the_python_port():
    scores = standardised_scores(three_areas(), ddof=1)
    assert scores["x"].tolist() == pytest.approx([-1.0, 0.0, 1.0])


def test_a_missing_value_names_the_variable_and_area():
    data = three_areas()
    data.loc["B", "x"] = np.nan
    with pytest.raises(
        DefinitionError, match="'x' is missing or negative for area 'B'"
    ):
        nearest_peers(data, {"x": 1.0}, k=1)


def test_an_unknown_variable_is_refused():
    with pytest.raises(DefinitionError, match="Peer variables rurality"):
        nearest_peers(three_areas(), {"rurality": 1.0}, k=1)
