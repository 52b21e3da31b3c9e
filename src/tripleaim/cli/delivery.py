"""``tripleaim delivery``: the demo programme, periods, workbooks, review and lock."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from tripleaim import delivery
from tripleaim.delivery import Actor
from tripleaim.errors import UserError
from tripleaim.settings import Settings
from tripleaim.warehouse.store import migrate, open_store

app = typer.Typer(
    help="Transformation delivery: the demo programme, monthly periods, project "
    "workbooks, review and lock.",
    no_args_is_help=True,
)
console = Console()
err = Console(stderr=True)

Month = Annotated[str, typer.Option("--period", help="Reporting month, YYYY-MM.")]
ProjectOption = Annotated[
    str, typer.Option("--project", help="Project id, e.g. cancer_62_day.")
]
ActorOption = Annotated[
    str, typer.Option("--actor", help="Who is acting (recorded in history and audit).")
]


def _actor(name: str) -> Actor:
    return Actor(name or getpass.getuser(), "cli")


@contextmanager
def _session() -> Iterator[Session]:
    settings = Settings()
    migrate(settings)
    store = open_store(settings)
    try:
        with store.session() as session:
            yield session
    finally:
        store.dispose()


def _refused(actor: Actor, action: str, object_id: str, exc: UserError) -> None:
    with _session() as session:
        delivery.record_refusal(session, actor, action, object_id, str(exc))


@app.command()
def demo() -> None:
    """Load the demo programme (idempotent) and fill KPIs linked to indicators."""
    with _session() as session:
        summary = delivery.load_demo(session)
        links = delivery.refresh_linked_kpis(session, Settings())
    verb = "Loaded" if summary.created else "Already loaded:"
    console.print(
        f"{verb} {summary.programme}: {summary.workstreams} workstreams, "
        f"{summary.projects} projects, {summary.kpi_values} KPI values, "
        f"{summary.savings_lines} savings lines, {summary.periods} periods.",
        highlight=False,
    )
    console.print(
        f"Linked KPIs: {links.kpis}, actuals written: {links.values}. {links.note}".strip(),
        highlight=False,
    )


@app.command()
def periods() -> None:
    """Every reporting period with its returns by status."""
    with _session() as session:
        rows = delivery.periods(session)
        table = Table("period", "status", "submitted", "changes requested", "approved")
        for row in rows:
            c = row["counts"]
            table.add_row(
                row["period"].month,
                row["period"].status,
                str(c.get("submitted", 0)),
                str(c.get("changes_requested", 0)),
                str(c.get("approved", 0)),
            )
    console.print(table)


@app.command("open-period")
def open_period(
    month: Annotated[str, typer.Argument(help="YYYY-MM")], actor: ActorOption = ""
) -> None:
    """Open a reporting period for returns."""
    with _session() as session:
        delivery.open_period(session, _actor(actor), month)
    console.print(f"Opened {month}.")


@app.command()
def template(
    project: ProjectOption,
    period: Month,
    out: Annotated[Path, typer.Option(help="Where to write the .xlsx.")],
) -> None:
    """Write a project's workbook for a period."""
    with _session() as session:
        out.write_bytes(delivery.render_workbook(session, period, project))
    console.print(f"Wrote {out}.", highlight=False)


@app.command()
def export(
    period: Month, out: Annotated[Path, typer.Option(help="Where to write the .xlsx.")]
) -> None:
    """Write the programme workbook (every active project) for a period."""
    with _session() as session:
        out.write_bytes(delivery.render_workbook(session, period))
    console.print(f"Wrote {out}.", highlight=False)


@app.command()
def upload(
    file: Annotated[Path, typer.Argument(help="A project or programme workbook.")],
    project: Annotated[
        str, typer.Option(help="Refuse a workbook of any other project.")
    ] = "",
    actor: ActorOption = "",
) -> None:
    """Submit a workbook as returns: all of it, or nothing with every problem by cell."""
    who = _actor(actor)
    try:
        with _session() as session:
            results = delivery.upload_workbook(
                session, who, file.read_bytes(), project or None
            )
    except UserError as exc:
        _refused(who, "return.upload", project or file.name, exc)
        if isinstance(exc, delivery.ReturnInvalidError):
            for problem in exc.problems:
                err.print(f"  {problem}", highlight=False, markup=False, soft_wrap=True)
        raise
    for r in results:
        console.print(
            f"{r.project} {r.period}: {r.status}, {r.changes} change(s).",
            highlight=False,
        )


@app.command()
def approve(project: ProjectOption, period: Month, actor: ActorOption = "") -> None:
    """Approve a submitted return."""
    with _session() as session:
        delivery.review_return(session, _actor(actor), period, project, "approve")
    console.print(f"Approved {project} for {period}.", highlight=False)


@app.command("request-changes")
def request_changes(
    project: ProjectOption,
    period: Month,
    comment: Annotated[str, typer.Option(help="What needs to change.")],
    actor: ActorOption = "",
) -> None:
    """Send a return back to its lead with a comment."""
    with _session() as session:
        delivery.review_return(
            session, _actor(actor), period, project, "request_changes", comment
        )
    console.print(f"Asked {project} for changes to {period}.", highlight=False)


@app.command()
def lock(period: Month, actor: ActorOption = "") -> None:
    """Lock a period (refused while returns await review)."""
    with _session() as session:
        delivery.lock_period(session, _actor(actor), period)
    console.print(f"Locked {period}.")
