"""Synthetic footprints built once per test run: the real-size one and a small one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tripleaim import warehouse
from tripleaim.settings import Settings

SHARED = Path(__file__).resolve().parents[3] / "shared"


def _build(tmp: Path, scale: float, seed: int) -> Settings:
    settings = Settings(
        data_dir=tmp, shared_dir=SHARED, environment="test", scale=scale, seed=seed
    )
    warehouse.generate(settings)
    return settings


@pytest.fixture(scope="session")
def full_footprint(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Herefordshire and Worcestershire at real size (scale 1.0), as `make demo` builds it."""
    return _build(tmp_path_factory.mktemp("full"), 1.0, 20161)


@pytest.fixture(scope="session")
def small_footprint(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The same footprint at scale 0.02 (about 16,000 people), for quick end-to-end checks."""
    return _build(tmp_path_factory.mktemp("small"), 0.02, 7)


@pytest.fixture(scope="session")
def full_db(full_footprint: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the full footprint."""
    con = duckdb.connect(str(full_footprint.warehouse_path), read_only=True)
    yield con
    con.close()
