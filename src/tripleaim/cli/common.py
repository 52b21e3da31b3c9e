"""What every command module shares: the consoles, settings and argument helpers."""

from __future__ import annotations

from datetime import date
from typing import Literal

import typer
from rich.console import Console

from tripleaim.errors import NotFoundError
from tripleaim.settings import Settings

console = Console()
err = Console(stderr=True)
EngineName = Literal["duckdb", "spark"]


def load_settings() -> Settings:
    """Settings from the environment (the only place commands build them)."""
    return Settings()


def require_warehouse(settings: Settings, engine: str) -> None:
    """Refuse clearly when there is no warehouse (or, for Spark, no Parquet export)."""
    if not settings.warehouse_path.exists():
        raise NotFoundError(
            f"There is no warehouse at {settings.warehouse_path}: run `tripleaim "
            "generate` (or `tripleaim load`) first."
        )
    if engine == "spark" and not settings.parquet_dir.exists():
        raise NotFoundError(
            f"There is no Parquet export at {settings.parquet_dir} for Spark to read: "
            "run `tripleaim export parquet` first."
        )


def parse_date(value: str | None) -> date | None:
    """``YYYY-MM-DD`` as a date, or a usage error saying how to write it."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date: write it as YYYY-MM-DD, e.g. 2022-04-01."
        ) from None
