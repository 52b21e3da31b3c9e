"""Fixtures shared by every test category."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from tripleaim.settings import Settings

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(autouse=True)
def random_should_not_be_used() -> Iterator[None]:
    """Fail any test that changes the global random state (ehrQL's guard): use a seeded Generator."""
    state = random.getstate()
    yield
    assert random.getstate() == state, "Code under test used the global random module"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at a fresh data directory."""
    return Settings(data_dir=tmp_path / "var", shared_dir=SHARED, environment="test")
