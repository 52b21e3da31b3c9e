"""Benchmark: Charlson and HFRS for a million persons against comorbidipy 0.8.0, same run.

Workload (seeded, synthetic): ``--persons`` persons (default 1,000,000), each with
1 + Poisson(7) ICD-10 codes (about 8; 8 million rows) and an age from 0 to 100.
A fifth of the codes come from the Charlson (Quan 2005) code list, a fifth from the
109 HFRS categories (each with a 4th character, or ``X``) and the rest are noise
codes (a letter, two digits and a digit, some of which map by chance). Codes are
normalised (upper case, no dot), as ``diagnosis_codes`` gives them and as the
comorbidipy fixtures feed the peer.

Both sides read the same Parquet file. tripleaim's: the rows go into a DuckDB
warehouse file (not timed) and a fresh child process (``phm_scores_child``) opens it
read-only through the engine layer and runs the production expressions, one row per
person with what ``person_scores`` keeps (Charlson: score and age-adjusted score;
HFRS: score and band). comorbidipy's: a child in its own Python 3.13 virtualenv
(``benchmarks/.peer-venv``, created here from ``peer-requirements.txt``) reads the
Parquet into polars (not timed) and calls the peer (``phm_peer_child``), which
returns its flags and scores. Each child runs its score ``--repeats`` times; the
children run ``--rounds`` times, each side in turn, so that a change in the machine's
load hits both; the best time is kept. Peak memory is the child's peak resident set
(``ru_maxrss``: both are single processes; read before the output is written), the
largest over the rounds; the process tree is also sampled every 0.2 s, for the record.

Output must be identical per person. tripleaim's child runs the Charlson query once
more with all 17 flags (untimed for the goal; its time is reported), and the flags,
score and age-adjusted score are compared. HFRS is compared with the peer run on
codes cut to their 3-character category (Gilbert's method: each category once per
person; comorbidipy 0.8 counts a category twice when two of its codes appear, so its
as-shipped score is timed but is not the target). The goal: at least 3x faster than
the faster peer call, at no more peak memory.

    python -m benchmarks.bench_phm_scores [--persons 1000000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import psutil
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from benchmarks.profile_child import DescendantsPeak
from tripleaim.phm.catalogue import catalogue
from tripleaim.warehouse.engines.duckdb import open_connection

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
RESULT_FILE = "bench_phm_scores.json"
PEER_VENV = HERE / ".peer-venv"
PEER_REQUIREMENTS = HERE / "peer-requirements.txt"
PEER_PYTHON_ENV = "TRIPLEAIM_PEER_PYTHON"
DEFAULT_PEER_PYTHON = "/root/.pyenv/versions/3.13.0/bin/python3.13"
PERSONS = 1_000_000
EXTRA_CODES = 7
"""Codes per person: 1 + Poisson(7), about 8."""
SHARES = (0.2, 0.2, 0.6)
"""Charlson, HFRS and noise codes."""
SEED = 6
GOAL_SPEEDUP = 3.0
REFERENCE = {
    "charlson": {"seconds": 1.1, "peak_memory_gb": 0.9},
    "hfrs": {"seconds": 2.0, "peak_memory_gb": 2.1},
}
"""comorbidipy 0.8.0 on this machine, unloaded (issue 6)."""


def code_vocabulary() -> tuple[list[str], list[str], list[str]]:
    """Distinct codes to draw from: Charlson (Quan), HFRS and noise, each sorted."""
    cat = catalogue()
    charlson: set[str] = set()
    for category in cat.codelist("charlson", "icd10", "quan").categories.values():
        for pattern in category.codes:
            if len(pattern) == 3:
                charlson.update(pattern + str(d) for d in range(10))
            else:
                charlson.add(pattern)
                charlson.update(pattern + str(d) for d in range(3))
    hfrs: set[str] = set()
    for category3 in cat.hfrs.weights:
        hfrs.update(category3 + str(d) for d in range(10))
        hfrs.add(category3 + "X")
    noise = {
        f"{letter}{number:02d}{digit}"
        for letter in "ABCDEFGHIJKLMNOPQRSTVWXYZ"
        for number in range(100)
        for digit in range(10)
    }
    return sorted(charlson), sorted(hfrs), sorted(noise)


def workload(persons: int = PERSONS, seed: int = SEED) -> pa.Table:
    """Long-format rows ``person_id`` (1..persons), ``code``, ``age``; person order."""
    rng = np.random.default_rng(seed)
    pools = code_vocabulary()
    words = pa.array([code for pool in pools for code in pool], pa.string())
    sizes = np.array([len(pool) for pool in pools], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    counts = 1 + rng.poisson(EXTRA_CODES, persons)
    rows = int(counts.sum())
    kind = rng.choice(len(pools), size=rows, p=SHARES)
    index = offsets[kind] + (rng.random(rows) * sizes[kind]).astype(np.int64)
    codes = pa.DictionaryArray.from_arrays(pa.array(index.astype(np.int32)), words)
    ages = rng.integers(0, 101, persons)
    return pa.table(
        {
            "person_id": np.repeat(np.arange(1, persons + 1, dtype=np.int64), counts),
            "code": codes.cast(pa.string()),
            "age": np.repeat(ages, counts),
        }
    )


def write_warehouse(data_dir: Path, source: Path) -> None:
    """The rows as ``bench_diagnoses`` and ``bench_persons`` in a warehouse file."""
    con = open_connection(data_dir / "warehouse.duckdb")
    try:
        con.execute("SET enable_progress_bar = false")
        path = source.as_posix()
        con.execute(
            "CREATE TABLE bench_diagnoses AS SELECT person_id, code "
            f"FROM read_parquet('{path}')"
        )
        con.execute(
            "CREATE TABLE bench_persons AS SELECT person_id, max(age) AS age "
            f"FROM read_parquet('{path}') GROUP BY person_id ORDER BY person_id"
        )
    finally:
        con.close()


def _requirements_digest() -> str:
    return hashlib.sha256(PEER_REQUIREMENTS.read_bytes()).hexdigest()


def peer_python(venv: Path = PEER_VENV) -> Path:
    """The peer venv's interpreter, creating the venv (pinned) when it is missing or stale."""
    python = venv / "bin" / "python"
    marker = venv / "requirements.sha256"
    digest = _requirements_digest()
    if python.exists() and marker.exists() and marker.read_text() == digest:
        return python
    base = os.environ.get(PEER_PYTHON_ENV, DEFAULT_PEER_PYTHON)
    if not Path(base).exists():
        raise SystemExit(
            f"comorbidipy 0.8 needs Python 3.13 or newer: none at {base} "
            f"(set {PEER_PYTHON_ENV})."
        )
    subprocess.run([base, "-m", "venv", "--clear", str(venv)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "-r", str(PEER_REQUIREMENTS)],
        check=True,
    )
    marker.write_text(digest)
    return python


def run_child(command: list[str]) -> dict[str, Any]:
    """Run a benchmark child once: its JSON line, plus its process tree sampled."""
    started = time.perf_counter()
    with DescendantsPeak() as tree:
        out = subprocess.run(command, check=True, capture_output=True, text=True)
    child: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    child["process_seconds"] = time.perf_counter() - started
    child["tree_peak_kb"] = tree.peak // 1024
    return child


def merge_rounds(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Best time over every run of every round; the largest peak memory of any round."""
    seconds = [s for r in rounds for s in r["seconds"]]
    merged: dict[str, Any] = {
        "best_seconds": round(min(seconds), 3),
        "seconds": [round(s, 3) for s in seconds],
        "best_cpu_seconds": round(min(c for r in rounds for c in r["cpu_seconds"]), 3),
        "peak_memory_gb": round(max(r["peak_rss_kb"] for r in rounds) / 2**20, 3),
        "sampled_tree_peak_gb": round(
            max(r["tree_peak_kb"] for r in rounds) / 2**20, 3
        ),
        "persons": rounds[0]["persons"],
    }
    if "with_flags_seconds" in rounds[0]:
        merged["with_all_flags_best_seconds"] = round(
            min(r["with_flags_seconds"] for r in rounds), 3
        )
        merged["with_all_flags_peak_memory_gb"] = round(
            max(r["with_flags_peak_rss_kb"] for r in rounds) / 2**20, 3
        )
    return merged


def _column(table: pa.Table, name: str) -> np.ndarray:
    return np.asarray(table.column(name).to_numpy(zero_copy_only=False))


def compare_charlson(ours: pa.Table, peer: pa.Table) -> dict[str, Any]:
    """Persons whose flags, score or age-adjusted score differ (0 when identical)."""
    ours = ours.sort_by("person_id")
    peer = peer.sort_by("person_id")
    same_persons = ours.column("person_id").equals(peer.column("person_id"))
    differing: dict[str, int] = {}
    if same_persons:
        names = list(catalogue().codelist("charlson", "icd10", "quan").categories)
        pairs = [(f"charlson_{n}", n) for n in names] + [
            ("charlson_score", "comorbidity_score"),
            ("charlson_age_adjusted", "age_adj_comorbidity_score"),
        ]
        for mine, theirs in pairs:
            a, b = _column(ours, mine), _column(peer, theirs)
            differing[mine] = int(
                np.count_nonzero(~np.isclose(a, b, rtol=0, atol=1e-9))
            )
    return {
        "persons": ours.num_rows,
        "peer_persons": peer.num_rows,
        "same_persons": same_persons,
        "differing_by_column": differing,
        "identical": same_persons and not any(differing.values()),
    }


def compare_hfrs(
    ours: pa.Table, peer_3char: pa.Table, peer_shipped: pa.Table
) -> dict[str, Any]:
    """Ours against the peer on 3-character codes; how often 0.8 as shipped differs."""
    ours = ours.sort_by("person_id")
    target = peer_3char.sort_by("person_id")
    shipped = peer_shipped.sort_by("person_id")
    same_persons = ours.column("person_id").equals(target.column("person_id"))
    result: dict[str, Any] = {
        "persons": ours.num_rows,
        "peer_persons": target.num_rows,
        "same_persons": same_persons,
    }
    if same_persons:
        score = _column(ours, "hfrs_score")
        band = pc.utf8_lower(ours.column("hfrs_band")).to_pylist()
        peer_band = pc.utf8_lower(target.column("hfrs_category")).to_pylist()
        result["differing_score"] = int(
            np.count_nonzero(
                ~np.isclose(score, _column(target, "hfrs_score"), rtol=0, atol=1e-9)
            )
        )
        differs = np.array([a != b for a, b in zip(band, peer_band, strict=True)])
        bands = catalogue().hfrs.bands
        cuts = (bands.intermediate_from, bands.high_above)
        peer_score = _column(target, "hfrs_score")
        on_cut = np.zeros(len(peer_score), dtype=bool)
        for cut in cuts:
            on_cut |= np.isclose(peer_score, cut, rtol=0, atol=1e-9)
        # polars sums floats in a varying order: a person whose exact score is on a
        # cut point (5.0 or 15.0) can come out a hair below or above it in the peer.
        result["differing_band_peer_float_at_cut"] = int(
            np.count_nonzero(differs & on_cut)
        )
        result["differing_band"] = int(np.count_nonzero(differs & ~on_cut))
        result["identical"] = not (
            result["differing_score"] or result["differing_band"]
        )
    else:
        result["identical"] = False
    if shipped.column("person_id").equals(target.column("person_id")):
        result["peer_as_shipped_differs_from_gilbert"] = int(
            np.count_nonzero(
                ~np.isclose(
                    _column(shipped, "hfrs_score"),
                    _column(target, "hfrs_score"),
                    rtol=0,
                    atol=1e-9,
                )
            )
        )
    return result


def _goal(ours: dict[str, Any], peers: list[dict[str, Any]]) -> dict[str, Any]:
    fastest = min(p["best_seconds"] for p in peers)
    leanest = min(p["peak_memory_gb"] for p in peers)
    speedup = fastest / ours["best_seconds"] if ours["best_seconds"] else None
    cpu = min(p["best_cpu_seconds"] for p in peers) / ours["best_cpu_seconds"]
    return {
        "cpu_time_ratio_vs_leanest_peer_call": round(cpu, 2),
        "speedup_vs_fastest_peer_call": None if speedup is None else round(speedup, 2),
        "memory_ratio_vs_leanest_peer_call": round(ours["peak_memory_gb"] / leanest, 2),
        "meets_goal": speedup is not None
        and speedup >= GOAL_SPEEDUP
        and ours["peak_memory_gb"] <= leanest,
    }


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def run(
    results_dir: Path = RESULTS,
    *,
    persons: int = PERSONS,
    repeats: int = 3,
    rounds: int = 2,
    seed: int = SEED,
) -> dict[str, Any]:
    """Build the workload, run both sides, compare, write ``bench_phm_scores.json``."""
    python = str(peer_python())
    peer_script = str(HERE / "phm_peer_child.py")
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="tripleaim-phm-bench-") as tmp:
        work = Path(tmp)
        source = work / "diagnoses.parquet"
        table = workload(persons, seed)
        rows = table.num_rows
        distinct_codes = len(pc.unique(table.column("code")))
        pq.write_table(table, source)
        del table
        write_warehouse(work, source)
        commands = {
            f"tripleaim_{score}": [
                sys.executable,
                "-m",
                "benchmarks.phm_scores_child",
                str(work),
                score,
                str(work / f"tripleaim_{score}.parquet"),
                str(repeats),
            ]
            for score in ("charlson", "hfrs")
        }
        for call in ("charlson", "hfrs", "hfrs_3char"):
            out = work / f"peer_{call}.parquet"
            commands[f"comorbidipy_{call}"] = [
                python,
                peer_script,
                str(source),
                call,
                str(out),
                str(repeats),
            ]
        order = [
            "tripleaim_charlson",
            "comorbidipy_charlson",
            "tripleaim_hfrs",
            "comorbidipy_hfrs",
            "comorbidipy_hfrs_3char",
        ]
        samples: dict[str, list[dict[str, Any]]] = {name: [] for name in order}
        for _ in range(rounds):
            for name in order:
                samples[name].append(run_child(commands[name]))
        runs = {name: merge_rounds(samples[name]) for name in order}
        read = {
            name: pq.read_table(work / f"{name}.parquet")
            for name in (
                "tripleaim_charlson",
                "tripleaim_hfrs",
                "peer_charlson",
                "peer_hfrs",
                "peer_hfrs_3char",
            )
        }
    charlson = {
        "tripleaim": runs["tripleaim_charlson"],
        "comorbidipy": runs["comorbidipy_charlson"],
        **_goal(runs["tripleaim_charlson"], [runs["comorbidipy_charlson"]]),
        "output": compare_charlson(read["tripleaim_charlson"], read["peer_charlson"]),
    }
    hfrs = {
        "tripleaim": runs["tripleaim_hfrs"],
        "comorbidipy_as_shipped": runs["comorbidipy_hfrs"],
        "comorbidipy_3char": runs["comorbidipy_hfrs_3char"],
        **_goal(
            runs["tripleaim_hfrs"],
            [runs["comorbidipy_hfrs"], runs["comorbidipy_hfrs_3char"]],
        ),
        "output": compare_hfrs(
            read["tripleaim_hfrs"], read["peer_hfrs_3char"], read["peer_hfrs"]
        ),
    }
    for part in (charlson, hfrs):
        part["meets_goal"] = part["meets_goal"] and part["output"]["identical"]
    result = {
        "benchmark": "bench_phm_scores",
        "workload": {
            "persons": persons,
            "rows": rows,
            "distinct_codes": distinct_codes,
            "codes_per_person": "1 + Poisson(7)",
            "shares_charlson_hfrs_noise": list(SHARES),
            "seed": seed,
            "repeats_per_child": repeats,
            "rounds": rounds,
        },
        "charlson_quan": charlson,
        "hfrs": hfrs,
        "goal": "at least 3x faster than comorbidipy 0.8.0 at no more peak memory, "
        "identical output",
        "reference_unloaded": REFERENCE,
        "load_average_before_after": [load_before, load_average()],
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": psutil.cpu_count(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        },
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / RESULT_FILE).write_text(json.dumps(result, indent=2) + "\n")
    return result


def summary_lines(result: dict[str, Any]) -> list[str]:
    lines = []
    for key, title, peer_key in (
        ("charlson_quan", "Charlson (Quan)", "comorbidipy"),
        ("hfrs", "HFRS (Gilbert)", "comorbidipy_as_shipped"),
    ):
        part = result[key]
        ours, peer = part["tripleaim"], part[peer_key]
        lines.append(
            f"{title}: tripleaim {ours['best_seconds']} s, {ours['peak_memory_gb']} GB; "
            f"comorbidipy {peer['best_seconds']} s, {peer['peak_memory_gb']} GB; "
            f"{part['speedup_vs_fastest_peer_call']}x faster, identical: "
            f"{part['output']['identical']} (goal {'met' if part['meets_goal'] else 'NOT met'})"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=PERSONS)
    parser.add_argument(
        "--repeats", type=int, default=3, help="Runs of a score in each child."
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="Rounds of children, each side in turn (a machine's load changes).",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    result = run(
        RESULTS,
        persons=args.persons,
        repeats=args.repeats,
        rounds=args.rounds,
        seed=args.seed,
    )
    for line in summary_lines(result):
        print(line)


if __name__ == "__main__":
    main()
