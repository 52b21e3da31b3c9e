"""Benchmark: every benchmark measure x every area x its peer group, and one full pack.

(1) ``tripleaim benchmark compute`` at full size: every peer group (the Similar 10 of
the 152 upper-tier authorities and 106 sub-ICB locations, the footprint's practices and
PCNs), then every measure for every area of its levels and every financial year, with
benchmarks, gaps and counted opportunity, stored in ``benchmark_peers`` and
``benchmark_opportunities``. Wall time of :func:`tripleaim.benchmark.compute` (split
into peers, counting + methods, and storing) and the child process's peak resident set.

(2) The deep-dive pack of one area (the footprint's first place by default): build it
(stored tables, charts for the biggest opportunities, day-case counts by quarter on the
engine), write the PDF (WeasyPrint) and the workbook. Goal: under 30 s.

Each part runs in a fresh child process on the warehouse given (``--data-dir``, as
``make bench`` passes the one it has just built) or on one built here at scale 1.0.

    python -m benchmarks.bench_benchmarking [--data-dir var] [--area E10000034]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

RESULT_FILE = "bench_benchmarking.json"
RESULTS = Path(__file__).resolve().parent / "results"
PACK_GOAL_SECONDS = 30.0


def _peak_gb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2)


def child_compute(data_dir: Path) -> dict[str, Any]:
    """One ``compute`` run, timed by part."""
    from tripleaim.benchmark import service  # noqa: PLC0415
    from tripleaim.settings import Settings  # noqa: PLC0415

    seconds: dict[str, float] = {}
    for name in ("peer_frame", "opportunity_frame"):
        original = getattr(service, name)

        def timed(*args: Any, _f: Any = original, _n: str = name, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return _f(*args, **kwargs)
            finally:
                seconds[_n] = time.perf_counter() - started

        setattr(service, name, timed)
    settings = Settings(data_dir=data_dir)
    started = time.perf_counter()
    summary = service.compute(settings)
    wall = time.perf_counter() - started
    return {
        "wall_seconds": round(wall, 2),
        "peers_seconds": round(seconds["peer_frame"], 2),
        "measures_seconds": round(seconds["opportunity_frame"], 2),
        "store_seconds": round(wall - sum(seconds.values()), 2),
        "peer_rows": summary.peer_rows,
        "measures": summary.measures,
        "opportunity_rows": summary.rows,
        "peak_memory_gb": _peak_gb(),
    }


def child_pack(data_dir: Path, area: str) -> dict[str, Any]:
    """One pack: build, PDF and workbook, timed by part."""
    from tripleaim.benchmark import build_pack, pdf, write_workbook  # noqa: PLC0415
    from tripleaim.settings import Settings  # noqa: PLC0415

    settings = Settings(data_dir=data_dir)
    started = time.perf_counter()
    pack = build_pack(settings, area)
    built = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        pages = pdf(pack, Path(folder) / "pack.pdf")
        written = time.perf_counter()
        write_workbook(pack, Path(folder) / "pack.xlsx")
    done = time.perf_counter()
    return {
        "area": area,
        "area_name": pack.area_name,
        "wall_seconds": round(done - started, 2),
        "build_seconds": round(built - started, 2),
        "pdf_seconds": round(written - built, 2),
        "xlsx_seconds": round(done - written, 2),
        "charts": len(pack.charts),
        "pdf_pages": pages,
        "peak_memory_gb": _peak_gb(),
    }


def _run_child(*args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_benchmarking", "--child", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _first_place(data_dir: Path) -> str:
    from tripleaim.warehouse.engines.duckdb import open_connection  # noqa: PLC0415

    con = open_connection(data_dir / "warehouse.duckdb", read_only=True)
    try:
        row = con.execute(
            "SELECT min(org_code) FROM organisations WHERE org_type = 'place'"
        ).fetchone()
    finally:
        con.close()
    return str(row[0]) if row else ""


def run(results: Path, *, data_dir: Path, area: str | None = None) -> dict[str, Any]:
    """Both parts on the warehouse in ``data_dir``; writes ``bench_benchmarking.json``."""
    compute = _run_child("compute", str(data_dir))
    chosen = area or _first_place(data_dir)
    pack = _run_child("pack", str(data_dir), chosen)
    result = {
        "benchmark": "benchmarking",
        "compute": compute,
        "pack": pack,
        "pack_goal": f"under {PACK_GOAL_SECONDS:.0f} s",
        "pack_meets_goal": pack["wall_seconds"] < PACK_GOAL_SECONDS,
        "machine": {
            "cpus": psutil.cpu_count(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        },
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    results.mkdir(parents=True, exist_ok=True)
    (results / RESULT_FILE).write_text(json.dumps(result, indent=2) + "\n")
    return result


def summary_lines(result: dict[str, Any]) -> list[str]:
    """Two lines for the console."""
    c, p = result["compute"], result["pack"]
    return [
        f"compute: {c['measures']} measures, {c['opportunity_rows']:,} rows, "
        f"{c['peer_rows']:,} peer rows in {c['wall_seconds']} s (peers "
        f"{c['peers_seconds']} s, measures {c['measures_seconds']} s), peak "
        f"{c['peak_memory_gb']} GB",
        f"pack {p['area']} ({p['area_name']}): {p['wall_seconds']} s (build "
        f"{p['build_seconds']}, PDF {p['pdf_seconds']}, xlsx {p['xlsx_seconds']}), "
        f"{p['pdf_pages']} pages, peak {p['peak_memory_gb']} GB (goal under 30 s: "
        f"{'met' if result['pack_meets_goal'] else 'NOT met'})",
    ]


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "--child":
        kind, data_dir, *rest = args[1:]
        if kind == "compute":
            print(json.dumps(child_compute(Path(data_dir))))
        else:
            print(json.dumps(child_pack(Path(data_dir), rest[0])))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="Warehouse to use (default: build one at scale 1.0).",
    )
    parser.add_argument(
        "--area", help="Area of the pack (default: the first footprint place)."
    )
    parsed = parser.parse_args(args)
    with tempfile.TemporaryDirectory(prefix="tripleaim-bench-") as tmp:
        data_dir = parsed.data_dir
        if data_dir is None:
            data_dir = Path(tmp)
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "benchmarks.build_child",
                    str(data_dir),
                    "herefordshire_worcestershire",
                    "1.0",
                    "20161",
                ],
                check=True,
                capture_output=True,
            )
        result = run(RESULTS, data_dir=data_dir, area=parsed.area)
    for line in summary_lines(result):
        print(line)


if __name__ == "__main__":
    main()
