"""Loading and quarantine services for the CLI and web: open the warehouse, call the loaders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from tripleaim.errors import LoadError, NotFoundError, UserError
from tripleaim.settings import Settings
from tripleaim.warehouse.loaders import (
    EXTENSIONS,
    LoadResult,
    load_file,
    quarantine,
    write_extract,
)
from tripleaim.warehouse.schema import LOADABLE_TABLES, table
from tripleaim.warehouse.service import warehouse


def plan(paths: Sequence[Path], table_name: str | None) -> list[tuple[str, Path]]:
    """Pair each file with its table, expanding folders, in dependency order.

    A folder contributes every ``<table>.csv`` / ``<table>.parquet`` it holds; files are
    loaded reference tables first, then people, then activity, so references resolve.
    """
    pairs: list[tuple[str, Path]] = []
    for path in paths:
        if path.is_dir():
            found = [
                p
                for p in sorted(path.iterdir())
                if p.suffix.lower() in EXTENSIONS and p.stem in LOADABLE_TABLES
            ]
            if not found:
                raise NotFoundError(
                    f"{path} holds no extracts named <table>.csv or <table>.parquet."
                )
            pairs += [(p.stem, p) for p in found]
        else:
            name = table_name or path.name.split(".")[0]
            pairs.append((table(name).name, path))
    if table_name and len(pairs) > 1 and any(p.is_dir() for p in paths):
        raise UserError(
            "--table applies to files, not folders: name folder files after their tables."
        )
    return sorted(pairs, key=lambda pair: LOADABLE_TABLES.index(pair[0]))


def load_paths(
    settings: Settings, paths: Sequence[Path], *, table: str | None = None
) -> list[LoadResult]:
    """Load each extract in its own transaction; a rejected file stops the run with its reason."""
    pairs = plan(paths, table)
    results = []
    with warehouse(settings) as con:
        for name, path in pairs:
            try:
                results.append(load_file(con, name, path))
            except LoadError as exc:
                done = (
                    f" ({len(results)} earlier file(s) loaded and kept)"
                    if results
                    else ""
                )
                raise LoadError(f"{exc}{done}") from exc
    return results


def batches(settings: Settings) -> list[dict[str, Any]]:
    """Every load batch, oldest first."""
    with warehouse(settings, read_only=True) as con:
        return [asdict(b) for b in quarantine.list_batches(con)]


def quarantined(
    settings: Settings, batch_id: int, limit: int | None
) -> list[dict[str, Any]]:
    """Quarantined rows of one batch."""
    with warehouse(settings, read_only=True) as con:
        return list(quarantine.show(con, batch_id, limit).to_pylist())


def export_quarantine(settings: Settings, path: Path, batch_id: int | None) -> int:
    """Write quarantined rows (all, or one batch) to CSV; returns the row count."""
    with warehouse(settings, read_only=True) as con:
        return quarantine.export(con, batch_id, path)


def export_extracts(settings: Settings, directory: Path, fmt: str) -> list[Path]:
    """Write every non-empty loadable table as ``<table>.<fmt>`` in the load format."""
    if fmt not in ("csv", "parquet"):
        raise UserError(f"Unknown extract format {fmt!r}; choose csv or parquet.")
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    with warehouse(settings, read_only=True) as con:
        for name in LOADABLE_TABLES:
            path = directory / f"{name}.{fmt}"
            write_extract(con, name, path, "csv" if fmt == "csv" else "parquet")
            written.append(path)
    return written
