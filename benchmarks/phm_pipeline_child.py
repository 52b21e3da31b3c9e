"""Child process for the PHM pipeline benchmark: one step on a built warehouse, JSON out.

``train`` trains the risk model (``tripleaim phm train``); ``pipeline`` runs what
``tripleaim phm score`` and ``tripleaim phm segment`` run, in that order: every
person's scores, their risk from the trained model, and their segments (with the
summaries by area and the segment x risk matrix). Each call is the shipped one,
unchanged. Prints one JSON line: seconds per step, persons, this process's peak
resident set and, sampled, the largest summed resident set of its descendants (none
on DuckDB).

    python -m benchmarks.phm_pipeline_child DATA_DIR train|pipeline
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from benchmarks.phm_scores_child import peak_rss_kb
from benchmarks.profile_child import DescendantsPeak
from tripleaim.phm import score_population, train_risk_model
from tripleaim.phm.segmenting import segment_population
from tripleaim.settings import Settings


def train(settings: Settings) -> dict[str, object]:
    summary = train_risk_model(settings)
    return {
        "train_seconds": summary.seconds,
        "persons": summary.persons,
        "chosen": summary.chosen,
        "holdout_c_statistic": summary.holdout.get("c_statistic"),
    }


def pipeline(settings: Settings) -> dict[str, object]:
    started = time.perf_counter()
    scores, risk = score_population(settings)
    scored = time.perf_counter()
    segments = segment_population(settings)
    done = time.perf_counter()
    if risk is None:
        raise SystemExit("No trained risk model: run the train step first.")
    return {
        "seconds": done - started,
        "score_and_risk_seconds": scored - started,
        "scores_seconds": scores.seconds,
        "risk_seconds": risk.seconds,
        "segment_seconds": done - scored,
        "persons_scored": scores.persons,
        "persons_with_risk": risk.persons,
        "persons_segmented": segments.persons,
    }


def main() -> None:
    data_dir, step = Path(sys.argv[1]), sys.argv[2]
    settings = Settings(data_dir=data_dir)
    steps = {"train": train, "pipeline": pipeline}
    with DescendantsPeak() as descendants:
        result = steps[step](settings)
    result["peak_rss_kb"] = peak_rss_kb()
    result["descendants_peak_rss_kb"] = descendants.peak // 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
