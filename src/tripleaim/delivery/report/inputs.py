"""What a board report is made from: plain frames and records, whatever their source.

:class:`ReportInputs` is the contract between where the data lives (the delivery store,
read by :mod:`gather`) and the report (:mod:`content`, pure). A test builds one by hand;
the CLI builds it from the store. Money is in £k, months are ``YYYY-MM``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from tripleaim.delivery.finance import Investment, PlanLine, SavingsPlan

KPI_COLUMNS = (
    "key",
    "title",
    "unit",
    "polarity",
    "target",
    "quality",
    "project",
    "workstream",
)
"""``kpis``: one row per KPI; ``polarity`` is higher_is_better, lower_is_better or neutral."""
KPI_VALUE_COLUMNS = ("key", "month", "actual", "trajectory")
"""``kpi_values``: one row per KPI and month (actual missing = not reported)."""
PROJECT_COLUMNS = (
    "slug",
    "title",
    "workstream",
    "rag",
    "rag_reason",
    "lead",
    "organisation",
)
SAVINGS_MONTH_COLUMNS = (
    "line",
    "project",
    "workstream",
    "organisation",
    "scheme",
    "financial_year",
    "month",
    "plan",
    "actual",
)
RISK_COLUMNS = (
    "project",
    "workstream",
    "kind",
    "title",
    "owner",
    "likelihood",
    "impact",
    "score",
    "mitigation",
)
"""``risks``: open risks and issues only."""


@dataclass(frozen=True)
class HealthGap:
    """The health and wellbeing gap from the indicator profiles (system level)."""

    period: str
    area: str
    worse: pd.DataFrame
    """Indicators significantly worse than benchmark: ``title``, ``value``, ``benchmark_value``, ``unit``."""
    counts: dict[str, int]
    """Indicators by comparison with the benchmark (better, similar, worse ...)."""


@dataclass(frozen=True)
class ReportInputs:
    """Everything a monthly board report shows, for one scope (partnership or workstream)."""

    programme: str
    period: str
    scope: str
    kpis: pd.DataFrame
    kpi_values: pd.DataFrame
    projects: pd.DataFrame
    savings: list[SavingsPlan]
    savings_months: pd.DataFrame
    plans: list[PlanLine]
    investments: list[Investment]
    risks: pd.DataFrame
    system_savings: list[SavingsPlan] | None = None
    """Every savings plan of the programme (the bridge and control total are the
    system's); ``None`` when ``savings`` already are (a whole-partnership report)."""
    health: HealthGap | None = None
    health_note: str = ""
    workstream: str | None = None
    workstreams: list[str] = field(default_factory=list)
