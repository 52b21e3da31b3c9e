"""Pydantic models validating the demo programme definition (``definitions/*.yaml``).

The definition says what the programme is (workstreams, projects, KPIs with baseline,
target and trajectory, savings lines, investment, risks, benefits, financial plans) and
how each series behaves in the seeded history (``achievement``: the share of the planned
improvement or saving that is delivered). ``seed.py`` turns it into store rows.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Slug = str
MonthText = str


class Frozen(BaseModel):
    """Frozen, no unknown fields (house style)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class MilestoneSpec(Frozen):
    """A milestone and how it turned out."""

    title: str
    baseline: date
    slip_days: int = Field(0, description="Forecast or actual later than baseline by.")
    done: bool = False


class KpiSpec(Frozen):
    """A KPI and its seeded history."""

    id: Slug = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    definition: str
    unit: str
    polarity: Literal["higher_is_better", "lower_is_better", "neutral"]
    baseline: float
    target: float
    target_month: MonthText
    quality: bool = False
    achievement: float = Field(1.0, ge=0, le=1.5)
    noise: float = Field(ge=0)
    decimals: int = Field(1, ge=0, le=3)
    indicator_id: str | None = None
    area_level: Literal["icb", "place", "pcn", "practice"] | None = None


class SavingsSpec(Frozen):
    """A savings line for one year (£k) and how much of it is delivered."""

    organisation: str
    scheme: str
    category: Literal["qipp", "cip", "system"]
    year: str = Field(pattern=r"^\d{4}/\d{2}$")
    plan_total: float = Field(ge=0)
    recurrent: bool = True
    stage: Literal["unidentified", "identified", "in_delivery", "delivered"]
    achievement: float = Field(1.0, ge=0, le=1.5)
    ramp: bool = Field(False, description="Phase the plan rising through the year.")


class InvestmentSpec(Frozen):
    """Money invested (£k) and the annual return expected."""

    organisation: str
    description: str
    year: str = Field(pattern=r"^\d{4}/\d{2}$")
    planned: float = Field(ge=0)
    spent_share: float = Field(1.0, ge=0, le=1.5)
    expected_return: float = Field(0.0, ge=0)
    recurrent: bool = False


class RiskSpec(Frozen):
    """A risk or issue on the 5x5 matrix."""

    title: str
    kind: Literal["risk", "issue"] = "risk"
    owner: str
    likelihood: int = Field(ge=1, le=5)
    impact: int = Field(ge=1, le=5)
    mitigation: str = ""
    raised_on: date


class BenefitSpec(Frozen):
    """A benefit, planned and realised."""

    title: str
    kind: Literal["cash_releasing", "non_cash", "quality"]
    measure: str
    owner: str
    planned: float
    realised: float | None = None


class ProjectSpec(Frozen):
    """A project with everything it holds."""

    id: Slug = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    description: str
    lead: str
    lead_username: str = ""
    organisation: str
    rag: Literal["green", "amber_green", "amber", "amber_red", "red"]
    rag_reason: str
    start_month: MonthText
    end_month: MonthText
    milestones: tuple[MilestoneSpec, ...] = ()
    kpis: tuple[KpiSpec, ...] = ()
    savings: tuple[SavingsSpec, ...] = ()
    investments: tuple[InvestmentSpec, ...] = ()
    risks: tuple[RiskSpec, ...] = ()
    benefits: tuple[BenefitSpec, ...] = ()


class WorkstreamSpec(Frozen):
    """A clinical or enabling workstream."""

    id: Slug = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    kind: Literal["clinical", "enabling"]
    lead: str
    description: str
    projects: tuple[ProjectSpec, ...]


class FinancialPlanSpec(Frozen):
    """An organisation's plan in its horizon year (£k) and the growth behind earlier years."""

    organisation: str
    kind: Literal["commissioner", "provider", "local_authority"]
    resources_available: float = Field(gt=0)
    spending_requirement: float = Field(gt=0)
    resource_growth: float = Field(description="Annual growth of resources, e.g. 0.02.")
    spending_growth: float = Field(description="Annual growth of the requirement.")


class ProgrammeSpec(Frozen):
    """The demo programme."""

    id: Slug = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    description: str
    source: str
    version: int
    seed: int
    start_month: MonthText
    end_month: MonthText
    history_until: MonthText
    plan_years: tuple[str, ...]
    horizon_year: str
    financial_plans: tuple[FinancialPlanSpec, ...]
    workstreams: tuple[WorkstreamSpec, ...]

    @model_validator(mode="after")
    def _unique_ids(self) -> ProgrammeSpec:
        projects = [p.id for w in self.workstreams for p in w.projects]
        if len(set(projects)) != len(projects):
            raise ValueError("project ids must be unique across the programme")
        if self.horizon_year not in self.plan_years:
            raise ValueError("horizon_year must be one of plan_years")
        return self
