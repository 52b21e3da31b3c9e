"""``tripleaim benchmark``: compute peers and opportunities, list them, write a deep-dive pack."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.table import Table

from tripleaim import benchmark
from tripleaim.errors import NotFoundError, UserError
from tripleaim.settings import Settings

app = typer.Typer(
    help="Benchmarking and opportunity: RightCare-style peers, measures and deep-dive packs.",
    no_args_is_help=True,
)
console = Console()
err = Console(stderr=True)


def _settings() -> Settings:
    return Settings()


@app.command()
def compute(
    engine: Annotated[
        Literal["duckdb", "spark"], typer.Option(help="Engine that counts.")
    ] = "duckdb",
) -> None:
    """Compute every peer group and every measure's opportunity; store both tables."""
    with err.status("Computing peers and opportunities ..."):
        summary = benchmark.compute(_settings(), engine)
    console.print(
        f"{summary.peer_rows:,} peer rows; {summary.measures} measures, {summary.rows:,} "
        f"opportunity rows on {summary.engine} in {summary.seconds:.1f} s; counted "
        f"opportunity {benchmark.gbp(summary.counted_gbp)} over every area.",
        highlight=False,
    )


@app.command("measures")
def list_measures() -> None:
    """List the measure definitions (``benchmark/definitions/measures``)."""
    out = Table("category", "scope", "method", "target")
    out.add_column("id", no_wrap=True)
    out.columns.insert(0, out.columns.pop())
    for spec in benchmark.measures().values():
        target = "" if spec.target is None else f"{spec.target:g}"
        out.add_row(spec.id, spec.category, spec.scope, spec.method, target)
    console.print(out)


@app.command()
def peers(
    area: Annotated[str, typer.Option(help="Area code (GSS or ODS).")],
) -> None:
    """Show an area's peers with their distances."""
    data = benchmark.load(_settings())
    rows = data.peers[data.peers["area_code"] == area].sort_values("rank")
    if rows.empty:
        raise NotFoundError(
            f"Area {area!r} has no peers: give an upper-tier authority or sub-ICB GSS "
            "code, or a footprint practice or PCN code."
        )
    first = rows.iloc[0]
    out = Table(
        "rank",
        "peer",
        "code",
        "distance",
        title=f"Peers of {first['area_name']} ({first['peer_group']})",
    )
    for _, r in rows.iterrows():
        out.add_row(
            str(r["rank"]),
            str(r["peer_name"]),
            str(r["peer_code"]),
            f"{r['distance']:.4f}",
        )
    console.print(out)


@app.command()
def pack(
    area: Annotated[str, typer.Option(help="Area code (GSS or ODS).")],
    out: Annotated[Path, typer.Option(help="PDF (or .html) to write.")] = Path(
        "pack.pdf"
    ),
    xlsx: Annotated[
        Path | None, typer.Option(help="Also write the tables to this workbook.")
    ] = None,
    period: Annotated[
        str | None, typer.Option(help="Financial year (default latest).")
    ] = None,
) -> None:
    """Write the deep-dive pack for one area: PDF or HTML, and optionally Excel."""
    if out.suffix.lower() not in (".pdf", ".html"):
        raise UserError(f"--out must end in .pdf or .html, not {out.suffix!r}.")
    with err.status("Building the pack ..."):
        result = benchmark.build_pack(_settings(), area, period)
        if out.suffix.lower() == ".html":
            out.write_text(benchmark.html(result), encoding="utf-8")
        else:
            benchmark.pdf(result, out)
        if xlsx is not None:
            benchmark.write_workbook(result, xlsx)
    h = result.headline
    console.print(
        f"{result.area_name} ({area}), {result.period}: counted opportunity "
        f"{benchmark.gbp(h['gbp'])}, {h['bed_days']:,.0f} bed days; wrote {out}"
        + (f" and {xlsx}" if xlsx else ""),
        highlight=False,
    )
