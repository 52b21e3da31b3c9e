"""``tripleaim report``: the monthly board report as PDF or HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from tripleaim.delivery.report import write_board_report
from tripleaim.settings import Settings

report_app = typer.Typer(
    help="The monthly board report (PDF or HTML) for the partnership or one workstream.",
    invoke_without_command=True,
)
console = Console()


@report_app.callback()
def report(
    period: Annotated[
        str, typer.Option(help="Reporting month, YYYY-MM (e.g. 2018-01).")
    ],
    out: Annotated[
        Path, typer.Option(help="File to write (report.pdf or report.html).")
    ],
    workstream: Annotated[
        str | None,
        typer.Option(help="A workstream id; the whole partnership by default."),
    ] = None,
    programme: Annotated[
        str | None, typer.Option(help="Programme id; the first programme by default.")
    ] = None,
    as_html: Annotated[
        bool, typer.Option("--html", help="Write HTML instead of PDF.")
    ] = False,
) -> None:
    """Write the monthly board report for a period.

    A one-page summary, the triple aim, exceptions, the finance bridge and every KPI's
    SPC chart with its icons.
    """
    summary = write_board_report(
        Settings(),
        period,
        out,
        workstream=workstream,
        programme=programme,
        kind="html" if as_html else "pdf",
    )
    console.print(
        f"Wrote the {summary.scope} report for {summary.period} to {summary.path} "
        f"({summary.kind.upper()}, {summary.size:,} bytes): {summary.kpis} KPIs, "
        f"{summary.exceptions} exceptions, in {summary.seconds:.1f} s.",
        highlight=False,
    )
