"""What each engine cannot do, as data (Ibis compilers declare ``UNSUPPORTED_OPS``).

An operation listed here raises ``EngineNotSupportedError`` before any work starts.
"""

from __future__ import annotations

UNSUPPORTED: dict[str, dict[str, str]] = {
    "duckdb": {},
    "spark": {
        "load extracts": (
            "validated loading writes the embedded DuckDB warehouse in one transaction; "
            "Spark reads the warehouse as Parquet exported by `tripleaim export`."
        ),
    },
}
