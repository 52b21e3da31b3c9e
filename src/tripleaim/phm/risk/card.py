"""The model card snippet written beside each artifact: the figures, in Markdown.

``docs/methods/phm-risk-model.md`` is the full card; this snippet holds the numbers
of one trained version so the two can be compared.
"""

from __future__ import annotations

from typing import Any


def _f(value: Any, places: int = 3) -> str:
    return "-" if value is None else f"{value:.{places}f}"


def _pct(value: Any) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def performance_rows(groups: dict[str, dict[str, Any]]) -> list[str]:
    """Markdown rows: group, persons, events, observed, expected, c-statistic, E/O."""
    return [
        f"| {name} | {g['persons']:,} | {g['events']:,} | {_pct(g['observed_rate'])} "
        f"| {_pct(g['expected_rate'])} | {_f(g['c_statistic'])} "
        f"| {_f(g['expected_observed'], 2)} |"
        for name, g in groups.items()
    ]


def render(version: str, m: dict[str, Any]) -> str:
    """The Markdown snippet of one trained version's metrics."""
    hold = m["holdout"]
    lines = [
        f"# Risk of emergency admission: model {version}",
        "",
        f"Index date {m['index_date']}; outcome: an emergency admission from the "
        f"index date to the day before {m['outcome_end']}. {m['persons']:,} people "
        f"({m['split']['training']:,} training, {m['split']['validation']:,} "
        f"validation, {m['split']['holdout']:,} hold-out), {m['events']:,} admitted. "
        f"Seed {m['seed']}.",
        "",
        "## Models compared",
        "",
        "| model | validation c | validation Brier | hold-out c | hold-out Brier |",
        "|---|---|---|---|---|",
    ]
    for kind, c in m["candidates"].items():
        lines.append(
            f"| {kind} | {_f(c['validation']['c_statistic'])} "
            f"| {_f(c['validation']['brier'], 4)} "
            f"| {_f(c['holdout']['c_statistic'])} | {_f(c['holdout']['brier'], 4)} |"
        )
    lines += [
        "",
        f"Chosen: **{m['chosen']}**. Hold-out c-statistic {_f(hold['c_statistic'])}, "
        f"Brier {_f(hold['brier'], 4)}, expected/observed "
        f"{_f(hold['expected_observed'], 3)}; calibrated within tolerance: "
        f"{'yes' if hold['calibrated'] else 'no'}.",
        "",
        "## Calibration on the hold-out (deciles of predicted risk)",
        "",
        "| decile | persons | expected | observed | tolerance | within |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {b['decile']} | {b['persons']:,} | {_pct(b['expected'])} "
        f"| {_pct(b['observed'])} | {_pct(b['tolerance'])} "
        f"| {'yes' if b['within_tolerance'] else 'no'} |"
        for b in hold["calibration"]
    ]
    for name, groups in hold["subgroups"].items():
        lines += [
            "",
            f"## Hold-out by {name.replace('_', ' ')}",
            "",
            "| group | persons | events | observed | expected | c-statistic | E/O |",
            "|---|---|---|---|---|---|---|",
            *performance_rows(groups),
        ]
    temporal = m.get("temporal")
    if temporal:
        lines += [
            "",
            f"## Temporal validation at {temporal['index_date']}",
            "",
            f"Everyone registered then ({temporal['persons']:,}, "
            f"{temporal['events']:,} admitted): c-statistic "
            f"{_f(temporal['c_statistic'])}, Brier {_f(temporal['brier'], 4)}, "
            f"expected/observed {_f(temporal['expected_observed'], 3)}.",
        ]
    return "\n".join(lines) + "\n"
