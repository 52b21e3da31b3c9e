"""Benchmark: XmR charts for 1,000 KPIs x 36 months against NHSRplotthedots.

NHSRplotthedots 0.2.2 took 2.0 s on this machine for one faceted ``ptd_spc`` call on
1,000 KPIs of 36 monthly points each; the goal is at least 20x faster (under 0.1 s).
The workload has every rule firing (shifts, trends, outliers, two-in-three), a third of
the KPIs each improving up, down or neutral, targets on half of them, a rebase on
every tenth and fixed limits on every seventh. Timed: :func:`xmr` alone (the same
work as ``ptd_spc``) and with the summary and icons the board report needs; best of
five runs, rows shuffled (so the sort is part of the work). Writes
``results_dir/bench_spc.json``.

    python -m benchmarks.bench_spc
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

from tripleaim.delivery.spc import icons, summary, xmr

RESULT_FILE = "bench_spc.json"
RESULTS = Path(__file__).resolve().parent / "results"
SEED = 20190401
REPEATS = 5
KPIS, MONTHS = 1_000, 36
REFERENCE_SECONDS = 2.0
GOAL_SPEEDUP = 20.0


def workload(
    rng: np.random.Generator, kpis: int = KPIS, months: int = MONTHS
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Monthly values with injected shifts, trends and outliers, and per-KPI options."""
    base = rng.uniform(20, 500, size=(kpis, 1))
    values = base + rng.normal(0, base * 0.05, size=(kpis, months))
    step = np.arange(months)
    shift_at = rng.integers(12, 30, size=(kpis, 1))
    values += np.where(step >= shift_at, base * 0.12, 0.0) * (
        rng.random((kpis, 1)) < 0.3
    )
    values += np.where(step >= 28, (step - 27) * base * 0.03, 0.0) * (
        rng.random((kpis, 1)) < 0.2
    )
    outliers = rng.random((kpis, months)) < 0.01
    values += outliers * base * 0.4
    names = np.array([f"KPI{i:04d}" for i in range(kpis)], dtype=object)
    dates = pd.date_range("2016-04-01", periods=months, freq="MS")
    frame = pd.DataFrame(
        {
            "kpi": np.repeat(names, months),
            "month": np.tile(dates, kpis),
            "value": np.round(values.ravel(), 1),
        }
    ).sample(frac=1.0, random_state=SEED, ignore_index=True)
    ways = ("increase", "decrease", "neutral")
    options: dict[str, Any] = {
        "improvement_direction": {n: ways[i % 3] for i, n in enumerate(names)},
        "target": {
            n: float(base[i, 0]) * 1.05 for i, n in enumerate(names) if i % 2 == 0
        },
        "rebase": {n: [dates[24]] for i, n in enumerate(names) if i % 10 == 0},
        "fix_after_n_points": {n: 20 for i, n in enumerate(names) if i % 7 == 0},
    }
    return frame, options


def best_of(call: Callable[[], object], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)


def run(results_dir: Path) -> dict[str, Any]:
    """Time the workload, write ``bench_spc.json`` and return the results."""
    data, options = workload(np.random.default_rng(SEED))

    def chart() -> pd.DataFrame:
        return xmr(data, value="value", date="month", facet="kpi", **options)

    def chart_and_icons() -> pd.DataFrame:
        result = chart()
        summary(result)
        return icons(result)

    seconds = best_of(chart)
    with_icons = best_of(chart_and_icons)
    points = chart()
    result: dict[str, Any] = {
        "benchmark": "spc_xmr",
        "seed": SEED,
        "kpis": KPIS,
        "months": MONTHS,
        "rows": len(data),
        "special_cause_points": int(points["special_cause_flag"].sum()),
        "rules_fired": sorted(points["special_cause_type"].astype(str).unique()),
        "xmr_seconds_best_of_5": round(seconds, 4),
        "xmr_summary_icons_seconds_best_of_5": round(with_icons, 4),
        "reference_seconds": REFERENCE_SECONDS,
        "speedup": round(REFERENCE_SECONDS / seconds, 1),
        "speedup_with_summary_and_icons": round(REFERENCE_SECONDS / with_icons, 1),
        "goal_speedup": GOAL_SPEEDUP,
        "meets_goal": REFERENCE_SECONDS / seconds >= GOAL_SPEEDUP,
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
    verdict = "met" if result["meets_goal"] else "NOT met"
    print(
        f"spc: {KPIS} KPIs x {MONTHS} months in {result['xmr_seconds_best_of_5']} s "
        f"({result['speedup']}x NHSRplotthedots' {REFERENCE_SECONDS} s; goal "
        f"{GOAL_SPEEDUP}x: {verdict}); with summary and icons "
        f"{result['xmr_summary_icons_seconds_best_of_5']} s"
    )


if __name__ == "__main__":
    main()
