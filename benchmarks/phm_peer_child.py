"""Child process for the score benchmark, comorbidipy's side (runs in the peer venv).

Standalone: imports only polars and comorbidipy 0.8.0 (Python 3.13+), never tripleaim.
Reads the benchmark's Parquet input (``person_id``, ``code``, ``age``) into a polars
DataFrame (not timed), then times the peer's public call:

* ``charlson``: ``comorbidity(score="charlson", icd="icd10", variant="quan",
  weighting="charlson", assign0=True, age_col="age")``.
* ``hfrs``: ``hfrs()`` as shipped (0.8 counts two codes of one 3-character category
  twice).
* ``hfrs_3char``: ``hfrs()`` on codes cut to their 3-character category first (strip,
  upper-case, first 3 characters, as the comorbidipy fixtures' ``hfrs_score_3char``):
  each category once per person, Gilbert's method; the cut is timed too.

Prints one JSON line: the seconds of each run and this process's peak resident set
(read before the last result is written to ``OUT``, Parquet, for the comparison).

    PEER_PYTHON benchmarks/phm_peer_child.py INPUT charlson|hfrs|hfrs_3char OUT [REPEATS]
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import polars as pl
from comorbidipy import comorbidity, hfrs


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


def charlson(df: pl.DataFrame) -> pl.DataFrame:
    return comorbidity(
        df,
        id_col="person_id",
        code_col="code",
        age_col="age",
        score="charlson",
        icd="icd10",
        variant="quan",
        weighting="charlson",
        assign0=True,
    )


def hfrs_as_shipped(df: pl.DataFrame) -> pl.DataFrame:
    return hfrs(df, id_col="person_id", code_col="code")


def hfrs_3char(df: pl.DataFrame) -> pl.DataFrame:
    cut = df.with_columns(
        pl.col("code").str.strip_chars().str.to_uppercase().str.slice(0, 3)
    )
    return hfrs(cut, id_col="person_id", code_col="code")


CALLS = {"charlson": charlson, "hfrs": hfrs_as_shipped, "hfrs_3char": hfrs_3char}


def main() -> None:
    source, score, out = sys.argv[1], sys.argv[2], sys.argv[3]
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    df = pl.read_parquet(source)
    seconds: list[float] = []
    cpu_seconds: list[float] = []
    for _ in range(repeats):
        started, cpu = time.perf_counter(), time.process_time()
        result = CALLS[score](df)
        seconds.append(time.perf_counter() - started)
        cpu_seconds.append(time.process_time() - cpu)
    peak_kb = peak_rss_kb()
    result.write_parquet(out)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "persons": result.height,
                "peak_rss_kb": peak_kb,
                "versions": {"polars": pl.__version__},
            }
        )
    )


if __name__ == "__main__":
    main()
