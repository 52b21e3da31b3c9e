"""Slope and relative index of inequality against PHEindicatormethods 2.1.0.

``sii``, ``rii`` and ``intercept`` are deterministic. The limits are Monte Carlo,
but tripleaim draws from an R-compatible stream (``set.seed``, Mersenne-Twister,
inversion), checked here against R's own first draws, so with the fixture's seed
the simulated limits are reproduced and compared at the same abs 1e-9 / rel 1e-12
as everything else: no looser tolerance is needed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from tests.reference.support import assert_matches, read_fixture
from tripleaim.indicators import RRandomStream, slope_index_of_inequality

LIMITS = {"lower_cl": "lower_cl", "upper_cl": "upper_cl"}
CONFIGS: dict[str, dict[str, Any]] = {
    "A": {
        "value": "value",
        "value_type": 0,
        "se": "se",
        "multiplier": 1,
        "confidence": 0.95,
    },
    "B": {"value": "value", "value_type": 1, **LIMITS, "confidence": (0.95, 0.998)},
    "C": {"value": "value", "value_type": 1, "transform": True, **LIMITS},
    "D": {
        "x": "x",
        "value_type": 2,
        **LIMITS,
        "multiplier": 100,
        "confidence": (0.95, 0.998),
    },
    "E": {
        "value": "value",
        "value_type": 2,
        "transform": True,
        **LIMITS,
        "multiplier": -100,
    },
}
INPUTS = [*(f"phe_sii_input__config{c}.csv" for c in CONFIGS), "r_rng_reference.csv"]
FIXTURES = [f"phe_sii__config{c}.csv" for c in CONFIGS]
SCRIPT_COLUMNS = {"set_id", "config", "rng_seed", "warnings"}


@pytest.mark.parametrize("config", list(CONFIGS))
def test_sii_matches_reference(config: str) -> None:
    inputs = read_fixture(f"phe_sii_input__config{config}.csv").frame()
    expected = read_fixture(f"phe_sii__config{config}.csv")
    arguments = CONFIGS[config]
    if "x" in arguments:
        inputs = inputs.drop(columns="value")
    parts = []
    for set_id, seed in zip(
        expected.frame()["set_id"], expected.frame()["rng_seed"], strict=True
    ):
        rows = inputs[inputs["set_id"] == set_id]
        parts.append(
            slope_index_of_inequality(
                rows, seed=int(seed), rii=True, intercept=True, **arguments
            )
        )
    result = pd.concat(parts, ignore_index=True)
    columns = [c for c in expected.names if c not in SCRIPT_COLUMNS]
    assert list(result.columns) == [*columns, "reason"]
    assert expected.frame()["warnings"].fillna("").eq("").all()
    assert_matches(result, expected, columns=columns)


@pytest.mark.parametrize("seed", [1001, 1002, 1011])
def test_random_stream_reproduces_r_draws(seed: int) -> None:
    reference = read_fixture("r_rng_reference.csv").frame()
    rows = reference[reference["seed"] == seed]
    assert RRandomStream(seed).uniform(10).tolist() == rows["runif"].tolist()
    assert RRandomStream(seed).normal(10).tolist() == rows["rnorm"].tolist()
    recycled = RRandomStream(seed).normal(10, [5, -2], [0.5, 3])
    np.testing.assert_array_equal(recycled, rows["rnorm_mean_5_m2_sd_05_3"].to_numpy())
