"""Transformation delivery: programmes, projects, KPIs, savings, risks and the monthly cycle.

The public API of the capability (web, cli and other capabilities import only this).
The operational model lives in the store (``models.py``: programme, workstreams,
projects, milestones, KPIs; ``ledgers.py``: savings, investment, risks and issues,
benefits, organisations' financial plans; ``records.py``: periods, returns and the
change log). Months are ``YYYY-MM`` text and money is in thousands of pounds. See
``docs/delivery.md``.
"""

from __future__ import annotations

from tripleaim.delivery.history import Actor, ProjectChangedError
from tripleaim.delivery.ledgers import (
    BENEFIT_KINDS,
    ORGANISATION_KINDS,
    RISK_KINDS,
    RISK_STATUSES,
    SAVINGS_CATEGORIES,
    SAVINGS_STAGES,
    Benefit,
    FinancialPlanLine,
    InvestmentLine,
    Risk,
    SavingsLine,
    SavingsMonth,
)
from tripleaim.delivery.models import (
    MILESTONE_STATUSES,
    POLARITIES,
    RAG,
    RAG_TITLES,
    WORKSTREAM_KINDS,
    Kpi,
    KpiValue,
    Milestone,
    Programme,
    Project,
    Workstream,
)
from tripleaim.delivery.periods import (
    PeriodFormatError,
    add_months,
    financial_year,
    month_range,
    month_title,
    year_months,
)
from tripleaim.delivery.records import (
    PERIOD_STATUSES,
    RETURN_SOURCES,
    RETURN_STATUSES,
    Change,
    Period,
    ProjectReturnRecord,
)

__all__ = [
    "BENEFIT_KINDS",
    "MILESTONE_STATUSES",
    "ORGANISATION_KINDS",
    "PERIOD_STATUSES",
    "POLARITIES",
    "RAG",
    "RAG_TITLES",
    "RETURN_SOURCES",
    "RETURN_STATUSES",
    "RISK_KINDS",
    "RISK_STATUSES",
    "SAVINGS_CATEGORIES",
    "SAVINGS_STAGES",
    "WORKSTREAM_KINDS",
    "Actor",
    "Benefit",
    "Change",
    "FinancialPlanLine",
    "InvestmentLine",
    "Kpi",
    "KpiValue",
    "Milestone",
    "Period",
    "PeriodFormatError",
    "Programme",
    "Project",
    "ProjectChangedError",
    "ProjectReturnRecord",
    "Risk",
    "SavingsLine",
    "SavingsMonth",
    "Workstream",
    "add_months",
    "financial_year",
    "month_range",
    "month_title",
    "year_months",
]
