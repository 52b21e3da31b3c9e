"""Benchmark: the full indicator profile at full size and at ten times the population.

The full profile is every shipped indicator x every footprint area x every level x
every financial year, computed and stored by
:func:`tripleaim.indicators.service.compute_profiles` (``tripleaim profiles``). Each
run is a fresh child process (``benchmarks/profile_child.py``) on a scratch copy of
the warehouse, so the source warehouse is never written. Per run we keep the wall time
of ``compute_profiles`` itself (open the engine, count, run the methods, replace
``indicator_values``; Python start-up and imports excluded, and reported separately
as the process wall time), its split into counting on the engine
(``compute_aggregates``), the methods (``profiles``) and the rest, the rows written,
and the child's peak resident set (``getrusage`` of the child itself). The best
(fastest) of ``repeats`` runs is reported, with every run listed. Goal: under 10 s at
full size.

Full size: the footprint at scale 1.0 (seed 20161), built in a child process
(``build_child``) unless a warehouse is given (``--data-dir``; ``make bench`` passes the
one it has just built).

Ten times the population: ``generate`` at scale 10 does not fit this machine. The
build holds the whole footprint in memory before writing it (scale 1.0 peaks at
2.9 GB); tried once on the 2-core, 23 GB machine with a watchdog on the resident set,
it reached the 17 GB limit and was stopped 177 s in, inside the prescribing step (12
million rows at scale 1.0), with the assembly and the write still to come. So the 10x
warehouse is
the full-size one replicated ten times inside DuckDB (:func:`replicate_population`):
every person-level table (``persons``, ``person_identity``, ``conditions``,
``deaths``, ``births``, ``inpatient_spells``, ``ae_attendances``,
``outpatient_appointments``, ``prescribing``) gets nine more copies of its rows, with
copy ``k`` (0 = the original) adding ``k x stride`` to every id: person ids (every
``person_id``, ``mother_person_id`` and ``baby_person_id``) by one stride, and
``spell_id``, ``attendance_id``, ``appointment_id`` and ``birth_id`` by a stride each,
where a stride is the largest id of its kind plus one, so every key stays unique and
every reference points into its own copy. NHS numbers and names are copied unchanged
(no indicator reads them). Practices, LSOAs, organisations and the national
comparators are not copied: the same footprint with ten times the people in it, so
every area's counts are exactly ten times the full-size ones. The engine counts ten
times the rows; the methods see the same number of areas and groups as at full size.

    python -m benchmarks.bench_indicators                     # build scale 1.0, then 1x and 10x
    python -m benchmarks.bench_indicators --data-dir var      # reuse var/warehouse.duckdb
    python -m benchmarks.bench_indicators --skip-10x          # or TRIPLEAIM_BENCH_SKIP_10X=1
    python -m benchmarks.bench_indicators --spark             # also Spark at full size
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from tripleaim.settings import Settings
from tripleaim.warehouse.engines.duckdb import open_connection

RESULT_FILE = "bench_indicators.json"
RESULTS = Path(__file__).resolve().parent / "results"
GOAL_SECONDS = 10.0
FACTOR = 10
SKIP_10X_ENV = "TRIPLEAIM_BENCH_SKIP_10X"
MIN_FREE_GB_10X = 8.0
"""Below this much available memory the 10x part is skipped (and says why)."""
SPARK_TIMEOUT = 600.0
FOOTPRINT = "herefordshire_worcestershire"
SEED = 20161

PERSON_ID = "person"
REPLICATED: dict[str, dict[str, str]] = {
    "persons": {"person_id": PERSON_ID},
    "person_identity": {"person_id": PERSON_ID},
    "conditions": {"person_id": PERSON_ID},
    "deaths": {"person_id": PERSON_ID},
    "births": {
        "birth_id": "birth_id",
        "mother_person_id": PERSON_ID,
        "baby_person_id": PERSON_ID,
    },
    "inpatient_spells": {"spell_id": "spell_id", "person_id": PERSON_ID},
    "ae_attendances": {"attendance_id": "attendance_id", "person_id": PERSON_ID},
    "outpatient_appointments": {
        "appointment_id": "appointment_id",
        "person_id": PERSON_ID,
    },
    "prescribing": {"person_id": PERSON_ID},
}
"""Person-level tables copied for 10x, and the id family of each offset column."""


def machine() -> dict[str, object]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": psutil.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
    }


def _warehouse_dir(data_dir: Path) -> Path:
    """The directory holding ``warehouse.duckdb``: ``data_dir`` or ``data_dir/var``."""
    for candidate in (data_dir, data_dir / "var"):
        if (candidate / "warehouse.duckdb").exists():
            return candidate
    raise FileNotFoundError(f"no warehouse.duckdb in {data_dir} or {data_dir}/var")


def _copy_warehouse(source_dir: Path, target_dir: Path) -> None:
    target_dir.mkdir(parents=True, exist_ok=True)
    for name in ("warehouse.duckdb", "warehouse.duckdb.wal"):
        if (source_dir / name).exists():
            shutil.copyfile(source_dir / name, target_dir / name)


def build_full_size(data_dir: Path, scale: float = 1.0) -> dict[str, Any]:
    """Build the footprint into ``data_dir`` in a child process (the build benchmark's)."""
    started = time.perf_counter()
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.build_child",
            str(data_dir),
            FOOTPRINT,
            str(scale),
            str(SEED),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    child = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "wall_seconds": round(time.perf_counter() - started, 2),
        "rows": int(sum(child["rows"].values())),
    }


def table_rows(warehouse_dir: Path) -> dict[str, int]:
    con = open_connection(warehouse_dir / "warehouse.duckdb", read_only=True)
    try:
        return {
            name: int(con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0])
            for name in REPLICATED
        }
    finally:
        con.close()


def built_scale(warehouse_dir: Path) -> float | None:
    """The ``scale`` build fact of the warehouse (None if it has none)."""
    con = open_connection(warehouse_dir / "warehouse.duckdb", read_only=True)
    try:
        found = con.execute(
            "SELECT value FROM build_facts WHERE key = 'scale'"
        ).fetchall()
    finally:
        con.close()
    return float(found[0][0]) if found else None


def replicate_population(
    warehouse_dir: Path, factor: int = FACTOR, memory_limit: str = "4GB"
) -> dict[str, Any]:
    """Turn the warehouse in ``warehouse_dir`` into ``factor`` copies of its people.

    Every table in ``REPLICATED`` gains ``factor - 1`` copies of its rows; copy ``k``
    adds ``k x stride`` to each id column, the stride of an id family being its
    largest id plus one. Everything else is left as it is. Returns the strides and
    the seconds taken.
    """
    started = time.perf_counter()
    con = open_connection(warehouse_dir / "warehouse.duckdb", memory_limit=memory_limit)
    try:
        con.execute("SET preserve_insertion_order = false")
        families: dict[str, list[str]] = {}
        for table, columns in REPLICATED.items():
            for column, family in columns.items():
                families.setdefault(family, []).append(
                    f'SELECT max("{column}") AS m FROM "{table}"'
                )
        strides: dict[str, int] = {}
        for family, selects in families.items():
            largest = con.execute(
                f"SELECT max(m) FROM ({' UNION ALL '.join(selects)})"
            ).fetchall()[0][0]
            strides[family] = int(largest) + 1
        con.execute("BEGIN TRANSACTION")
        for table, columns in REPLICATED.items():
            names = [
                row[0]
                for row in con.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = ? ORDER BY ordinal_position",
                    [table],
                ).fetchall()
            ]
            select = ", ".join(
                f'"{n}" + copy * {strides[columns[n]]}' if n in columns else f'"{n}"'
                for n in names
            )
            con.execute(
                f'INSERT INTO "{table}" SELECT {select} FROM "{table}", '
                f"range(1, {factor}) AS copies(copy)"
            )
        con.execute(
            "UPDATE build_facts SET value = ? WHERE key = 'scale'", [f"{factor}.0"]
        )
        con.execute(
            "INSERT INTO build_facts VALUES ('scale_method', ?)",
            [f"scale 1.0 replicated {factor} times (benchmarks.bench_indicators)"],
        )
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return {
        "strides": strides,
        "seconds": round(time.perf_counter() - started, 2),
    }


UNIQUE_KEYS = {
    "persons": "person_id",
    "person_identity": "person_id",
    "births": "birth_id",
    "inpatient_spells": "spell_id",
    "ae_attendances": "attendance_id",
    "outpatient_appointments": "appointment_id",
}
"""Ids unique at full size, which must stay unique after replication."""


def check_ten_times(full: Path, x10: Path, factor: int = FACTOR) -> dict[str, Any]:
    """Keys still unique at 10x, and how many stored counts are exactly ``factor``x.

    Compares ``indicator_values`` of the two warehouses row by row (indicator, level,
    area, period): the share of rows with a non-zero numerator (denominator) at full
    size whose 10x numerator (denominator) is exactly ``factor`` times it.
    """
    con = open_connection(x10 / "warehouse.duckdb", read_only=True)
    try:
        duplicated = {
            table: int(
                con.execute(
                    f'SELECT count(*) - count(DISTINCT "{key}") FROM "{table}"'
                ).fetchall()[0][0]
            )
            for table, key in UNIQUE_KEYS.items()
        }
        con.execute(
            f"ATTACH '{(full / 'warehouse.duckdb').as_posix()}' AS one (READ_ONLY)"
        )
        ratios = {}
        for column in ("numerator", "denominator"):
            same, total = con.execute(
                f"SELECT count(*) FILTER (WHERE abs(t.{column} - {factor} * o.{column})"
                f" <= 1e-9 * abs(t.{column})), count(*) "
                "FROM indicator_values t JOIN one.indicator_values o "
                "USING (indicator_id, area_level, area_code, period) "
                f"WHERE o.{column} IS NOT NULL AND o.{column} <> 0"
            ).fetchall()[0]
            ratios[f"{column}s_exactly_{factor}x"] = f"{same} of {total}"
    finally:
        con.close()
    return {"duplicate_keys": duplicated, **ratios}


def profile_once(
    data_dir: Path, engine: str = "duckdb", timeout: float | None = None
) -> dict[str, Any]:
    """One ``compute_profiles`` run in a fresh child process."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.profile_child", str(data_dir), engine],
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    wall = time.perf_counter() - started
    child = json.loads(out.stdout.strip().splitlines()[-1])
    run = {
        "seconds": round(child["seconds"], 2),
        "counting_seconds": round(child["counting_seconds"], 2),
        "methods_seconds": round(child["methods_seconds"], 2),
        "other_seconds": round(child["other_seconds"], 2),
        "process_wall_seconds": round(wall, 2),
        "peak_rss_gb": round(child["peak_rss_kb"] / 2**20, 3),
        "rows": child["rows"],
        "indicators": child["indicators"],
        "periods": child["periods"],
        "load_average_1m_before": round(load, 2),
    }
    if engine == "spark":
        run["jvm_peak_rss_gb"] = round(child["descendants_peak_rss_kb"] / 2**20, 3)
    return run


def profile_best_of(
    data_dir: Path,
    repeats: int,
    engine: str = "duckdb",
    label: str = "",
    timeout: float | None = None,
) -> dict[str, Any]:
    runs = []
    for number in range(repeats):
        runs.append(profile_once(data_dir, engine, timeout))
        print(
            f"    {label} run {number + 1}/{repeats}: {runs[-1]['seconds']} s "
            f"(counting {runs[-1]['counting_seconds']} s, methods "
            f"{runs[-1]['methods_seconds']} s), peak {runs[-1]['peak_rss_gb']} GB",
            flush=True,
        )
    best = min(runs, key=lambda run: run["seconds"])
    return {
        "best_of": repeats,
        **best,
        "peak_rss_gb_max_over_runs": max(run["peak_rss_gb"] for run in runs),
        "runs": runs,
    }


def skip_10x_reason(skip: bool) -> str | None:
    if skip:
        return "skipped: --skip-10x"
    if os.environ.get(SKIP_10X_ENV, "").strip() not in ("", "0"):
        return f"skipped: {SKIP_10X_ENV} is set"
    available = psutil.virtual_memory().available / 2**30
    if available < MIN_FREE_GB_10X:
        return (
            f"skipped: {available:.1f} GB available, the 10x part wants "
            f"{MIN_FREE_GB_10X:.0f} GB"
        )
    return None


def run(
    results_dir: Path = RESULTS,
    *,
    data_dir: Path | None = None,
    repeats: int = 3,
    repeats_10x: int = 2,
    skip_10x: bool = False,
    spark: bool = False,
    work_dir: Path | None = None,
) -> dict[str, Any]:
    """Time the full profile at full size (and 10x, and Spark); write the JSON result.

    Args:
        results_dir: Where ``bench_indicators.json`` goes.
        data_dir: A directory holding a full-size ``warehouse.duckdb`` (or
            ``var/warehouse.duckdb``); built at scale 1.0 when absent.
        repeats: Full-size runs; the fastest is reported.
        repeats_10x: 10x runs; the fastest is reported.
        skip_10x: Leave out the 10x part.
        spark: Also time the Spark engine at full size (one run, after a Parquet
            export).
        work_dir: Scratch space (a temporary directory by default).
    """
    results_dir.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {
        "benchmark": "indicator_profiles",
        "what": "compute_profiles: all indicators x areas x levels x periods, stored",
        "goal": f"under {GOAL_SECONDS:.0f} s at full size",
        "timing": "seconds = compute_profiles wall time in a fresh child process "
        "(Python start-up and imports excluded; process_wall_seconds includes them); "
        "peak_rss_gb = the child's own maximum resident set (jvm_peak_rss_gb, "
        "Spark only: its JVM's, sampled every 0.2 s); best (fastest) of best_of "
        "runs, every run listed",
        "settings": {
            "duckdb_memory_limit": Settings().duckdb_memory_limit,
            "duckdb_threads": Settings().duckdb_threads or "all cores",
        },
    }
    with tempfile.TemporaryDirectory(
        prefix="tripleaim-bench-ind-", dir=work_dir
    ) as tmp:
        scratch = Path(tmp)
        if data_dir is None:
            source = scratch / "source"
            print("    building the footprint at scale 1.0 ...", flush=True)
            result["full_size_build"] = build_full_size(source)
        else:
            source = _warehouse_dir(data_dir)
        full = scratch / "full"
        _copy_warehouse(source, full)
        rows = table_rows(full)
        scale = built_scale(full)
        print("    full size ...", flush=True)
        result["full_size"] = {
            "scale": scale,
            "person_level_rows": sum(rows.values()),
            "rows_by_table": rows,
            **profile_best_of(full, repeats, label="1x"),
        }
        result["full_size"]["meets_goal"] = (
            result["full_size"]["seconds"] < GOAL_SECONDS if scale == 1.0 else None
        )
        if spark:
            result["spark_full_size"] = _spark(full)
        reason = skip_10x_reason(skip_10x)
        if reason is not None:
            result["ten_times"] = {"status": reason}
        else:
            x10 = scratch / "x10"
            _copy_warehouse(full, x10)
            print(f"    replicating the population {FACTOR} times ...", flush=True)
            replication = replicate_population(x10, FACTOR)
            rows_10x = table_rows(x10)
            print("    10x population ...", flush=True)
            result["ten_times"] = {
                "scale": None if scale is None else scale * FACTOR,
                "how": (
                    f"generate(scale={FACTOR}) does not fit in memory here (probe "
                    "stopped at its 17 GB resident limit 177 s in, inside the "
                    "prescribing step, before assembly and write); the scale 1.0 "
                    f"warehouse's person-level tables were replicated {FACTOR} times "
                    "in DuckDB, copy k adding k x stride to every person, spell, "
                    "attendance, appointment and birth id (stride = largest id + 1); "
                    "practices, LSOAs, organisations and national comparators "
                    "unchanged; see benchmarks/bench_indicators.py"
                ),
                "replicated_tables": list(REPLICATED),
                "id_strides": replication["strides"],
                "replication_seconds": replication["seconds"],
                "person_level_rows": sum(rows_10x.values()),
                "rows_by_table": rows_10x,
                **profile_best_of(x10, repeats_10x, label="10x"),
            }
            result["ten_times"]["checks"] = check_ten_times(full, x10)
    result["machine"] = machine()
    result["load_average_1m"] = round(os.getloadavg()[0], 2)
    result["run_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    (results_dir / RESULT_FILE).write_text(json.dumps(result, indent=2) + "\n")
    return result


def _spark(full: Path) -> dict[str, Any]:
    """One Spark run at full size, after exporting the warehouse to Parquet."""
    from tripleaim.warehouse.service import export_parquet  # noqa: PLC0415

    print("    Spark: exporting Parquet ...", flush=True)
    started = time.perf_counter()
    export_parquet(Settings(data_dir=full))
    export_seconds = round(time.perf_counter() - started, 2)
    print("    Spark: full size ...", flush=True)
    try:
        return {
            "export_seconds": export_seconds,
            **profile_best_of(
                full, 1, engine="spark", label="spark", timeout=SPARK_TIMEOUT
            ),
        }
    except subprocess.CalledProcessError as error:
        return {"status": f"failed: {error.stderr[-2000:]}"}
    except subprocess.TimeoutExpired:
        return {"status": f"stopped after {SPARK_TIMEOUT:.0f} s"}


def summary_lines(result: dict[str, Any]) -> list[str]:
    """A readable summary of a result."""
    full = result["full_size"]
    lines = [
        f"full size (scale {full['scale']}): {full['seconds']} s (counting {full['counting_seconds']} s, methods "
        f"{full['methods_seconds']} s, other {full['other_seconds']} s; process "
        f"{full['process_wall_seconds']} s), peak {full['peak_rss_gb']} GB, "
        f"{full['rows']:,} rows, {full['indicators']} indicators x "
        f"{len(full['periods'])} periods, best of {full['best_of']} "
        f"(goal under {GOAL_SECONDS:.0f} s at scale 1.0: "
        f"{ {True: 'met', False: 'NOT met', None: 'not judged'}[full['meets_goal']] })"
    ]
    ten = result["ten_times"]
    if "seconds" in ten:
        lines.append(
            f"10x population ({ten['person_level_rows']:,} person-level rows, "
            f"replicated in {ten['replication_seconds']} s): {ten['seconds']} s "
            f"(counting {ten['counting_seconds']} s, methods {ten['methods_seconds']} s, "
            f"other {ten['other_seconds']} s; process {ten['process_wall_seconds']} s), "
            f"peak {ten['peak_rss_gb']} GB, {ten['rows']:,} rows, best of {ten['best_of']}"
        )
        checks = ten["checks"]
        lines.append(
            f"10x checks: duplicate keys {sum(checks['duplicate_keys'].values())}, "
            f"numerators exactly {FACTOR}x: {checks[f'numerators_exactly_{FACTOR}x']}, "
            f"denominators: {checks[f'denominators_exactly_{FACTOR}x']}"
        )
    else:
        lines.append(f"10x population: {ten['status']}")
    spark = result.get("spark_full_size")
    if spark is not None:
        if "seconds" in spark:
            lines.append(
                f"Spark full size: {spark['seconds']} s (counting "
                f"{spark['counting_seconds']} s, methods {spark['methods_seconds']} s; "
                f"Parquet export {spark['export_seconds']} s), driver peak "
                f"{spark['peak_rss_gb']} GB, JVM peak {spark.get('jvm_peak_rss_gb')} GB, "
                f"{spark['rows']:,} rows, one run"
            )
        else:
            lines.append(f"Spark full size: {spark['status']}")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="Reuse the full-size warehouse here (DIR/warehouse.duckdb or "
        "DIR/var/warehouse.duckdb; only copies are written); built when absent.",
    )
    parser.add_argument("--repeats", type=int, default=3, help="Full-size runs.")
    parser.add_argument("--repeats-10x", type=int, default=2, help="10x runs.")
    parser.add_argument(
        "--skip-10x",
        action="store_true",
        help=f"Leave out the 10x population (also {SKIP_10X_ENV}=1).",
    )
    parser.add_argument(
        "--spark", action="store_true", help="Also time Spark at full size."
    )
    parser.add_argument("--work-dir", type=Path, help="Scratch space (default: /tmp).")
    args = parser.parse_args(argv)
    result = run(
        RESULTS,
        data_dir=args.data_dir,
        repeats=args.repeats,
        repeats_10x=args.repeats_10x,
        skip_10x=args.skip_10x,
        spark=args.spark,
        work_dir=args.work_dir,
    )
    for line in summary_lines(result):
        print(line)


if __name__ == "__main__":
    main()
