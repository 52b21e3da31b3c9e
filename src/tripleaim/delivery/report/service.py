"""What the CLI (and later the web) call: build a board report and write it.

The health and wellbeing gap comes from the indicator profiles
(``tripleaim.indicators``) when they have been computed; without them the report says
so and shows the other two aims.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd
from sqlalchemy.orm import Session

from tripleaim.delivery.periods import check_month
from tripleaim.delivery.report.content import BoardReport, build_report
from tripleaim.delivery.report.gather import gather
from tripleaim.delivery.report.inputs import HealthGap
from tripleaim.delivery.report.render import html, pdf
from tripleaim.errors import NotFoundError
from tripleaim.indicators import reading
from tripleaim.settings import Settings
from tripleaim.warehouse.store import migrate, open_store

NO_PROFILES = (
    "Indicator profiles have not been computed for this warehouse: run "
    "`tripleaim indicators compute` to show the health and wellbeing gap."
)


def _text(value: object, unit: str) -> str:
    """A published value with its unit; suppressed or missing values are "not shown"."""
    if (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and math.isnan(value))
    ):
        return "not shown"
    number = f"{float(value):,.1f}"  # type: ignore[arg-type]
    return f"{number}%" if unit == "%" else f"{number} {unit}".strip()


def health_gap(settings: Settings | None) -> tuple[HealthGap | None, str]:
    """The system's health and wellbeing gap, or ``None`` and why not."""
    if settings is None:
        return None, NO_PROFILES
    try:
        profiles = reading.load(settings)
    except NotFoundError:
        return None, NO_PROFILES
    if not profiles.periods:  # a warehouse generated but never computed
        return None, NO_PROFILES
    gaps = reading.health_gap(profiles)
    if not gaps:
        return None, NO_PROFILES
    system = gaps[0]
    worse = system.worse
    rows = pd.DataFrame(
        {
            "title": worse["title"],
            "value_text": [
                _text(v, u) for v, u in zip(worse["value"], worse["unit"], strict=True)
            ],
            "benchmark_text": [
                _text(v, u)
                for v, u in zip(worse["benchmark_value"], worse["unit"], strict=True)
            ],
        }
    )
    return (
        HealthGap(
            profiles.latest, system.area.get("area_name", "System"), rows, system.counts
        ),
        "",
    )


def board_report(
    session: Session,
    period: str,
    *,
    workstream: str | None = None,
    programme: str | None = None,
    settings: Settings | None = None,
    draw: bool = True,
) -> BoardReport:
    """The board report of ``programme`` for ``period`` (``YYYY-MM``).

    Raises:
        PeriodFormatError: ``period`` is not a month.
        NotFoundError: No programme or no such workstream.
    """
    check_month(period)
    health, note = health_gap(settings)
    inputs = gather(
        session,
        period,
        workstream=workstream,
        programme=programme,
        health=health,
        health_note=note,
    )
    return build_report(inputs, draw=draw)


def write_report(report: BoardReport, out: Path, kind: Literal["pdf", "html"]) -> int:
    """Write the report to ``out``; returns the bytes written."""
    content = pdf(report) if kind == "pdf" else html(report).encode("utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    return len(content)


@dataclass(frozen=True)
class ReportSummary:
    """What was written, for the CLI to print."""

    path: Path
    kind: str
    size: int
    scope: str
    period: str
    kpis: int
    exceptions: int
    seconds: float


def write_board_report(
    settings: Settings,
    period: str,
    out: Path,
    *,
    workstream: str | None = None,
    programme: str | None = None,
    kind: Literal["pdf", "html"] = "pdf",
) -> ReportSummary:
    """Build the report from the store named by ``settings`` and write it to ``out``."""
    started = time.perf_counter()
    migrate(settings)
    store = open_store(settings)
    try:
        with store.session() as session:
            report = board_report(
                session,
                period,
                workstream=workstream,
                programme=programme,
                settings=settings,
            )
    finally:
        store.dispose()
    size = write_report(report, out, kind)
    return ReportSummary(
        out,
        kind,
        size,
        report.scope,
        report.period_title,
        len(report.kpis),
        report.exceptions.count,
        time.perf_counter() - started,
    )
