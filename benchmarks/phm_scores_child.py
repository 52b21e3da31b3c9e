"""Child process for the score benchmark, tripleaim's side: one score, timed, JSON out.

Opens the benchmark warehouse in ``DATA_DIR`` read-only through the engine layer
(``tripleaim.warehouse.connect``, DuckDB, as ``tripleaim phm score`` does) and runs
the production score expressions of :mod:`tripleaim.phm.pipelines` on the long-format
table ``bench_diagnoses`` (``person_id``, ``code``: normalised ICD-10 codes, as
``diagnosis_codes`` gives them), joined to ``bench_persons`` (``person_id``, ``age``)
as ``person_scores`` joins ``persons``: one row per person, zeros without a mapped
code. The timed query returns what ``person_scores`` keeps (Charlson: the score and
the age-adjusted score; HFRS: the score and band) as an Arrow table, ``REPEATS``
times. Then, untimed and after the peak memory is read, the Charlson query is run
once more with all 17 flags (its time is reported) and that result is written to
``OUT`` (Parquet) for the comparison. Prints one JSON line.

    python -m benchmarks.phm_scores_child DATA_DIR charlson|hfrs OUT [REPEATS]
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pyarrow.parquet as pq

from tripleaim.phm.catalogue import catalogue
from tripleaim.phm.comorbidity_masks import comorbidity_scores
from tripleaim.phm.pipelines import (
    age_points,
    hfrs_band,
    hfrs_scores,
)
from tripleaim.settings import Settings
from tripleaim.warehouse import Engine, connect

DIAGNOSES = "bench_diagnoses"
PERSONS = "bench_persons"


def peak_rss_kb() -> int:
    """This process's peak resident set in KiB since it started (``VmHWM``).

    Not ``ru_maxrss``: on Linux a child's ``ru_maxrss`` starts from its parent's
    resident set at the fork, so it would count the benchmark's own memory.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _per_person(persons: ir.Table, scores: ir.Table) -> ir.Table:
    renamed = scores.rename(s_person_id="person_id")
    return persons.left_join(renamed, persons.person_id == renamed.s_person_id).drop(
        "s_person_id"
    )


def charlson_query(engine: Engine) -> ir.Table:
    """Charlson (Quan 2005 mapping, Charlson 1987 weights, assign0) for every person."""
    cat = catalogue()
    codelist = cat.codelist("charlson", "icd10", "quan")
    scores = comorbidity_scores(
        engine.table(DIAGNOSES),
        codelist,
        cat.weightings["charlson"],
        assign0=True,
        prefix="charlson",
    )
    joined = _per_person(engine.table(PERSONS), scores)
    zero = ibis.literal(0, "int64")
    score = joined.charlson_score.coalesce(zero)
    return joined.select(
        "person_id",
        "age",
        **{
            f"charlson_{name}": joined[f"charlson_{name}"].coalesce(zero)
            for name in codelist.categories
        },
        charlson_score=score,
        charlson_age_adjusted=score + age_points(joined.age),
    )


def hfrs_query(engine: Engine) -> ir.Table:
    """Gilbert's HFRS (each 3-character category once) and its band for every person."""
    joined = _per_person(engine.table(PERSONS), hfrs_scores(engine.table(DIAGNOSES)))
    tenths = joined.hfrs_tenths.coalesce(ibis.literal(0, "int64"))
    return joined.select(
        "person_id",
        hfrs_score=tenths.cast("float64") / 10,
        hfrs_band=hfrs_band(tenths),
    )


def timed_query(engine: Engine, score: str) -> ir.Table:
    """The columns ``person_scores`` keeps of ``score``."""
    if score == "charlson":
        return charlson_query(engine).select(
            "person_id", "age", "charlson_score", "charlson_age_adjusted"
        )
    return hfrs_query(engine)


def main() -> None:
    data_dir, score, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    catalogue()  # code lists load once per process, as comorbidipy's do on import
    engine = connect(Settings(data_dir=data_dir), "duckdb", read_only=True)
    seconds: list[float] = []
    cpu_seconds: list[float] = []
    try:
        for _ in range(repeats):
            started, cpu = time.perf_counter(), time.process_time()
            result = engine.execute(timed_query(engine, score))
            seconds.append(time.perf_counter() - started)
            cpu_seconds.append(time.process_time() - cpu)
        peak_kb = peak_rss_kb()
        persons = result.num_rows
        del result
        extra: dict[str, float] = {}
        if score == "charlson":
            started = time.perf_counter()
            result = engine.execute(charlson_query(engine))
            extra["with_flags_seconds"] = time.perf_counter() - started
            extra["with_flags_peak_rss_kb"] = peak_rss_kb()
        else:
            result = engine.execute(timed_query(engine, score))
    finally:
        engine.close()
    pq.write_table(result, out)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "persons": persons,
                "peak_rss_kb": peak_kb,
                **extra,
            }
        )
    )


if __name__ == "__main__":
    main()
