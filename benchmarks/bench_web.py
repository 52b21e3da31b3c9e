"""Benchmark: web latency and throughput under 50 concurrent clients on loopback.

Builds (or reuses) a warehouse, creates the demo accounts, starts ``tripleaim serve``
(one uvicorn process, as shipped) on a free port, signs in once as the administrator,
warms up, then runs a closed-loop load against two endpoints in turn:

* ``GET /``                  the home page (HTML, session cookie);
* ``GET /api/v1/footprint``  one JSON API read (the same session cookie).

Each of ``clients`` clients sends its next request as soon as the previous answer is
read, for ``duration`` seconds; every request's latency is kept. Reported per endpoint:
requests, errors (anything but 200), requests per second, p50/p90/p99/max latency in
ms, and the CPU both sides used (a load generator near 100% of a core would be the
bottleneck, not the server). The load generator runs in this process, separate from
the server; the server's peak resident memory is read from ``/proc`` (VmHWM).

    python -m benchmarks.bench_web                         # scale 1.0, 50 clients, 15 s
    python -m benchmarks.bench_web --scale 0.05 --duration 5
    python -m benchmarks.bench_web --data-dir var          # reuse var/warehouse.duckdb
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import httpx
import psutil

RESULT_FILE = "bench_web.json"
REPO_ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
HOST = "127.0.0.1"
USERNAME = "administrator"
PASSWORD = "administrator-demo-2026"  # noqa: S105  (the documented demo account)
SESSION_COOKIE = "tripleaim_session"
LOGIN_CSRF_COOKIE = "tripleaim_login_csrf"
ENDPOINTS = {"home": "/", "api_footprint": "/api/v1/footprint"}
LOAD_GENERATORS = ("threads", "httpx")
DEFAULT_LOAD_GENERATOR = "threads"
WARMUP_SECONDS = 3.0
REQUEST_TIMEOUT = 60.0
_CSRF_FIELD = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


# -- environment, warehouse and server -------------------------------------------------


def _tripleaim() -> str:
    beside = Path(sys.executable).with_name("tripleaim")
    found = str(beside) if beside.exists() else shutil.which("tripleaim")
    if not found:
        raise RuntimeError("The tripleaim command is not installed (run make setup).")
    return found


def _environment(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["TRIPLEAIM_DATA_DIR"] = str(data_dir)
    env.setdefault("TRIPLEAIM_SHARED_DIR", str(REPO_ROOT.parent / "shared"))
    env.setdefault("TRIPLEAIM_NODE_MODULES_DIR", str(REPO_ROOT / "node_modules"))
    return env


def _existing_warehouse(data_dir: Path) -> Path | None:
    """The directory holding ``warehouse.duckdb``: ``data_dir`` itself or ``data_dir/var``."""
    for candidate in (data_dir, data_dir / "var"):
        if (candidate / "warehouse.duckdb").exists():
            return candidate
    return None


def _run_cli(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        [_tripleaim(), *args],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"tripleaim {' '.join(args)} failed ({done.returncode}):\n"
            f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextmanager
def _server(env: dict[str, str], log_path: Path) -> Iterator[tuple[int, psutil.Popen]]:
    """``tripleaim serve`` on a free port; stopped (SIGTERM, then SIGKILL) on exit."""
    port = _free_port()
    with log_path.open("wb") as log:
        proc = psutil.Popen(
            [_tripleaim(), "serve", "--host", HOST, "--port", str(port)],
            env=env,
            cwd=REPO_ROOT,
            stdout=log,  # never a pipe: uvicorn's access log would fill it and block
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_for_health(proc, port, log_path)
            yield port, proc
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=15)


def _wait_for_health(proc: psutil.Popen, port: int, log_path: Path) -> None:
    deadline = time.monotonic() + 120
    url = f"http://{HOST}:{port}/health"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log_path.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"tripleaim serve exited ({proc.returncode}):\n{tail}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"tripleaim serve did not answer {url} within 120 s")


def _peak_rss_mb(proc: psutil.Popen) -> float | None:
    """The server's high-water resident set (VmHWM), else its current RSS."""
    try:
        status = Path(f"/proc/{proc.pid}/status").read_text()
    except OSError:
        status = ""
    match = re.search(r"^VmHWM:\s+(\d+)\s+kB", status, re.MULTILINE)
    if match:
        return round(int(match.group(1)) / 1024, 1)
    try:
        return round(int(proc.memory_info().rss) / 2**20, 1)
    except psutil.Error:
        return None


# -- sign-in ---------------------------------------------------------------------------


def _set_cookies(response: httpx.Response) -> dict[str, str]:
    """Cookies from Set-Cookie, read by hand: they are Secure and this is plain http."""
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def sign_in(base_url: str) -> str:
    """Sign in once as the demo administrator; the session cookie's value."""
    with httpx.Client(base_url=base_url, timeout=30, follow_redirects=False) as client:
        form = client.get("/login")
        form.raise_for_status()
        match = _CSRF_FIELD.search(form.text)
        csrf_cookie = _set_cookies(form).get(LOGIN_CSRF_COOKIE)
        if not match or not csrf_cookie:
            raise RuntimeError("The sign-in page has no CSRF token or cookie.")
        answer = client.post(
            "/login",
            data={
                "username": USERNAME,
                "password": PASSWORD,
                "csrf_token": match.group(1),
                "next": "/",
            },
            headers={"Cookie": f"{LOGIN_CSRF_COOKIE}={csrf_cookie}"},
        )
        session = _set_cookies(answer).get(SESSION_COOKIE)
        if answer.status_code != 303 or not session:
            raise RuntimeError(f"Sign-in failed: HTTP {answer.status_code}")
        return session


# -- load generators -------------------------------------------------------------------


@dataclass
class Samples:
    """What one load phase measured: latencies (s) and statuses (0 = transport error)."""

    latencies: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    wall: float = 0.0


def _threads_load(
    port: int, path: str, headers: dict[str, str], clients: int, duration: float
) -> Samples:
    """``clients`` threads, each with its own keep-alive ``http.client`` connection."""
    per_thread = [Samples() for _ in range(clients)]
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(out: Samples) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        clock = time.perf_counter
        start.wait()
        stop = deadline[0]
        try:
            while True:
                began = clock()
                if began >= stop:
                    break
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection(
                        HOST, port, timeout=REQUEST_TIMEOUT
                    )
                    status = 0
                out.latencies.append(clock() - began)
                out.statuses.append(status)
        finally:
            conn.close()

    threads = [
        threading.Thread(target=client, args=(s,), daemon=True) for s in per_thread
    ]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + duration
    start.wait()
    for thread in threads:
        thread.join()
    merged = Samples(wall=time.perf_counter() - began)
    for s in per_thread:
        merged.latencies.extend(s.latencies)
        merged.statuses.extend(s.statuses)
    return merged


async def _httpx_load_async(
    port: int, path: str, headers: dict[str, str], clients: int, duration: float
) -> Samples:
    """``clients`` tasks sharing one ``httpx.AsyncClient`` (HTTP/1.1, pool >= clients)."""
    out = Samples()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=f"http://{HOST}:{port}",
        headers=headers,
        limits=limits,
        http1=True,
        http2=False,
        timeout=REQUEST_TIMEOUT,
    ) as client:
        clock = time.perf_counter
        began = clock()
        stop = began + duration

        async def one_client() -> None:
            while True:
                t0 = clock()
                if t0 >= stop:
                    return
                try:
                    response = await client.get(path)
                    status = response.status_code
                except httpx.HTTPError:
                    status = 0
                out.latencies.append(clock() - t0)
                out.statuses.append(status)

        await asyncio.gather(*(one_client() for _ in range(clients)))
        out.wall = clock() - began
    return out


def _httpx_load(
    port: int, path: str, headers: dict[str, str], clients: int, duration: float
) -> Samples:
    return asyncio.run(_httpx_load_async(port, path, headers, clients, duration))


_GENERATORS: dict[str, Callable[[int, str, dict[str, str], int, float], Samples]] = {
    "threads": _threads_load,
    "httpx": _httpx_load,
}
_GENERATOR_NAMES = {
    "threads": "http.client, one keep-alive connection per thread",
    "httpx": "httpx.AsyncClient, one client, HTTP/1.1 pool of `clients` connections",
}


# -- measuring -------------------------------------------------------------------------


def _percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n * q / 100)
    return ordered[min(len(ordered), int(rank)) - 1]


def _cpu_seconds(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return float(times.user + times.system)


def _phase(
    generator: str,
    port: int,
    path: str,
    headers: dict[str, str],
    clients: int,
    duration: float,
    server: psutil.Popen,
) -> dict[str, Any]:
    me = psutil.Process()
    server_cpu, my_cpu = _cpu_seconds(server), _cpu_seconds(me)
    samples = _GENERATORS[generator](port, path, headers, clients, duration)
    server_cpu = _cpu_seconds(server) - server_cpu
    my_cpu = _cpu_seconds(me) - my_cpu
    ordered = sorted(samples.latencies)
    n = len(ordered)
    errors = sum(1 for s in samples.statuses if s != 200)
    codes: dict[str, int] = {}
    for s in samples.statuses:
        if s != 200:
            codes[str(s or "transport")] = codes.get(str(s or "transport"), 0) + 1

    def ms(x: float) -> float:
        return round(x * 1000, 2)

    return {
        "path": path,
        "requests": n,
        "errors": errors,
        "error_statuses": codes,
        "seconds": round(samples.wall, 2),
        "requests_per_second": round(n / samples.wall, 1) if samples.wall else 0.0,
        "latency_ms": {
            "p50": ms(_percentile(ordered, 50)),
            "p90": ms(_percentile(ordered, 90)),
            "p99": ms(_percentile(ordered, 99)),
            "max": ms(ordered[-1]) if ordered else float("nan"),
            "mean": ms(sum(ordered) / n) if n else float("nan"),
        },
        # Share of one core over the phase: the server is one process (one GIL); the
        # load generator near 100% would mean the client, not the server, is the limit.
        "server_cpu_percent": round(100 * server_cpu / samples.wall, 1),
        "load_generator_cpu_percent": round(100 * my_cpu / samples.wall, 1),
    }


def machine() -> dict[str, object]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": psutil.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
    }


# -- the benchmark ---------------------------------------------------------------------


def run(
    results_dir: Path,
    *,
    scale: float = 1.0,
    clients: int = 50,
    duration: float = 15.0,
    data_dir: Path | None = None,
    load_generator: str = DEFAULT_LOAD_GENERATOR,
    warmup: float = WARMUP_SECONDS,
) -> dict[str, Any]:
    """Run the web benchmark; write ``results_dir/bench_web.json`` and return it."""
    if load_generator not in _GENERATORS:
        raise ValueError(f"load_generator must be one of {', '.join(_GENERATORS)}")
    load_before = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="tripleaim-bench-web-") as tmp:
        reused = _existing_warehouse(data_dir) if data_dir is not None else None
        target = reused or data_dir or Path(tmp) / "data"
        target.mkdir(parents=True, exist_ok=True)
        env = _environment(target.resolve())
        build_seconds = None
        if reused is None:
            print(f"Building the warehouse at scale {scale} in {target} ...")
            started = time.perf_counter()
            _run_cli(["generate", "--scale", str(scale)], env)
            build_seconds = round(time.perf_counter() - started, 1)
        else:
            print(f"Reusing the warehouse in {reused}")
        _run_cli(["users", "demo"], env)

        with _server(env, Path(tmp) / "serve.log") as (port, server):
            base_url = f"http://{HOST}:{port}"
            cookie = sign_in(base_url)
            headers = {"Cookie": f"{SESSION_COOKIE}={cookie}"}
            footprint = httpx.get(
                base_url + ENDPOINTS["api_footprint"], headers=headers, timeout=120
            )
            footprint.raise_for_status()  # also computes and caches the overview
            population = footprint.json().get("total_population")
            endpoints: dict[str, Any] = {}
            for name, path in ENDPOINTS.items():
                if warmup > 0:
                    _GENERATORS[load_generator](port, path, headers, clients, warmup)
                print(f"Load: GET {path}, {clients} clients, {duration:g} s ...")
                endpoints[name] = _phase(
                    load_generator, port, path, headers, clients, duration, server
                )
                print(_summary_line(name, endpoints[name]))
            peak_rss = _peak_rss_mb(server)
    load_after = [round(x, 2) for x in os.getloadavg()]

    result: dict[str, Any] = {
        "benchmark": "web",
        "goal": "p50/p99 latency and requests per second for the home page and one "
        f"JSON API read at {clients} concurrent clients on loopback",
        "server": "tripleaim serve (one uvicorn process, access log to a file)",
        "load_generator": f"{load_generator}: {_GENERATOR_NAMES[load_generator]}; "
        "closed loop, in the bench process (separate from the server)",
        "load_generator_choice": "http.client threads drove 2-3x more API requests "
        "per second than one httpx.AsyncClient on a 2-core machine, at a fraction of "
        "a core; the load_generator_cpu_percent per endpoint shows it is not the limit",
        "clients": clients,
        "duration_seconds": duration,
        "warmup_seconds_per_endpoint": warmup,
        "scale": None if reused else scale,
        "warehouse_reused": reused is not None,
        "warehouse_build_seconds": build_seconds,
        "total_population": population,
        "signed_in_as": USERNAME,
        "latency_note": "per request, from send to last byte read; all requests "
        "(errors included); nearest-rank percentiles",
        "endpoints": endpoints,
        "server_peak_rss_mb": peak_rss,
        "machine": machine(),
        # Other work on the machine competes with server and client for 2 cores.
        "load_average_1_5_15_min": {"before": load_before, "after": load_after},
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / RESULT_FILE).write_text(json.dumps(result, indent=2) + "\n")
    return result


def _summary_line(name: str, r: dict[str, Any]) -> str:
    lat = r["latency_ms"]
    return (
        f"  {name:14} {r['requests_per_second']:>8} req/s  p50 {lat['p50']} ms  "
        f"p90 {lat['p90']} ms  p99 {lat['p99']} ms  max {lat['max']} ms  "
        f"({r['requests']} requests, {r['errors']} errors; CPU server "
        f"{r['server_cpu_percent']}%, load generator {r['load_generator_cpu_percent']}%)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="Footprint scale.")
    parser.add_argument("--clients", type=int, default=50, help="Concurrent clients.")
    parser.add_argument(
        "--duration", type=float, default=15.0, help="Seconds of load per endpoint."
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="Reuse the warehouse here (DIR/warehouse.duckdb or DIR/var/warehouse.duckdb); "
        "built here if absent. Default: a temporary directory.",
    )
    parser.add_argument(
        "--load-generator", choices=LOAD_GENERATORS, default=DEFAULT_LOAD_GENERATOR
    )
    parser.add_argument(
        "--warmup", type=float, default=WARMUP_SECONDS, help="Warm-up seconds."
    )
    parser.add_argument("--results-dir", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    result = run(
        args.results_dir,
        scale=args.scale,
        clients=args.clients,
        duration=args.duration,
        data_dir=args.data_dir,
        load_generator=args.load_generator,
        warmup=args.warmup,
    )
    print(f"Server peak RSS {result['server_peak_rss_mb']} MB")
    print(f"Wrote {args.results_dir / RESULT_FILE}")


if __name__ == "__main__":
    main()
