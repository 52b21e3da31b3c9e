"""What a project lead submits for a period, whichever way it arrives (form or workbook).

A :class:`ReturnData` holds the values and, for each one, where it came from
(``Savings!M7`` for a workbook cell, a form field name for the web form), so every
problem found by :func:`problems` names the cell or field to fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from tripleaim.delivery.ledgers import RISK_STATUSES, SAVINGS_STAGES
from tripleaim.delivery.models import MILESTONE_STATUSES, RAG
from tripleaim.errors import LoadError

PLAN_TOLERANCE = 0.05
"""£k: a monthly plan adds up when it is within £50 of the year's plan total."""
LIKELIHOOD_IMPACT = range(1, 6)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a return: where (cell or field) and what."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class ReturnInvalidError(LoadError):
    """A return (form or workbook) was rejected whole; each problem names its cell or field."""

    def __init__(self, problems: list[Problem], heading: str = "") -> None:
        self.problems = problems
        lead = heading or f"The return was rejected ({len(problems)} problem(s))"
        super().__init__(lead + ": " + "; ".join(str(p) for p in problems[:20]))


@dataclass(frozen=True)
class Located:
    """Where each field of an entry came from (field name -> cell or form field)."""

    cells: Mapping[str, str] = field(default_factory=dict)

    def at(self, name: str) -> str:
        """The location of field ``name``."""
        return self.cells.get(name, name)


@dataclass(frozen=True)
class MilestoneEntry(Located):
    """A milestone's forecast and actual dates and status."""

    milestone_id: int = 0
    forecast_date: date | None = None
    actual_date: date | None = None
    status: str = "not_started"


@dataclass(frozen=True)
class KpiEntry(Located):
    """A KPI's trajectory and actual by month (None leaves a blank)."""

    kpi_id: int = 0
    months: Mapping[str, tuple[float | None, float | None]] = field(
        default_factory=dict
    )


@dataclass(frozen=True)
class SavingsEntry(Located):
    """A savings line's stage, plan total, forecast, and plan and actual by month."""

    line_id: int = 0
    stage: str = "identified"
    plan_total: float = 0.0
    forecast: float | None = None
    months: Mapping[str, tuple[float, float | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class RiskEntry(Located):
    """A risk's likelihood, impact, status and mitigation."""

    risk_id: int = 0
    likelihood: int = 1
    impact: int = 1
    status: str = "open"
    mitigation: str = ""


@dataclass(frozen=True)
class ReturnData(Located):
    """One project's return for one period."""

    project: str = ""
    period: str = ""
    expected_version: int | None = None
    rag: str = "green"
    rag_reason: str = ""
    commentary: str = ""
    milestones: tuple[MilestoneEntry, ...] = ()
    kpis: tuple[KpiEntry, ...] = ()
    savings: tuple[SavingsEntry, ...] = ()
    risks: tuple[RiskEntry, ...] = ()


def _rag_problems(data: ReturnData) -> list[Problem]:
    out = []
    if data.rag not in RAG:
        out.append(
            Problem(data.at("rag"), f"'{data.rag}' is not one of {', '.join(RAG)}.")
        )
    elif data.rag != "green" and not data.rag_reason.strip():
        out.append(
            Problem(
                data.at("rag_reason"),
                "give the reason for a status other than green.",
            )
        )
    return out


def _kpi_problems(entry: KpiEntry, period: str, linked: bool) -> list[Problem]:
    out = []
    for month, (_, actual) in entry.months.items():
        if actual is None:
            continue
        if month > period:
            out.append(
                Problem(
                    entry.at(f"actual:{month}"),
                    f"an actual for {month} is after the period {period}; leave it blank.",
                )
            )
        elif linked:
            out.append(
                Problem(
                    entry.at(f"actual:{month}"),
                    "this KPI's actuals come from its linked indicator; leave it blank.",
                )
            )
    return out


def _savings_problems(entry: SavingsEntry, period: str) -> list[Problem]:
    out = []
    if entry.stage not in SAVINGS_STAGES:
        out.append(
            Problem(
                entry.at("stage"),
                f"'{entry.stage}' is not one of {', '.join(SAVINGS_STAGES)}.",
            )
        )
    total = sum(plan for plan, _ in entry.months.values())
    if abs(total - entry.plan_total) > PLAN_TOLERANCE:
        out.append(
            Problem(
                entry.at("plan_total"),
                f"the monthly plan adds up to {total:,.1f} but the year's plan is "
                f"{entry.plan_total:,.1f} (£k): make them agree.",
            )
        )
    for month, (plan, actual) in entry.months.items():
        if plan < 0:
            out.append(Problem(entry.at(f"plan:{month}"), "a plan cannot be negative."))
        if actual is not None and month > period:
            out.append(
                Problem(
                    entry.at(f"actual:{month}"),
                    f"an actual for {month} is after the period {period}; leave it blank.",
                )
            )
    return out


def _milestone_problems(entry: MilestoneEntry) -> list[Problem]:
    out = []
    if entry.status not in MILESTONE_STATUSES:
        out.append(
            Problem(
                entry.at("status"),
                f"'{entry.status}' is not one of {', '.join(MILESTONE_STATUSES)}.",
            )
        )
    if entry.status == "complete" and entry.actual_date is None:
        out.append(
            Problem(
                entry.at("actual_date"), "a complete milestone needs its actual date."
            )
        )
    return out


def _risk_problems(entry: RiskEntry) -> list[Problem]:
    out = [
        Problem(entry.at(name), f"{name} must be a whole number from 1 to 5.")
        for name, value in (("likelihood", entry.likelihood), ("impact", entry.impact))
        if value not in LIKELIHOOD_IMPACT
    ]
    if entry.status not in RISK_STATUSES:
        out.append(
            Problem(
                entry.at("status"),
                f"'{entry.status}' is not one of {', '.join(RISK_STATUSES)}.",
            )
        )
    return out


def problems(
    data: ReturnData, linked_kpis: frozenset[int] = frozenset()
) -> list[Problem]:
    """Every rule a return breaks, each located (empty when it is valid)."""
    out = _rag_problems(data)
    for m in data.milestones:
        out += _milestone_problems(m)
    for k in data.kpis:
        out += _kpi_problems(k, data.period, k.kpi_id in linked_kpis)
    for s in data.savings:
        out += _savings_problems(s, data.period)
    for r in data.risks:
        out += _risk_problems(r)
    return out
