"""The project workbook's layout, shared by the writer and the reader.

One layout serves a single project (its return) and the whole programme (every project
active in the period): each sheet has one row per item (two per KPI and savings line:
trajectory/plan and actual), keyed by project id and item id, with the twelve months
of the period's financial year across. ``TEMPLATE_VERSION`` rises whenever the layout
changes; a workbook of another version is refused.
"""

from __future__ import annotations

from tripleaim.delivery.ledgers import RISK_STATUSES, SAVINGS_STAGES
from tripleaim.delivery.models import MILESTONE_STATUSES, RAG, RAG_TITLES

TEMPLATE_VERSION = 1
META_SHEET = "_meta"
GUIDE = "Guide"
PROJECT = "Project"
MILESTONES = "Milestones"
KPIS = "KPIs"
SAVINGS = "Savings"
RISKS = "Risks"
SHEETS = (GUIDE, PROJECT, MILESTONES, KPIS, SAVINGS, RISKS)
MONTH_HEADERS = tuple(
    f"M{i + 1} {name}"
    for i, name in enumerate(
        (
            "Apr",
            "May",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Oct",
            "Nov",
            "Dec",
            "Jan",
            "Feb",
            "Mar",
        )
    )
)
GUIDE_CELLS = {
    "programme": "B3",
    "period": "B4",
    "scope": "B5",
    "template_version": "B6",
}
"""Where the Guide sheet shows what the hidden metadata holds (errors point here)."""

PROJECT_COLUMNS = (
    "Project id",
    "Project",
    "Workstream",
    "Lead",
    "RAG status",
    "RAG reason",
    "Commentary",
)
PROJECT_INPUTS = {
    "RAG status": "rag",
    "RAG reason": "rag_reason",
    "Commentary": "commentary",
}
MILESTONE_COLUMNS = (
    "Project id",
    "Milestone id",
    "Milestone",
    "Baseline date",
    "Forecast date",
    "Actual date",
    "Status",
)
KPI_COLUMNS = (
    "Project id",
    "KPI id",
    "KPI",
    "Unit",
    "Polarity",
    "Baseline",
    "Target",
    "Series",
    *MONTH_HEADERS,
)
SAVINGS_COLUMNS = (
    "Project id", "Line id", "Organisation", "Scheme", "Category", "Year", "Recurrent",
    "Stage", "Plan total (£k)", "Forecast (£k)", "Series", *MONTH_HEADERS,
)  # fmt: skip
RISK_COLUMNS = (
    "Project id",
    "Risk id",
    "Kind",
    "Risk",
    "Owner",
    "Likelihood",
    "Impact",
    "Score",
    "Status",
    "Mitigation",
)

TRAJECTORY, ACTUAL, PLAN = "Trajectory", "Actual", "Plan"


def titled(code: str) -> str:
    """``in_delivery`` -> ``In delivery``."""
    return code.replace("_", " ").capitalize()


RAG_CHOICES = {RAG_TITLES[code]: code for code in RAG}
STAGE_CHOICES = {titled(code): code for code in SAVINGS_STAGES}
MILESTONE_CHOICES = {titled(code): code for code in MILESTONE_STATUSES}
RISK_STATUS_CHOICES = {titled(code): code for code in RISK_STATUSES}
SCORES = ("1", "2", "3", "4", "5")
