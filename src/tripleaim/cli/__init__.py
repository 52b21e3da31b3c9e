"""The tripleaim command line: parse, call one service, print.

Errors the user can fix print as ``ClassName: message`` and exit with the error's code
(errors.py); anything else keeps its traceback. Each capability's commands live in a
module of their own (``cli/indicators.py``, ``cli/phm.py`` ...), registered below.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tripleaim import shell, warehouse
from tripleaim.cli import benchmark as benchmark_cli
from tripleaim.cli import delivery as delivery_cli
from tripleaim.cli.common import console, err, load_settings
from tripleaim.cli.indicators import indicators_app
from tripleaim.cli.phm import phm_app
from tripleaim.cli.report import report_app
from tripleaim.errors import UserError
from tripleaim.warehouse import loading

app = typer.Typer(
    help="tripleaim: the open platform for an integrated care system. Build the "
    "footprint's warehouse, load extracts, compute indicators and population health "
    "management, and serve the web app.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    add_completion=False,
)
users_app = typer.Typer(
    help="User accounts: create one, or the demo accounts.", no_args_is_help=True
)
quarantine_app = typer.Typer(
    help="Rows rejected by loads: list batches, show rows, export them.",
    no_args_is_help=True,
)
export_app = typer.Typer(
    help="Export the warehouse: Parquet for Spark, or extracts in the load format.",
    no_args_is_help=True,
)
app.add_typer(quarantine_app, name="quarantine")
app.add_typer(users_app, name="users")
app.add_typer(export_app, name="export")
app.add_typer(indicators_app, name="indicators")
app.add_typer(phm_app, name="phm")
app.add_typer(delivery_cli.app, name="delivery")
app.add_typer(report_app, name="report")
app.add_typer(benchmark_cli.app, name="benchmark")


@app.command()
def generate(
    footprint: Annotated[
        str | None,
        typer.Option(
            help="Footprint to build: " + ", ".join(warehouse.footprints()) + "."
        ),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Random seed; the same seed gives the same data.")
    ] = None,
    scale: Annotated[
        float | None,
        typer.Option(
            min=0.0001,
            help="Population scale: 0.01 for quick tests, 1.0 real size, more for benchmarks.",
        ),
    ] = None,
) -> None:
    """Build the synthetic footprint on real geography into the warehouse (replaces its contents)."""
    settings = load_settings()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err,
    ) as bar:
        task = bar.add_task("Building the footprint", total=len(warehouse.BUILD_STEPS))

        def step(name: str) -> None:
            done = warehouse.BUILD_STEPS.index(name)
            bar.update(task, completed=done, description=f"Building: {name}")

        summary = warehouse.generate(
            settings, footprint=footprint, seed=seed, scale=scale, progress=step
        )
        bar.update(task, completed=len(warehouse.BUILD_STEPS), description="Built")
    console.print(
        f"Built [bold]{summary.footprint}[/bold] (seed {summary.seed}, scale {summary.scale}) "
        f"in {summary.seconds:.1f} s into {settings.warehouse_path}"
    )
    _print_info(warehouse.info(settings))


@app.command()
def load(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Extract files (CSV or Parquet), or a folder of <table>.csv / <table>.parquet files."
        ),
    ],
    table: Annotated[
        str | None,
        typer.Option(
            help="Target table; by default the file name without its extension."
        ),
    ] = None,
) -> None:
    """Validate and load extracts; rejected rows go to quarantine with the reason."""
    settings = load_settings()
    results = loading.load_paths(settings, paths, table=table)
    out = Table(
        "file", "table", "batch", "read", "loaded", "quarantined", title="Load results"
    )
    for r in results:
        batch = "already loaded" if r.skipped_as_duplicate else str(r.batch_id)
        out.add_row(
            Path(r.file).name,
            r.table,
            batch,
            f"{r.rows_read:,}",
            f"{r.rows_loaded:,}",
            f"{r.rows_quarantined:,}",
        )
    console.print(out)
    held = sum(r.rows_quarantined for r in results)
    if held:
        console.print(
            f"{held:,} rows held in quarantine: `tripleaim quarantine show <batch>` lists them with reasons."
        )


@app.command()
def info(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON instead of tables.")
    ] = False,
) -> None:
    """Show what the warehouse holds: tables, row counts, date coverage and quarantine counts."""
    summary = warehouse.info(load_settings())
    if as_json:
        console.print_json(
            json.dumps(
                {
                    "path": str(summary.path),
                    "facts": summary.facts,
                    "tables": summary.tables,
                    "quarantine": summary.quarantine,
                },
                default=str,
            )
        )
        return
    _print_info(summary)


def _print_info(summary: warehouse.WarehouseInfo) -> None:
    facts = summary.facts
    if facts:
        console.print(
            f"[bold]{facts.get('footprint_name', '')}[/bold] ({facts.get('icb_code', '')}) "
            f"{facts.get('period_start', '')} to {facts.get('period_end', '')}, seed {facts.get('seed', '')}, scale {facts.get('scale', '')}"
        )
    out = Table(
        "table", "group", "rows", "from", "to", title=f"Warehouse {summary.path}"
    )
    for row in summary.tables:
        out.add_row(
            row["table_name"],
            row["group"],
            f"{row['rows']:,}",
            str(row["min_date"] or ""),
            str(row["max_date"] or ""),
        )
    console.print(out)
    if summary.quarantine:
        q = Table("table", "reason", "rows", title="Quarantine")
        for row in summary.quarantine:
            q.add_row(row["table_name"], row["reason"], f"{row['rows']:,}")
        console.print(q)
    else:
        console.print("Quarantine: empty.")


@quarantine_app.command("list")
def quarantine_list() -> None:
    """List load batches with their quarantine counts."""
    out = Table("batch", "table", "file", "loaded at", "read", "loaded", "quarantined")
    for b in loading.batches(load_settings()):
        out.add_row(
            str(b["batch_id"]),
            b["table_name"],
            b["file_name"],
            str(b["loaded_at"]),
            f"{b['rows_read']:,}",
            f"{b['rows_loaded']:,}",
            f"{b['rows_quarantined']:,}",
        )
    console.print(out)


@quarantine_app.command("show")
def quarantine_show(
    batch: Annotated[
        int, typer.Argument(help="Batch number from `tripleaim quarantine list`.")
    ],
    limit: Annotated[int, typer.Option(help="Most rows to show.")] = 50,
) -> None:
    """Show the quarantined rows of one batch: row, column, value and reason."""
    out = Table("row", "column", "value", "reason")
    for r in loading.quarantined(load_settings(), batch, limit):
        out.add_row(
            str(r["row_number"]),
            r["column_name"],
            "" if r["value"] is None else str(r["value"]),
            r["reason"],
        )
    console.print(out)


@quarantine_app.command("export")
def quarantine_export(
    out: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
    batch: Annotated[
        int | None, typer.Option(help="Only this batch (default: all).")
    ] = None,
) -> None:
    """Export quarantined rows, with the original row, to CSV for the data supplier."""
    n = loading.export_quarantine(load_settings(), out, batch)
    console.print(f"Wrote {n:,} quarantine rows to {out}")


@export_app.command("parquet")
def export_parquet(
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder (default: <data_dir>/parquet).")
    ] = None,
) -> None:
    """Write every table as Parquet, for the Spark engine."""
    paths = warehouse.export_parquet(load_settings(), out)
    console.print(
        f"Wrote {len(paths)} Parquet files to {paths[0].parent if paths else out}"
    )


@export_app.command("extracts")
def export_extracts(
    out: Annotated[
        Path, typer.Option("--out", help="Folder to write <table>.<format> files into.")
    ],
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet.")] = "csv",
) -> None:
    """Write every loadable table as an extract in the documented load format."""
    paths = loading.export_extracts(load_settings(), out, fmt)
    console.print(f"Wrote {len(paths)} extracts to {out}")


@app.command()
def serve(
    get: Annotated[
        str | None,
        typer.Option(
            "--get",
            help="Answer one GET request for this path in-process, print it and exit.",
        ),
    ] = None,
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default from settings).")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port to listen on (default from settings).")
    ] = None,
) -> None:
    """Serve the web app (the footprint, accounts, audit) with uvicorn."""
    settings = load_settings()
    web_app = shell.web_app(settings)
    if get is not None:
        status, body = shell.get_once(web_app, get)
        console.print(body, markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(0 if 200 <= status < 300 else 1)
    shell.serve(web_app, host or settings.host, port or settings.port)


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Option(help="Sign-in name.")],
    role: Annotated[str, typer.Option(help="Role: " + ", ".join(shell.ROLES) + ".")],
    org_code: Annotated[
        str, typer.Option("--org", help="ODS code of the user's organisation.")
    ],
    name: Annotated[str, typer.Option(help="Full name.")],
    password_env: Annotated[
        str,
        typer.Option(
            help="Environment variable holding the password (never on the command line)."
        ),
    ] = "TRIPLEAIM_NEW_PASSWORD",  # noqa: S107  (a variable name, not a password)
) -> None:
    """Create a local account (the password is read from an environment variable)."""
    shell.create_account(
        load_settings(),
        username=username,
        role=role,
        org_code=org_code,
        display_name=name,
        password_env=password_env,
    )
    console.print(f"Created {username} ({role}, {org_code}).")


@users_app.command("demo")
def users_demo() -> None:
    """Create one demo account per role and print them (development only)."""
    accounts = shell.demo_users(load_settings())
    console.print("[bold]Demo accounts[/bold] (development only):")
    width = max(len(a["username"]) for a in accounts)
    for a in accounts:
        console.print(
            f"  {a['username']:<{width}}  password {a['password']}  ({a['role']}, {a['org_code']})",
            highlight=False,
            soft_wrap=True,
        )


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, mapping user errors to exit codes."""
    try:
        result = app(args=argv, standalone_mode=False)
        if isinstance(result, int) and result:
            sys.exit(result)
    except UserError as exc:
        err.print(f"[bold red]{type(exc).__name__}[/bold red]: {exc}", highlight=False)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.exit(1)
    except typer.TyperException as exc:  # usage errors of typer's bundled click
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err.print(exc.format_message(), markup=False)
        sys.exit(exc.exit_code)
    except Exception as exc:  # click usage errors carry their own exit code
        import click  # noqa: PLC0415

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise


if __name__ == "__main__":
    main()
