"""Benchmark: indicator method throughput against PHEindicatormethods on the same machine.

Two workloads where the R package was timed on this machine:

* DSR for 10,000 areas x 19 ESP2013 bands (190,000 rows), ``calculate_dsr`` took 2.7 s;
  goal at least 20x faster (under 0.135 s).
* Wilson intervals for 190,000 groups, ``phe_proportion`` took 28 s; goal at least
  100x faster (under 0.28 s). Timed grouped (two rows per group, summed first, as the
  grouped R call does) and, for reference, ungrouped (one row per group).

Each timing is the best of three runs of the public DataFrame API on seeded synthetic
data with string area codes (grouping is part of the work): rows in key order, as
the warehouse returns them, and again shuffled (which forces a sort). Results go to
``results_dir/bench_methods.json``.

    python -m benchmarks.bench_methods
"""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tripleaim.indicators import (
    directly_standardised_rates,
    esp2013_weights,
    proportions,
)

RESULT_FILE = "bench_methods.json"
RESULTS = Path(__file__).resolve().parent / "results"
SEED = 20130
REPEATS = 3
DSR_AREAS = 10_000
WILSON_GROUPS = 190_000
REFERENCE_SECONDS = {"dsr": 2.7, "wilson": 28.0}
GOAL_SPEEDUP = {"dsr": 20.0, "wilson": 100.0}


def dsr_workload(rng: np.random.Generator, areas: int = DSR_AREAS) -> pd.DataFrame:
    """One row per area and ESP2013 band: events, population, standard weight."""
    weights = esp2013_weights()
    bands = len(weights)
    pops = rng.integers(200, 9_000, size=(areas, bands))
    rates = np.geomspace(0.0005, 0.15, bands)
    events = rng.poisson(pops * rates)
    codes = np.array([f"E{i:08d}" for i in range(areas)], dtype=object)
    return pd.DataFrame(
        {
            "area": np.repeat(codes, bands),
            "band": np.tile(np.arange(1, bands + 1), areas),
            "x": events.ravel(),
            "n": pops.ravel(),
            "stdpop": np.tile(weights, areas),
        }
    )


def wilson_workload(
    rng: np.random.Generator, groups: int = WILSON_GROUPS, rows_per_group: int = 2
) -> pd.DataFrame:
    """``rows_per_group`` rows per group: numerator and denominator."""
    size = groups * rows_per_group
    n = rng.integers(1, 5_000, size=size)
    x = rng.binomial(n, rng.uniform(0, 1, size=size))
    codes = np.array([f"G{i:07d}" for i in range(groups)], dtype=object)
    return pd.DataFrame({"group": np.repeat(codes, rows_per_group), "x": x, "n": n})


def best_of(
    call: Callable[[], pd.DataFrame], repeats: int = REPEATS
) -> tuple[float, int]:
    """Best wall time of ``repeats`` calls, and the rows the call returned."""
    times, rows = [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
        rows = len(result)
    return min(times), rows


def _entry(name: str, seconds: float, rows_in: int, rows_out: int) -> dict[str, Any]:
    speedup = REFERENCE_SECONDS[name] / seconds
    return {
        "seconds_best_of_3": round(seconds, 4),
        "rows_in": rows_in,
        "results_out": rows_out,
        "reference_seconds": REFERENCE_SECONDS[name],
        "speedup": round(speedup, 1),
        "goal_speedup": GOAL_SPEEDUP[name],
        "meets_goal": speedup >= GOAL_SPEEDUP[name],
    }


def run(results_dir: Path) -> dict[str, Any]:
    """Time both workloads, write ``bench_methods.json`` and return the results."""
    rng = np.random.default_rng(SEED)
    dsr_data = dsr_workload(rng)
    grouped = wilson_workload(rng)
    single = wilson_workload(rng, rows_per_group=1)
    dsr_shuffled = dsr_data.sample(frac=1.0, random_state=SEED).reset_index(drop=True)
    grouped_shuffled = grouped.sample(frac=1.0, random_state=SEED).reset_index(
        drop=True
    )
    dsr_seconds, dsr_rows = best_of(
        lambda: directly_standardised_rates(dsr_data, by=["area"])
    )
    shuffled_seconds, _ = best_of(
        lambda: directly_standardised_rates(dsr_shuffled, by=["area"])
    )
    wilson_seconds, wilson_rows = best_of(lambda: proportions(grouped, by=["group"]))
    unsorted_seconds, _ = best_of(lambda: proportions(grouped_shuffled, by=["group"]))
    single_seconds, single_rows = best_of(lambda: proportions(single))
    result: dict[str, Any] = {
        "benchmark": "indicator_methods",
        "seed": SEED,
        "dsr_10000_areas_19_bands": _entry("dsr", dsr_seconds, len(dsr_data), dsr_rows),
        "dsr_10000_areas_rows_shuffled": _entry(
            "dsr", shuffled_seconds, len(dsr_data), dsr_rows
        ),
        "wilson_190000_groups": _entry(
            "wilson", wilson_seconds, len(grouped), wilson_rows
        ),
        "wilson_190000_groups_rows_shuffled": _entry(
            "wilson", unsorted_seconds, len(grouped), wilson_rows
        ),
        "wilson_190000_rows_ungrouped": _entry(
            "wilson", single_seconds, len(single), single_rows
        ),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "numpy": np.__version__,
            "pandas": pd.__version__,
        },
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / RESULT_FILE).write_text(json.dumps(result, indent=2) + "\n")
    return result


def main() -> None:
    result = run(RESULTS)
    for key, entry in result.items():
        if not isinstance(entry, dict) or "speedup" not in entry:
            continue
        verdict = "met" if entry["meets_goal"] else "NOT met"
        print(
            f"{key}: {entry['seconds_best_of_3']} s, {entry['speedup']}x the reference's "
            f"{entry['reference_seconds']} s (goal {entry['goal_speedup']}x: {verdict})"
        )


if __name__ == "__main__":
    main()
