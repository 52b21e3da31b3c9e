"""``tripleaim indicators``: compute, list, show and export indicator profiles."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
import typer
from rich.table import Table

from tripleaim.cli.common import (
    EngineName,
    console,
    err,
    load_settings,
    require_warehouse,
)
from tripleaim.errors import NotFoundError
from tripleaim.indicators import (
    compute_profiles,
    definitions,
    export,
    jsonschema,
    labels,
    reading,
)
from tripleaim.indicators.spec import Domain

indicators_app = typer.Typer(
    help="Population health indicators: compute profiles, list, show and export them.",
    no_args_is_help=True,
)

Level = Literal["practice", "pcn", "place", "icb"]
"""Area levels of a profile (``warehouse.schema.derived.AREA_LEVELS``)."""


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
    settings = load_settings()
    require_warehouse(settings, engine)
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
        f"{export.label(spec.domain)}; {spec.method.kind}, {labels.unit_of(spec)}; "
        f"{export.label(spec.polarity)}; benchmark {spec.benchmark}.\n"
        f"{spec.description.strip()}\nSource: {spec.source}",
        highlight=False,
    )
    profiles = reading.load(load_settings())
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
            load_settings(),
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
