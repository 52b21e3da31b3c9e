"""Benchmark: the whole PHM pipeline at full size and for about 1.5 million persons.

The pipeline is what ``tripleaim phm score`` and ``tripleaim phm segment`` run on a
built warehouse: every person's scores (``person_scores``), their risk of an
emergency admission from the trained model (``person_risk``, with reasons) and
their Bridges to Health segments (``person_segments``, the summaries by practice,
PCN and place, and the segment x risk matrix). It runs in a fresh child process
(``phm_pipeline_child``); its wall time and peak memory (the child's own peak
resident set, and its process tree sampled every 0.2 s: the larger is kept) are the
figures (goal: under 60 s and under 4 GB on this machine).

Runs: the footprint at scale 1.0 (about 815,000 persons) and at ``--scale`` (default
1.84, about 1.5 million). Each footprint is built first (``build_child``, not part of
the figures). The risk model is trained once, on the full-size footprint
(``tripleaim phm train``, timed and reported but not part of the pipeline), and the
same artifact scores the scaled footprint: a model does not depend on the size of
the population it scores.

    python -m benchmarks.bench_phm_pipeline [--scale 1.84] [--footprint ...] [--seed ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.bench_phm_scores import load_average
from benchmarks.profile_child import DescendantsPeak
from tripleaim.phm.risk.artifact import CURRENT

RESULTS = Path(__file__).resolve().parent / "results"
RESULT_FILE = "bench_phm_pipeline.json"
FOOTPRINT = "herefordshire_worcestershire"
SEED = 20161
SCALED = 1.84
"""About 1.5 million persons on the default footprint (815,000 at scale 1.0)."""
GOAL_SECONDS = 60.0
GOAL_GB = 4.0


def build(data_dir: Path, footprint: str, scale: float, seed: int) -> dict[str, Any]:
    """Build a footprint in a child process (``benchmarks.build_child``)."""
    started = time.perf_counter()
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.build_child",
            str(data_dir),
            footprint,
            str(scale),
            str(seed),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    child = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "persons": child["rows"]["persons"],
    }


def step(data_dir: Path, name: str) -> dict[str, Any]:
    """One ``phm_pipeline_child`` step: its figures, wall time and peak memory."""
    started = time.perf_counter()
    with DescendantsPeak() as tree:
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.phm_pipeline_child",
                str(data_dir),
                name,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    wall = time.perf_counter() - started
    child = json.loads(out.stdout.strip().splitlines()[-1])
    peak_kb = max(
        child.pop("peak_rss_kb") + child.pop("descendants_peak_rss_kb"),
        tree.peak // 1024,
    )
    figures = {k: round(v, 2) if isinstance(v, float) else v for k, v in child.items()}
    return {
        "wall_seconds": round(wall, 2),
        "peak_memory_gb": round(peak_kb / 2**20, 2),
        **figures,
    }


def pipeline_run(
    data_dir: Path, scale: float, built: dict[str, Any] | None
) -> dict[str, Any]:
    load = load_average()
    figures = step(data_dir, "pipeline")
    return {
        "scale": scale,
        "build": built,
        "pipeline": figures,
        "meets_goal": figures["wall_seconds"] < GOAL_SECONDS
        and figures["peak_memory_gb"] < GOAL_GB,
        "load_average_before": load,
    }


def run(
    results_dir: Path = RESULTS,
    *,
    full_data_dir: Path | None = None,
    scaled_data_dir: Path | None = None,
    scale: float = SCALED,
    footprint: str = FOOTPRINT,
    seed: int = SEED,
) -> dict[str, Any]:
    """Time the pipeline at scale 1.0 and at ``scale``; write ``bench_phm_pipeline.json``.

    Args:
        results_dir: Where the JSON goes.
        full_data_dir: A footprint already built at scale 1.0 (``benchmarks.run``
            builds one); built here when None. Its trained model is reused.
        scaled_data_dir: A footprint already built at ``scale``; built here when
            None.
        scale: The scaled run's footprint scale.
        footprint: The footprint.
        seed: The synthetic data's seed.
    """
    runs = []
    with tempfile.TemporaryDirectory(prefix="tripleaim-phm-pipeline-") as tmp:
        full = full_data_dir or Path(tmp) / "full"
        built = None if full_data_dir else build(full, footprint, 1.0, seed)
        trained = (full / "models" / CURRENT).exists()
        train = {"reused": str(full / "models")} if trained else step(full, "train")
        runs.append(pipeline_run(full, 1.0, built))
        scaled = scaled_data_dir or Path(tmp) / "scaled"
        scaled_build = (
            None if scaled_data_dir else build(scaled, footprint, scale, seed)
        )
        if not (scaled / "models").exists():
            shutil.copytree(full / "models", scaled / "models")
        if full_data_dir is None:
            shutil.rmtree(full)
        runs.append(pipeline_run(scaled, scale, scaled_build))
    result = {
        "benchmark": "bench_phm_pipeline",
        "footprint": footprint,
        "seed": seed,
        "train_on_full_size": train,
        "runs": runs,
        "goal": f"under {GOAL_SECONDS:.0f} s and under {GOAL_GB:.0f} GB",
        "meets_goal": all(r["meets_goal"] for r in runs),
        "cpus": os.cpu_count(),
        "load_average_after": load_average(),
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / RESULT_FILE).write_text(json.dumps(result, indent=2) + "\n")
    return result


def summary_lines(result: dict[str, Any]) -> list[str]:
    train = result["train_on_full_size"]
    lines = [
        f"train (full size, not in the pipeline): {train['wall_seconds']} s, "
        f"{train['peak_memory_gb']} GB"
        if "wall_seconds" in train
        else f"train: model reused from {train['reused']}"
    ]
    for r in result["runs"]:
        p = r["pipeline"]
        lines.append(
            f"pipeline x{r['scale']} ({p['persons_scored']:,} persons): "
            f"{p['wall_seconds']} s wall (scores {p['scores_seconds']} s, risk "
            f"{p['risk_seconds']} s, segments {p['segment_seconds']} s), peak "
            f"{p['peak_memory_gb']} GB (goal under 60 s and 4 GB: "
            f"{'met' if r['meets_goal'] else 'NOT met'})"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=SCALED)
    parser.add_argument("--footprint", default=FOOTPRINT)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--full-data-dir",
        type=Path,
        help="A data directory with the footprint already built at scale 1.0 (and, "
        "if trained, its model, which is then reused); built here by default.",
    )
    parser.add_argument(
        "--scaled-data-dir",
        type=Path,
        help="A data directory with the footprint already built at --scale.",
    )
    args = parser.parse_args(argv)
    result = run(
        RESULTS,
        full_data_dir=args.full_data_dir,
        scaled_data_dir=args.scaled_data_dir,
        scale=args.scale,
        footprint=args.footprint,
        seed=args.seed,
    )
    for line in summary_lines(result):
        print(line)


if __name__ == "__main__":
    main()
