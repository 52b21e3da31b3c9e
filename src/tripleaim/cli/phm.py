"""``tripleaim phm``: scores, the risk model, segments and case-finding lists."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from tripleaim.cli.common import (
    EngineName,
    console,
    err,
    load_settings,
    parse_date,
    require_warehouse,
)
from tripleaim.phm import score_population, train_risk_model
from tripleaim.phm.segmenting import cohort_list, export_cohort, segment_population

phm_app = typer.Typer(
    help="Population health management: comorbidity and frailty scores, the risk of "
    "an emergency admission (train, score), segments and case-finding cohorts.",
    no_args_is_help=True,
)


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
    settings = load_settings()
    require_warehouse(settings, "duckdb")
    with err.status("Training the risk model: features, two models, evaluation ..."):
        summary = train_risk_model(settings, parse_date(index_date), out=out)
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
    settings = load_settings()
    require_warehouse(settings, engine)
    with err.status(f"Scoring the population on {engine} ..."):
        scores, risk = score_population(
            settings, engine, parse_date(index_date), model=model
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
    settings = load_settings()
    require_warehouse(settings, "duckdb")
    with err.status("Segmenting the population ..."):
        summary = segment_population(settings, parse_date(index_date))
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
    settings = load_settings()
    require_warehouse(settings, "duckdb")
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
