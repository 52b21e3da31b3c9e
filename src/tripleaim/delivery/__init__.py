"""Transformation delivery: programmes, projects, KPIs, savings, risks and the monthly cycle.

The public API of the capability (web, cli and other capabilities import only this).
The operational model lives in the store (``models.py``: programme, workstreams,
projects, milestones, KPIs; ``ledgers.py``: savings, investment, risks and issues,
benefits, organisations' financial plans; ``records.py``: periods, returns and the
change log). Months are ``YYYY-MM`` text and money is in thousands of pounds. See
``docs/delivery.md``.
"""

from __future__ import annotations

from tripleaim.delivery.cycle import (
    PeriodLockedError,
    TransitionError,
    lock_period,
    next_status,
    open_period,
    programme_of,
    project_of,
    record_refusal,
    review_return,
)
from tripleaim.delivery.forms import form_view, return_from_form
from tripleaim.delivery.history import Actor, NotProjectLeadError, ProjectChangedError
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
from tripleaim.delivery.links import LinkSummary, refresh_linked_kpis
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
from tripleaim.delivery.returns import (
    KpiEntry,
    MilestoneEntry,
    Problem,
    ReturnData,
    ReturnInvalidError,
    RiskEntry,
    SavingsEntry,
)
from tripleaim.delivery.seed import SeedSummary, demo_spec, load_demo
from tripleaim.delivery.service import (
    financial_plans,
    kpi_status,
    period_view,
    periods,
    programme_overview,
    project_view,
    savings_summary,
    submit,
)
from tripleaim.delivery.submission import SubmissionResult, update_project
from tripleaim.delivery.uploads import upload_workbook
from tripleaim.delivery.workbook import render as render_workbook
from tripleaim.delivery.workbook_format import TEMPLATE_VERSION
from tripleaim.delivery.workbook_read import read_workbook

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
    "TEMPLATE_VERSION",
    "WORKSTREAM_KINDS",
    "Actor",
    "Benefit",
    "Change",
    "FinancialPlanLine",
    "InvestmentLine",
    "Kpi",
    "KpiEntry",
    "KpiValue",
    "LinkSummary",
    "Milestone",
    "MilestoneEntry",
    "NotProjectLeadError",
    "Period",
    "PeriodFormatError",
    "PeriodLockedError",
    "Problem",
    "Programme",
    "Project",
    "ProjectChangedError",
    "ProjectReturnRecord",
    "ReturnData",
    "ReturnInvalidError",
    "Risk",
    "RiskEntry",
    "SavingsEntry",
    "SavingsLine",
    "SavingsMonth",
    "SeedSummary",
    "SubmissionResult",
    "TransitionError",
    "Workstream",
    "add_months",
    "demo_spec",
    "financial_plans",
    "financial_year",
    "form_view",
    "kpi_status",
    "load_demo",
    "lock_period",
    "month_range",
    "month_title",
    "next_status",
    "open_period",
    "period_view",
    "periods",
    "programme_of",
    "programme_overview",
    "project_of",
    "project_view",
    "read_workbook",
    "record_refusal",
    "refresh_linked_kpis",
    "render_workbook",
    "return_from_form",
    "review_return",
    "savings_summary",
    "submit",
    "update_project",
    "upload_workbook",
    "year_months",
]
