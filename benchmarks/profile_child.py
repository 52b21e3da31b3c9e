"""Child process for the indicator benchmark: one ``compute_profiles`` run, JSON summary.

Runs :func:`tripleaim.indicators.service.compute_profiles` unchanged on the warehouse
in ``data_dir`` and prints one JSON line: its wall time, the rows it wrote, the split
between counting on the engine (``compute_aggregates``), the methods (``profiles``)
and the rest (opening the engine, listing the years, storing ``indicator_values``),
this process's peak resident set and, sampled every 0.2 s, the largest summed
resident set of its child processes (Spark's JVM; none for DuckDB). The split comes from wrapping the three
functions ``compute_profiles`` calls by name in its module, so the code path timed is
the shipped one.

    python -m benchmarks.profile_child DATA_DIR [duckdb|spark]
"""

from __future__ import annotations

import functools
import json
import resource
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

from tripleaim.indicators import service
from tripleaim.settings import Settings


def _timed(
    function: Callable[..., Any], seconds: dict[str, float], key: str
) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[key] = seconds.get(key, 0.0) + time.perf_counter() - started

    return wrapper


class DescendantsPeak:
    """Largest summed resident set of this process's descendants, sampled."""

    def __init__(self, interval: float = 0.2) -> None:
        self.peak = 0
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(self._interval):
            total = 0
            for child in me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)

    def __enter__(self) -> DescendantsPeak:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    data_dir = Path(sys.argv[1])
    engine = sys.argv[2] if len(sys.argv) > 2 else "duckdb"
    settings = Settings(data_dir=data_dir)
    seconds: dict[str, float] = {}
    for name, key in (("compute_aggregates", "counting"), ("profiles", "methods")):
        setattr(service, name, _timed(getattr(service, name), seconds, key))
    with DescendantsPeak() as descendants:
        summary = service.compute_profiles(settings, engine)
    print(
        json.dumps(
            {
                "engine": summary.engine,
                "seconds": summary.seconds,
                "counting_seconds": seconds.get("counting", 0.0),
                "methods_seconds": seconds.get("methods", 0.0),
                "other_seconds": summary.seconds - sum(seconds.values()),
                "rows": summary.rows,
                "indicators": summary.indicators,
                "periods": list(summary.periods),
                "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "descendants_peak_rss_kb": descendants.peak // 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
