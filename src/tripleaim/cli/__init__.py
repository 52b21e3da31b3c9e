"""The tripleaim command line: parse, call one service, print.

Errors the user can fix print as ``ClassName: message`` and exit with the error's code
(errors.py); anything else keeps its traceback.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tripleaim import shell, warehouse
from tripleaim.cli import benchmark as benchmark_cli
from tripleaim.errors import NotFoundError, UserError
from tripleaim.indicators import (
    compute_profiles,
    definitions,
    export,
    jsonschema,
    reading,
)
from tripleaim.indicators.spec import Domain
from tripleaim.phm import score_population, train_risk_model
from tripleaim.phm.segmenting import cohort_list, export_cohort, segment_population
from tripleaim.settings import Settings
from tripleaim.warehouse import loading

app = typer.Typer(
    help="tripleaim: the open platform for an integrated care system. "
    "Build the footprint's warehouse, load extracts, inspect quarantine.",
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
indicators_app = typer.Typer(
    help="Population health indicators: compute profiles, list, show and export them.",
    no_args_is_help=True,
)
app.add_typer(quarantine_app, name="quarantine")
app.add_typer(users_app, name="users")
app.add_typer(export_app, name="export")
app.add_typer(indicators_app, name="indicators")
phm_app = typer.Typer(
    help="Population health management: scores for every person and the risk of "
    "an emergency admission (train the model, score the population).",
    no_args_is_help=True,
)
app.add_typer(phm_app, name="phm")
app.add_typer(benchmark_cli.app, name="benchmark")

console = Console()
err = Console(stderr=True)


def _settings() -> Settings:
    return Settings()


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
    settings = _settings()
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
    settings = _settings()
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
    summary = warehouse.info(_settings())
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
    for b in loading.batches(_settings()):
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
    for r in loading.quarantined(_settings(), batch, limit):
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
    n = loading.export_quarantine(_settings(), out, batch)
    console.print(f"Wrote {n:,} quarantine rows to {out}")


@export_app.command("parquet")
def export_parquet(
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder (default: <data_dir>/parquet).")
    ] = None,
) -> None:
    """Write every table as Parquet, for the Spark engine."""
    paths = warehouse.export_parquet(_settings(), out)
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
    paths = loading.export_extracts(_settings(), out, fmt)
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
    settings = _settings()
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
        _settings(),
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
    accounts = shell.demo_users(_settings())
    console.print("[bold]Demo accounts[/bold] (development only):")
    width = max(len(a["username"]) for a in accounts)
    for a in accounts:
        console.print(
            f"  {a['username']:<{width}}  password {a['password']}  ({a['role']}, {a['org_code']})",
            highlight=False,
            soft_wrap=True,
        )


Level = Literal["practice", "pcn", "place", "icb"]
"""Area levels of a profile (``warehouse.schema.derived.AREA_LEVELS``)."""
EngineName = Literal["duckdb", "spark"]


def _require_warehouse(settings: Settings, engine: str) -> None:
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


def _num(value: object, places: int = 1) -> str:
    number = export.number(value)
    return "" if number is None else f"{number:,.{places}f}"


@indicators_app.command("compute")
def indicators_compute(
    engine: Annotated[
        EngineName,
        typer.Option(
            help="Engine that counts: duckdb reads the warehouse, spark its Parquet export.",
        ),
    ] = "duckdb",
) -> None:
    """Compute every indicator for every area and year; store them as indicator_values."""
    settings = _settings()
    _require_warehouse(settings, engine)
    with err.status(f"Computing indicator profiles on {engine} ..."):
        summary = compute_profiles(settings, engine)
    out = Table("indicators", "periods", "rows", "seconds", title="Indicator profiles")
    out.add_row(
        str(summary.indicators),
        ", ".join(summary.periods),
        f"{summary.rows:,}",
        f"{summary.seconds:.1f}",
    )
    console.print(out)
    console.print(
        f"Computed on {summary.engine} into {settings.warehouse_path}", soft_wrap=True
    )


@indicators_app.command("list")
def indicators_list(
    domain: Annotated[
        Domain | None,
        typer.Option(help="Only this domain."),
    ] = None,
) -> None:
    """List the indicator definitions: id, title, domain, method, polarity, benchmark."""
    specs = [s for s in definitions().values() if domain in (None, s.domain)]
    out = Table(title=f"{len(specs)} indicators")
    out.add_column("id", no_wrap=True)
    for name in ("title", "domain", "method", "polarity", "benchmark"):
        out.add_column(name)
    for s in sorted(specs, key=lambda s: (s.domain, s.id)):
        out.add_row(
            s.id,
            s.title,
            export.label(s.domain) or "",
            s.method.kind,
            export.label(s.polarity) or "",
            s.benchmark,
        )
    console.print(out)


@indicators_app.command("show")
def indicators_show(
    indicator_id: Annotated[str, typer.Argument(help="Indicator id (see `list`).")],
    level: Annotated[Level, typer.Option(help="Area level.")] = "place",
    area: Annotated[
        str | None, typer.Option(help="Area code: one area's value and trend.")
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(help="Financial year such as 2023/24 (default latest)."),
    ] = None,
) -> None:
    """Show a definition, then every area of a level, or one area's value and trend."""
    spec = reading.spec_of(indicator_id)
    console.print(f"[bold]{spec.title}[/bold] ({spec.id}, version {spec.version})")
    console.print(
        f"{export.label(spec.domain)}; {spec.method.kind}, {reading.unit_of(spec)}; "
        f"{export.label(spec.polarity)}; benchmark {spec.benchmark}.\n"
        f"{spec.description.strip()}\nSource: {spec.source}",
        highlight=False,
    )
    profiles = reading.load(_settings())
    period = reading.check_period(profiles, period)
    if area is None:
        rows = reading.indicator_areas(profiles, indicator_id, level, period)
        title = f"{reading.LEVEL_TITLES[level]}s, {period}"
        out = Table(
            "code", "area", "value", "95% CI", "compared", "rank", "reason", title=title
        )
        for _, r in rows.iterrows():
            out.add_row(*_value_cells(r), export.label(r["value_reason"]) or "")
        console.print(out)
        return
    row = reading.area_profile(profiles, level, area, period)
    row = row[row["indicator_id"] == indicator_id]
    if row.empty:
        raise NotFoundError(f"{indicator_id} has no value for {area} in {period}.")
    r = row.iloc[0]
    reason = export.label(r["value_reason"])
    console.print(
        f"[bold]{r['area_name']}[/bold] ({area}), {period}: value {_num(r['value']) or '-'} "
        f"{r['unit']} (95% CI {_num(r['lower_95']) or '-'} to {_num(r['upper_95']) or '-'})"
        + (f"; {reason}" if reason else "")
        + f"\nBenchmark {export.label(r['benchmark'])} {_num(r['benchmark_value'])}: "
        f"{export.label(r['compared_95'])}; rank {_num(r['rank'], 0) or '-'} of "
        f"{_num(r['rank_of'], 0) or '-'}; trend {export.label(r['trend'])}",
        highlight=False,
    )
    out = Table("period", "value", "95% CI", "compared", "England", title="Trend")
    for _, t in reading.indicator_trend(profiles, indicator_id, level, area).iterrows():
        cells = _value_cells(t)
        out.add_row(t["period"], *cells[2:5], _num(t["england_value"]))
    console.print(out)


def _value_cells(r: pd.Series[Any]) -> list[str]:
    ci = f"{_num(r['lower_95'])} to {_num(r['upper_95'])}"
    return [
        str(r["area_code"]),
        str(r["area_name"]),
        _num(r["value"]),
        ci if export.number(r["lower_95"]) is not None else "",
        export.label(r["compared_95"]) or "",
        _num(r["rank"], 0),
    ]


@indicators_app.command("export")
def indicators_export(
    fmt: Annotated[
        export.Format, typer.Option("--format", help="xlsx or csv.")
    ] = "xlsx",
    what: Annotated[
        export.What,
        typer.Option(
            help="gap: the health and wellbeing gap; profiles: every indicator x area.",
        ),
    ] = "gap",
    level: Annotated[Level, typer.Option(help="Area level of profiles.")] = "place",
    period: Annotated[
        str | None,
        typer.Option(help="Financial year such as 2023/24 (default latest)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(help="File or folder to write (default: the current folder)."),
    ] = None,
) -> None:
    """Export the health gap or the profiles of a level as a formatted workbook or CSV."""
    with err.status("Building the export ..."):
        result = export.export_file(
            _settings(),
            what,
            fmt,
            level=level,
            period=period,
        )
    target = output or Path.cwd()
    if target.is_dir():
        target = target / result.filename
    target.write_bytes(result.content)
    console.print(
        f"Wrote {target} ({len(result.content):,} bytes)",
        highlight=False,
        soft_wrap=True,
    )


@indicators_app.command("schema")
def indicators_schema(
    output: Annotated[
        Path | None, typer.Option(help="File to write (default: print it).")
    ] = None,
) -> None:
    """Write the JSON Schema that every indicator definition file must satisfy."""
    text = jsonschema.render()
    if output is None:
        console.print(text, markup=False, highlight=False, soft_wrap=True)
        return
    output.write_text(text, encoding="utf-8")
    console.print(
        f"Wrote the indicator JSON Schema to {output}", highlight=False, soft_wrap=True
    )


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date: write it as YYYY-MM-DD, e.g. 2022-04-01."
        ) from None


def _c(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}"


@phm_app.command("train")
def phm_train(
    index_date: Annotated[
        str | None,
        typer.Option(
            help="Training index date, YYYY-MM-DD (default: the first date with a "
            "year of activity before it)."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Folder of model artifacts (default: <data_dir>/models)."
        ),
    ] = None,
) -> None:
    """Train the emergency-admission model (logistic and boosting, choose on validation)."""
    settings = _settings()
    _require_warehouse(settings, "duckdb")
    with err.status("Training the risk model: features, two models, evaluation ..."):
        summary = train_risk_model(settings, _date(index_date), out=out)
    models = Table(
        "model", "validation c", "validation Brier", "hold-out c", title="Models"
    )
    for kind, c in summary.candidates.items():
        chosen = " (chosen)" if kind == summary.chosen else ""
        models.add_row(
            kind + chosen,
            _c(c["validation"]["c_statistic"]),
            f"{c['validation']['brier']:.4f}",
            _c(c["holdout"]["c_statistic"]),
        )
    console.print(models)
    hold = summary.holdout
    console.print(
        f"Index date {summary.index_date}: {summary.persons:,} people, "
        f"{summary.events:,} admitted in the next year. Hold-out: c-statistic "
        f"{_c(hold['c_statistic'])}, Brier {hold['brier']:.4f}, expected/observed "
        f"{hold['expected_observed']:.3f}, calibrated within tolerance: "
        f"{'yes' if hold['calibrated'] else 'no'}."
        + (
            f" Temporal validation at {summary.temporal['index_date']}: c-statistic "
            f"{_c(summary.temporal['c_statistic'])}."
            if summary.temporal
            else ""
        ),
        highlight=False,
        soft_wrap=True,
    )
    console.print(
        f"Model {summary.version} saved to {summary.path} in {summary.seconds:.1f} s",
        highlight=False,
        soft_wrap=True,
    )


@phm_app.command("score")
def phm_score(
    engine: Annotated[
        EngineName,
        typer.Option(
            help="Engine that counts: duckdb reads the warehouse, spark its Parquet export.",
        ),
    ] = "duckdb",
    index_date: Annotated[
        str | None,
        typer.Option(
            help="Index date, YYYY-MM-DD (default: the day after the latest admission)."
        ),
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(
            help="A model artifact folder (default: the last trained in <data_dir>/models)."
        ),
    ] = None,
) -> None:
    """Score every person (person_scores) and, with a trained model, their risk (person_risk)."""
    settings = _settings()
    _require_warehouse(settings, engine)
    with err.status(f"Scoring the population on {engine} ..."):
        scores, risk = score_population(
            settings, engine, _date(index_date), model=model
        )
    out = Table("table", "index date", "persons", "seconds", title="Population scored")
    out.add_row(
        "person_scores",
        str(scores.index_date),
        f"{scores.persons:,}",
        f"{scores.seconds:.1f}",
    )
    if risk is not None:
        out.add_row(
            "person_risk",
            str(risk.index_date),
            f"{risk.persons:,}",
            f"{risk.seconds:.1f}",
        )
    console.print(out)
    report = scores.report
    console.print(
        f"Codes: {report.malformed:,} malformed and {report.unmapped:,} unmapped, "
        "counted per source in the score summary.",
        highlight=False,
    )
    if risk is None:
        console.print(
            "No trained risk model: run `tripleaim phm train` to add person_risk.",
            highlight=False,
        )
        return
    console.print(
        f"Risk from the {risk.kind} model {risk.version}: mean "
        f"{100 * (risk.mean_risk or 0):.1f}%, top 2% from "
        f"{100 * (risk.top_two_percent_from or 0):.1f}%.",
        highlight=False,
        soft_wrap=True,
    )


@phm_app.command("segment")
def phm_segment(
    index_date: Annotated[
        str | None,
        typer.Option(
            help="Index date, YYYY-MM-DD (default: the day after the latest admission)."
        ),
    ] = None,
) -> None:
    """Assign everyone a Bridges to Health segment (person_segments) and summarise."""
    settings = _settings()
    _require_warehouse(settings, "duckdb")
    with err.status("Segmenting the population ..."):
        summary = segment_population(settings, _date(index_date))
    out = Table(
        "segment", "persons", "share", "mean spend (£)", title="Population by segment"
    )
    for row in summary.segments:
        out.add_row(
            row.title,
            f"{row.persons:,}",
            f"{100 * row.share:.1f}%",
            f"{row.mean_spend:,.0f}",
        )
    console.print(out)
    rv = summary.reduction_in_variance
    console.print(
        f"Index date {summary.index_date}: {summary.persons:,} people. Reduction in "
        f"variance of spend: {'-' if rv is None else f'{rv:.1f}%'}.",
        highlight=False,
        soft_wrap=True,
    )


@phm_app.command("cohort")
def phm_cohort(
    cohort_id: Annotated[
        str, typer.Argument(help="Cohort id (phm/definitions/cohorts).")
    ],
    practice: Annotated[
        str | None, typer.Option(help="Only this practice (ODS code).")
    ] = None,
    pcn: Annotated[str | None, typer.Option(help="Only this PCN (ODS code).")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many.")] = None,
    output: Annotated[
        Path | None, typer.Option(help="Write to a .xlsx or .csv file instead.")
    ] = None,
) -> None:
    """A cohort's ranked, pseudonymised case-finding list."""
    settings = _settings()
    _require_warehouse(settings, "duckdb")
    result = cohort_list(settings, cohort_id, practice, pcn, limit)
    if output is not None:
        output.write_bytes(export_cohort(result, output.suffix.lstrip(".").lower()))
        console.print(
            f"{len(result.rows):,} people written to {output}",
            highlight=False,
            soft_wrap=True,
        )
        return
    out = Table(
        "rank",
        "person",
        "practice",
        "age band",
        "segment",
        "risk",
        "reasons",
        title=result.cohort.title,
    )
    for row in result.rows:
        risk = row["risk"]
        out.add_row(
            str(row["rank"]),
            str(row["person_id"]),
            row["practice_code"],
            row["age_band"] or "-",
            row["segment"],
            "-" if risk is None else f"{100 * risk:.1f}%",
            row["reasons"],
        )
    console.print(out)
    console.print(f"{len(result.rows):,} people.", highlight=False)


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
