"""A migrated SQLite store holding the demo programme, fresh for each test (about 1 s)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from tripleaim.delivery import Actor, load_demo
from tripleaim.settings import Settings
from tripleaim.warehouse.store import Store, migrate, open_store

PMO = Actor("pmo.officer", "pmo_officer", "QGH", "127.0.0.1")
LEAD = Actor("project.lead", "programme_director", "QGH", "127.0.0.1")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """The demo programme in a fresh store."""
    settings = Settings(data_dir=tmp_path / "var", environment="test")
    migrate(settings)
    result = open_store(settings)
    with result.session() as session:
        load_demo(session)
    yield result
    result.dispose()


def cells(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Every value of every sheet (hidden metadata included)."""
    book = load_workbook(io.BytesIO(content))
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in book}


def edit(content: bytes, change: Callable[[Workbook], None]) -> bytes:
    """The workbook after ``change`` (what a person does in Excel)."""
    book = load_workbook(io.BytesIO(content))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row_of(ws: Any, *keys: Any) -> int:
    """The first row whose leading cells are ``keys``."""
    for row in range(2, ws.max_row + 1):
        if all(ws.cell(row=row, column=i + 1).value == k for i, k in enumerate(keys)):
            return row
    raise AssertionError(f"no row {keys} in {ws.title}")
