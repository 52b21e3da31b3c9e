"""Benchmark: the programme pages under 50 concurrent readers on loopback.

The same method as ``bench_web.py`` (one ``tripleaim serve`` process, a closed loop of
``clients`` keep-alive clients in this process, every latency kept), on the delivery
pages a board member or PMO officer reads: the programme overview, the biggest project
page (medicines optimisation: nine savings lines) and the open period's returns. The
demo programme is loaded with ``tripleaim delivery demo``; a small warehouse (scale
0.02 by default) is built only because ``tripleaim serve`` needs one.

    python -m benchmarks.bench_delivery_web                     # 50 clients, 15 s a page
    python -m benchmarks.bench_delivery_web --duration 5 --data-dir var
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from benchmarks import bench_web
from benchmarks.bench_web import HOST, SESSION_COOKIE

RESULT_FILE = "bench_delivery_web.json"
RESULTS = Path(__file__).resolve().parent / "results"
ENDPOINTS = {
    "programme": "/delivery",
    "project": "/delivery/projects/medicines_optimisation",
    "period": "/delivery/periods/2018-03",
    "kpis": "/delivery/kpis",
    "finance": "/delivery/finance",
    "triple_aim": "/delivery/triple-aim",
}


def run(
    results_dir: Path,
    *,
    scale: float = 0.02,
    clients: int = 50,
    duration: float = 15.0,
    data_dir: Path | None = None,
    warmup: float = bench_web.WARMUP_SECONDS,
) -> dict[str, Any]:
    """Run the benchmark; write ``results_dir/bench_delivery_web.json`` and return it."""
    generator = bench_web.DEFAULT_LOAD_GENERATOR
    load_before = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="tripleaim-bench-delivery-") as tmp:
        reused = bench_web._existing_warehouse(data_dir) if data_dir else None
        target = reused or data_dir or Path(tmp) / "data"
        target.mkdir(parents=True, exist_ok=True)
        env = bench_web._environment(target.resolve())
        if reused is None:
            bench_web._run_cli(["generate", "--scale", str(scale)], env)
        bench_web._run_cli(["users", "demo"], env)
        started = time.perf_counter()
        bench_web._run_cli(["delivery", "demo"], env)
        seed_seconds = round(time.perf_counter() - started, 2)
        with bench_web._server(env, Path(tmp) / "serve.log") as (port, server):
            base_url = f"http://{HOST}:{port}"
            headers = {"Cookie": f"{SESSION_COOKIE}={bench_web.sign_in(base_url)}"}
            endpoints: dict[str, Any] = {}
            for name, path in ENDPOINTS.items():
                first = httpx.get(base_url + path, headers=headers, timeout=60)
                first.raise_for_status()
                if warmup > 0:
                    bench_web._GENERATORS[generator](
                        port, path, headers, clients, warmup
                    )
                print(f"Load: GET {path}, {clients} clients, {duration:g} s ...")
                endpoints[name] = bench_web._phase(
                    generator, port, path, headers, clients, duration, server
                )
                endpoints[name]["page_bytes"] = len(first.content)
                print(bench_web._summary_line(name, endpoints[name]))
            peak_rss = bench_web._peak_rss_mb(server)
    result: dict[str, Any] = {
        "benchmark": "delivery_web",
        "goal": f"a {clients}-concurrent-user read benchmark of the programme pages",
        "server": "tripleaim serve (one uvicorn process, SQLite store)",
        "load_generator": f"{generator}: {bench_web._GENERATOR_NAMES[generator]}",
        "clients": clients,
        "duration_seconds": duration,
        "warmup_seconds_per_endpoint": warmup,
        "demo_programme_load_seconds": seed_seconds,
        "signed_in_as": bench_web.USERNAME,
        "endpoints": endpoints,
        "server_peak_rss_mb": peak_rss,
        "machine": bench_web.machine(),
        "load_average_1_5_15_min": {
            "before": load_before,
            "after": [round(x, 2) for x in os.getloadavg()],
        },
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / RESULT_FILE).write_text(json.dumps(result, indent=2) + "\n")
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=0.02)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=bench_web.WARMUP_SECONDS)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--results-dir", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    run(
        args.results_dir,
        scale=args.scale,
        clients=args.clients,
        duration=args.duration,
        data_dir=args.data_dir,
        warmup=args.warmup,
    )


if __name__ == "__main__":
    main()
