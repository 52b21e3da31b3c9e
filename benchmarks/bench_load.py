"""Benchmark: the validated load of an inpatient extract against DuckDB's own ``read_csv``.

Both run in the same process on the same file: (a) ``CREATE TABLE x AS SELECT * FROM
read_csv(path)`` into a scratch database, DuckDB's fastest way in with no checks at
all; (b) ``load_file`` of the same file into a copy of the warehouse, with every rule,
reference, duplicate check and the quarantine. The goal is (b) within 2x of (a).

    python benchmarks/bench_load.py --rows 5000000            # builds its own extract
    python benchmarks/bench_load.py --warehouse var/warehouse.duckdb --csv spells.csv
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from tripleaim.warehouse.engines.duckdb import open_connection
from tripleaim.warehouse.loaders import load_file
from tripleaim.warehouse.loaders.load import london_today

GOAL_RATIO = 2.0
RESULT_FILE = "bench_load.json"


def _copy_database(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    wal = source.with_name(source.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, target.with_name(target.name + ".wal"))


def _time_read_csv(csv_path: Path, scratch: Path) -> tuple[float, int]:
    con = duckdb.connect(str(scratch / "baseline.duckdb"))
    con.execute("SET enable_progress_bar = false")
    try:
        started = time.perf_counter()
        con.execute(
            f"CREATE TABLE x AS SELECT * FROM read_csv('{csv_path.as_posix()}')"
        )
        seconds = time.perf_counter() - started
        rows = int(con.execute("SELECT count(*) FROM x").fetchall()[0][0])
    finally:
        con.close()
    return seconds, rows


def _time_load(
    warehouse_path: Path, csv_path: Path, scratch: Path, today: date
) -> tuple[float, dict[str, int]]:
    copy = scratch / "warehouse.duckdb"
    _copy_database(warehouse_path, copy)
    con = open_connection(copy)
    con.execute("SET enable_progress_bar = false")
    # A built footprint has spells of its own; the extract's keys would clash with
    # them and measure quarantine, not loading. Start from an empty table, as read_csv.
    con.execute("DELETE FROM inpatient_spells").fetchall()
    con.execute("CHECKPOINT").fetchall()
    try:
        started = time.perf_counter()
        result = load_file(con, "inpatient_spells", csv_path, today=today)
        seconds = time.perf_counter() - started
    finally:
        con.close()
    counts = {
        "rows_read": result.rows_read,
        "rows_loaded": result.rows_loaded,
        "rows_quarantined": result.rows_quarantined,
    }
    return seconds, counts


def run(
    warehouse_path: Path,
    csv_path: Path,
    results_dir: Path,
    *,
    repeats: int = 1,
    today: date | None = None,
) -> dict[str, object]:
    """Time read_csv and load_file on ``csv_path``; write and return the figures.

    Each repeat runs both, one after the other, each in a fresh scratch database,
    and the best time of each is kept (the least disturbed by other work on the
    machine). The file is read once first so both start from a warm page cache.

    Args:
        warehouse_path: A warehouse holding the persons and organisations the
            extract refers to; it is copied (its spells emptied), never changed.
        csv_path: An ``inpatient_spells`` CSV extract.
        results_dir: Where ``bench_load.json`` is written.
        repeats: How many times to run each.
        today: The load date (default: today in England).
    """
    csv_path, warehouse_path = csv_path.resolve(), warehouse_path.resolve()
    with csv_path.open("rb") as fh:
        while fh.read(1 << 24):
            pass
    baseline: list[float] = []
    ours: list[float] = []
    counts: dict[str, int] = {}
    rows = 0
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="bench_load_") as tmp:
            seconds, rows = _time_read_csv(csv_path, Path(tmp))
            baseline.append(seconds)
        with tempfile.TemporaryDirectory(prefix="bench_load_") as tmp:
            seconds, counts = _time_load(
                warehouse_path, csv_path, Path(tmp), today or london_today()
            )
            ours.append(seconds)
    best_baseline, best_ours = min(baseline), min(ours)
    figures: dict[str, object] = {
        "benchmark": "validated load vs read_csv, inpatient_spells",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "file": csv_path.name,
        "file_bytes": csv_path.stat().st_size,
        "rows": rows,
        **counts,
        "repeats": repeats,
        "read_csv_seconds": round(best_baseline, 3),
        "load_file_seconds": round(best_ours, 3),
        "read_csv_rows_per_second": round(rows / best_baseline),
        "load_file_rows_per_second": round(counts["rows_read"] / best_ours),
        "ratio": round(best_ours / best_baseline, 3),
        "goal_ratio": GOAL_RATIO,
        "within_goal": best_ours / best_baseline <= GOAL_RATIO,
        "all_read_csv_seconds": [round(s, 3) for s in baseline],
        "all_load_file_seconds": [round(s, 3) for s in ours],
        "duckdb": duckdb.__version__,
        "machine": f"{platform.machine()} {platform.system()}, python {platform.python_version()}",
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / RESULT_FILE).write_text(
        json.dumps(figures, indent=2) + "\n", encoding="utf-8"
    )
    return figures


# --- a standalone extract -------------------------------------------------------------

_TRUSTS = ("RLQ", "RWP", "RNA", "RBK")
_ICD10 = (
    "E119",
    "I10",
    "J440",
    "C509",
    "I21X",
    "N179",
    "J189",
    "R074",
    "K359",
    "S7200",
    "F03X",
    "O800",
)
_OPCS4 = ("W371", "H011", "K401", "C751", "T202", "Q073", "M451", "W401")
_FUNCTIONS = ("100", "101", "110", "300", "320", "340", "420", "430", "501")

# Ten kinds of bad row, each about 0.1% of the extract: about 1% in all.
_BAD_KINDS = (
    ("admission_date", "'2023-02-30'"),
    ("primary_diagnosis", "'E11.9'"),
    ("person_id", "'999999999'"),
    ("site_code", "'ZZZ99'"),
    ("discharge_date", "CAST(adm - 1 AS VARCHAR)"),
    ("length_of_stay", "'-1'"),
    ("day_case", "'yes'"),
    ("cost_gbp", "'1.2e3'"),
    ("spell_id", "CAST(greatest(i - 1, 1) AS VARCHAR)"),
    ("primary_diagnosis", "NULL"),
)


def seed_reference(con: duckdb.DuckDBPyConnection, persons: int) -> None:
    """Organisations and persons for a scratch warehouse, written straight to the tables."""
    con.execute(
        "INSERT INTO organisations VALUES ('QGH', 'Integrated care board', 'icb', NULL, 'QGH', NULL, NULL, NULL, NULL)"
    )
    for trust in _TRUSTS:
        con.execute(
            "INSERT INTO organisations VALUES (?, ?, 'trust', 'QGH', 'QGH', NULL, NULL, NULL, NULL), "
            "(?, ?, 'site', ?, 'QGH', NULL, NULL, NULL, NULL)",
            [trust, f"Trust {trust}", f"{trust}01", f"Site {trust}01", trust],
        )
    con.execute(
        "INSERT INTO persons SELECT range, CASE WHEN range % 2 = 0 THEN 'F' ELSE 'M' END, "
        "DATE '1930-01-01' + CAST(hash(range) % 30000 AS INTEGER), 'E01014070', 'M81001', "
        "DATE '2000-01-01', NULL, 'A' FROM range(1, ?)",
        [persons + 1],
    )
    con.execute("CHECKPOINT")


def write_inpatient_extract(
    con: duckdb.DuckDBPyConnection, path: Path, rows: int, today: date
) -> None:
    """Write ``rows`` spells for the warehouse's persons and trusts, about 1% of them bad."""

    def pick(values: tuple[str, ...], salt: int) -> str:
        return f"[{', '.join(repr(v) for v in values)}][CAST(hash(i + {salt} * 10000000000) % {len(values)} AS INTEGER) + 1]"

    good = {
        "spell_id": "CAST(i AS VARCHAR)",
        "person_id": "CAST(p.person_id AS VARCHAR)",
        "provider_code": "o.trust",
        "site_code": "o.site",
        "admission_date": "CAST(adm AS VARCHAR)",
        "discharge_date": "CAST(adm + los AS VARCHAR)",
        "admission_method": pick(
            ("elective", "emergency", "emergency", "maternity", "other"), 5
        ),
        "day_case": "CASE WHEN los = 0 AND hash(i + 6 * 10000000000) % 2 = 0 THEN 'true' ELSE 'false' END",
        "primary_diagnosis": pick(_ICD10, 7),
        "secondary_diagnoses": f"CASE WHEN hash(i + 8 * 10000000000) % 3 = 0 THEN NULL ELSE {pick(_ICD10, 9)} || ';' || {pick(_ICD10, 10)} END",
        "primary_procedure": f"CASE WHEN hash(i + 11 * 10000000000) % 2 = 0 THEN NULL ELSE {pick(_OPCS4, 12)} END",
        "secondary_procedures": f"CASE WHEN hash(i + 13 * 10000000000) % 5 = 0 THEN {pick(_OPCS4, 14)} END",
        "length_of_stay": "CAST(los AS VARCHAR)",
        "treatment_function": pick(_FUNCTIONS, 15),
        "cost_gbp": "printf('%.2f', 400 + los * 350.25 + (hash(i + 16 * 10000000000) % 10000) / 100.0)",
    }
    columns = []
    for name, expression in good.items():
        cases = [
            f"WHEN bad = {k} THEN {sql}"
            for k, (col, sql) in enumerate(_BAD_KINDS)
            if col == name
        ]
        columns.append(
            f"CASE {' '.join(cases)} ELSE {expression} END AS {name}"
            if cases
            else f"{expression} AS {name}"
        )
    con.execute(
        f"""
        COPY (
          WITH people AS (SELECT row_number() OVER () - 1 AS k, person_id FROM persons),
          orgs AS (
            SELECT row_number() OVER () - 1 AS k, t.org_code AS trust, coalesce(s.org_code, t.org_code) AS site
            FROM organisations AS t
            LEFT JOIN (SELECT parent_code, min(org_code) AS org_code FROM organisations WHERE org_type = 'site' GROUP BY 1) AS s
              ON s.parent_code = t.org_code
            WHERE t.org_type = 'trust'
          ),
          spells AS (
            SELECT range AS i,
              DATE '{today.isoformat()}' - 40 - CAST(hash(range + 2 * 10000000000) % 1800 AS INTEGER) AS adm,
              CAST(CASE WHEN hash(range + 3 * 10000000000) % 4 = 0 THEN 0 ELSE hash(range + 4 * 10000000000) % 30 END AS INTEGER) AS los,
              CASE WHEN hash(range + 1 * 10000000000) % 100 = 0 THEN CAST(hash(range + 17 * 10000000000) % 10 AS INTEGER) END AS bad,
              hash(range + 18 * 10000000000) % (SELECT count(*) FROM people) AS pk,
              hash(range + 19 * 10000000000) % (SELECT count(*) FROM orgs) AS ok
            FROM range(1, {rows + 1})
          )
          SELECT {", ".join(columns)}
          FROM spells JOIN people AS p ON p.k = spells.pk JOIN orgs AS o ON o.k = spells.ok
          ORDER BY i
        ) TO '{path.as_posix()}' (FORMAT csv, HEADER true)
        """
    )


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rows",
        type=int,
        default=1_000_000,
        help="rows of the extract to build (default 1,000,000)",
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        help="warehouse with persons and organisations (default: a scratch one)",
    )
    parser.add_argument(
        "--csv",
        type=Path,
        help="an existing inpatient_spells extract (default: build one)",
    )
    parser.add_argument("--results", type=Path, default=Path("benchmarks/results"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--persons", type=int, default=500_000, help="persons in a scratch warehouse"
    )
    args = parser.parse_args(argv)
    today = london_today()
    with tempfile.TemporaryDirectory(prefix="bench_load_data_") as tmp:
        warehouse = args.warehouse
        if warehouse is None:
            warehouse = Path(tmp) / "warehouse.duckdb"
            con = open_connection(warehouse)
            seed_reference(con, args.persons)
            con.close()
        csv_path = args.csv
        if csv_path is None:
            csv_path = Path(tmp) / "inpatient_spells.csv"
            con = duckdb.connect(str(warehouse), read_only=True)
            started = time.perf_counter()
            write_inpatient_extract(con, csv_path, args.rows, today)
            con.close()
            print(
                f"built {csv_path.name}: {args.rows:,} rows in {time.perf_counter() - started:.1f}s"
            )
        figures = run(
            warehouse, csv_path, args.results, repeats=args.repeats, today=today
        )
    print(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
