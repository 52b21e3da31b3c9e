"""``make bench``: time the footprint build and the validated loader; write JSON results.

(a) Building the full demo footprint in a fresh process: wall time, rows per second and
peak memory (goal: under 60 s and 4 GB on a 2-core machine).
(b) The validated load of a 5-million-row inpatient extract against DuckDB's own
``read_csv`` of the same file, in the same run (goal: within 2x; ``bench_load.py``).
(c) Indicator methods against PHEindicatormethods' timings on this machine (DSR for 10,000
areas, Wilson for 190,000 groups; ``bench_methods.py``).
(c2) XmR charts for 1,000 KPIs x 36 months against NHSRplotthedots (``bench_spc.py``).
(c3) The monthly board report for the whole partnership, to PDF (goal under 30 s;
``bench_report.py``).
(d) The web app: p50/p99 latency and requests per second for the home page and one JSON
API read at 50 concurrent clients on loopback (``bench_web.py``).
(e) The full indicator profile (every indicator x area x level x period, computed and
stored) on the footprint just built and on ten times its population: wall time, its
split between counting and methods, and peak memory (goal: under 10 s at full size;
``bench_indicators.py``). (f) Benchmarking: every measure x area x peer group, and the
deep-dive pack of one area (goal: the pack under 30 s; ``bench_benchmarking.py``).
``--skip-10x`` or ``TRIPLEAIM_BENCH_SKIP_10X=1`` leaves out the
10x part (about 1.5 GB of scratch disk, 2 GB of memory and a few minutes).
(f2) The programme pages (overview, a project, a period) at 50 concurrent readers
(``bench_delivery_web.py``).
(h) PHM scores: Charlson and HFRS for a million persons against comorbidipy 0.8.0 in
its own venv (``bench_phm_scores.py``). (i) The whole PHM pipeline at full size and
for about 1.5 million persons (``bench_phm_pipeline.py``).

    python -m benchmarks.run [--rows 5000000] [--footprint herefordshire_worcestershire]
                             [--skip-10x] [--spark] [phm]

``phm`` (``make bench ARGS="phm"``) runs (h) and (i) only.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil

from benchmarks import (
    bench_benchmarking,
    bench_delivery_web,
    bench_indicators,
    bench_load,
    bench_methods,
    bench_phm_pipeline,
    bench_phm_scores,
    bench_web,
)
from benchmarks.bench_report import run as run_report
from benchmarks.bench_spc import run as run_spc
from tripleaim.warehouse.engines.duckdb import open_connection
from tripleaim.warehouse.loaders.load import london_today

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> dict[str, object]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": psutil.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
    }


def bench_build(
    data_dir: Path, footprint: str, scale: float, seed: int
) -> dict[str, object]:
    """Build in a child process; peak memory is the child's maximum resident set."""
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
    wall = time.perf_counter() - started
    peak_gb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20
    child = json.loads(out.stdout.strip().splitlines()[-1])
    rows = int(sum(child["rows"].values()))
    result = {
        "benchmark": "build_footprint",
        "footprint": footprint,
        "scale": scale,
        "seed": seed,
        "wall_seconds": round(wall, 2),
        "build_seconds": round(child["seconds_in_build"], 2),
        "rows_written": rows,
        "rows_per_second": round(rows / wall),
        "peak_memory_gb": round(peak_gb, 2),
        "goal": "under 60 s and under 4 GB",
        "meets_goal": wall < 60 and peak_gb < 4,
        "rows_by_table": child["rows"],
        "machine": machine(),
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    (RESULTS / "build_footprint.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rows", type=int, default=5_000_000, help="Rows in the inpatient extract."
    )
    parser.add_argument("--footprint", default="herefordshire_worcestershire")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=20161)
    parser.add_argument(
        "--clients",
        type=int,
        default=50,
        help="Concurrent clients for the web benchmark.",
    )
    parser.add_argument(
        "--duration", type=float, default=15.0, help="Seconds of load per web endpoint."
    )
    parser.add_argument(
        "--repeats", type=int, default=2, help="Loader timing repeats (best kept)."
    )
    parser.add_argument(
        "--profile-repeats",
        type=int,
        default=3,
        help="Full-size indicator profile runs (best kept); 10x runs are two.",
    )
    parser.add_argument(
        "--skip-10x",
        action="store_true",
        help="Leave out the 10x-population indicator profile "
        f"(also {bench_indicators.SKIP_10X_ENV}=1).",
    )
    parser.add_argument(
        "--spark",
        action="store_true",
        help="Also time the indicator profile on Spark at full size.",
    )
    parser.add_argument(
        "only",
        nargs="?",
        choices=["phm"],
        help="Run only these benchmarks (phm: PHM scores and pipeline).",
    )
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.only:
        run_phm(None, args.footprint, args.seed)
        return
    with tempfile.TemporaryDirectory(prefix="tripleaim-bench-") as tmp:
        data_dir = Path(tmp)
        build = bench_build(data_dir, args.footprint, args.scale, args.seed)
        print(
            f"(a) build {build['footprint']} x{build['scale']}: {build['wall_seconds']} s wall, "
            f"{build['rows_written']:,} rows, {build['rows_per_second']:,} rows/s, peak {build['peak_memory_gb']} GB "
            f"(goal under 60 s and 4 GB: {'met' if build['meets_goal'] else 'NOT met'})"
        )
        warehouse_path = data_dir / "warehouse.duckdb"
        csv_path = data_dir / "inpatient_spells_bench.csv"
        con = open_connection(warehouse_path)
        try:
            bench_load.write_inpatient_extract(con, csv_path, args.rows, london_today())
        finally:
            con.close()
        load = bench_load.run(warehouse_path, csv_path, RESULTS, repeats=args.repeats)
        print(f"(b) load {args.rows:,} inpatient rows: {json.dumps(load, default=str)}")
        csv_path.unlink()
        methods = bench_methods.run(RESULTS)
        print(f"(c) indicator methods: {json.dumps(methods, default=str)[:600]}")
        print(f"(c2) SPC, 1,000 KPIs x 36 months: {json.dumps(run_spc(RESULTS))[:600]}")
        print(f"(c3) board report: {json.dumps(run_report(RESULTS))[:600]}")
        web = bench_web.run(
            RESULTS,
            scale=args.scale,
            clients=args.clients,
            duration=args.duration,
            data_dir=data_dir,
        )
        print(
            f"(d) web at {args.clients} concurrent clients: {json.dumps(web.get('endpoints', web), default=str)}"
        )
        delivery = bench_delivery_web.run(
            RESULTS, clients=args.clients, duration=args.duration, data_dir=data_dir
        )
        print(
            f"(f2) programme pages at {args.clients} concurrent clients: {json.dumps(delivery['endpoints'], default=str)}"
        )
        print("(e) indicator profiles:")
        indicators = bench_indicators.run(
            RESULTS,
            data_dir=data_dir,
            repeats=args.profile_repeats,
            skip_10x=args.skip_10x,
            spark=args.spark,
        )
        for line in bench_indicators.summary_lines(indicators):
            print(f"    {line}")
        print("(f) benchmarking (every measure x area x peer group; one pack):")
        for line in bench_benchmarking.summary_lines(
            bench_benchmarking.run(RESULTS, data_dir=data_dir)
        ):
            print(f"    {line}")
        run_phm(data_dir if args.scale == 1.0 else None, args.footprint, args.seed)


def run_phm(full_data_dir: Path | None, footprint: str, seed: int) -> None:
    """(h) and (i); ``full_data_dir`` is a footprint already built at scale 1.0."""
    print("(h) PHM scores against comorbidipy 0.8.0:")
    for line in bench_phm_scores.summary_lines(bench_phm_scores.run(RESULTS)):
        print(f"    {line}")
    print("(i) PHM pipeline:")
    pipeline = bench_phm_pipeline.run(
        RESULTS, full_data_dir=full_data_dir, footprint=footprint, seed=seed
    )
    for line in bench_phm_pipeline.summary_lines(pipeline):
        print(f"    {line}")


if __name__ == "__main__":
    main()
