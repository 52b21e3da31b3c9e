"""Money and risk held per project: savings, investment, risks and issues, benefits; financial plans.

Money is in thousands of pounds (``£k``). A savings line belongs to one financial year
(``2017/18``) and has a monthly plan and actual (``delivery_savings_months``); its
``plan_total`` is what the monthly plan must add up to, and ``forecast`` the expected
outturn for the year. ``delivery_financial_plans`` holds each organisation's resources
available and spending requirement by year, from which the "do nothing" gap follows.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tripleaim.warehouse.store.base import Base

SAVINGS_CATEGORIES = ("qipp", "cip", "system")
"""QIPP (commissioner), CIP (provider cost improvement) or system-wide scheme."""
SAVINGS_STAGES = ("unidentified", "identified", "in_delivery", "delivered")
RISK_KINDS = ("risk", "issue")
RISK_STATUSES = ("open", "closed")
BENEFIT_KINDS = ("cash_releasing", "non_cash", "quality")
ORGANISATION_KINDS = ("commissioner", "provider", "local_authority")


class SavingsLine(Base):
    """A savings scheme line for one organisation and financial year."""

    __tablename__ = "delivery_savings_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_projects.id", ondelete="CASCADE"), index=True
    )
    organisation: Mapped[str] = mapped_column(String(200))
    scheme: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(20))
    financial_year: Mapped[str] = mapped_column(String(7))
    recurrent: Mapped[bool] = mapped_column(Boolean, default=True)
    stage: Mapped[str] = mapped_column(String(20), default="identified")
    plan_total: Mapped[float] = mapped_column(Float, default=0.0)
    forecast: Mapped[float | None] = mapped_column(Float, nullable=True)
    months: Mapped[list[SavingsMonth]] = relationship(
        back_populates="line", order_by="SavingsMonth.month"
    )


class SavingsMonth(Base):
    """A savings line's plan and actual for one month (£k)."""

    __tablename__ = "delivery_savings_months"
    __table_args__ = (UniqueConstraint("line_id", "month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    line_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_savings_lines.id", ondelete="CASCADE"), index=True
    )
    month: Mapped[str] = mapped_column(String(7))
    plan: Mapped[float] = mapped_column(Float, default=0.0)
    actual: Mapped[float | None] = mapped_column(Float, nullable=True)
    line: Mapped[SavingsLine] = relationship(back_populates="months")


class InvestmentLine(Base):
    """Money invested in a project in a financial year, and the annual return expected from it."""

    __tablename__ = "delivery_investment_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_projects.id", ondelete="CASCADE"), index=True
    )
    organisation: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(200))
    financial_year: Mapped[str] = mapped_column(String(7))
    planned: Mapped[float] = mapped_column(Float, default=0.0)
    actual: Mapped[float | None] = mapped_column(Float, nullable=True)
    expected_return: Mapped[float] = mapped_column(Float, default=0.0)
    recurrent: Mapped[bool] = mapped_column(Boolean, default=False)


class Risk(Base):
    """A risk or issue scored on a 5x5 likelihood x impact matrix."""

    __tablename__ = "delivery_risks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_projects.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10), default="risk")
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(200), default="")
    likelihood: Mapped[int] = mapped_column(Integer)
    impact: Mapped[int] = mapped_column(Integer)
    mitigation: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    raised_on: Mapped[date] = mapped_column(Date)

    @property
    def score(self) -> int:
        """Likelihood x impact, 1 to 25."""
        return self.likelihood * self.impact


class Benefit(Base):
    """A benefit the project should realise, planned against realised."""

    __tablename__ = "delivery_benefits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_projects.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    measure: Mapped[str] = mapped_column(String(200), default="")
    owner: Mapped[str] = mapped_column(String(200), default="")
    planned: Mapped[float | None] = mapped_column(Float, nullable=True)
    realised: Mapped[float | None] = mapped_column(Float, nullable=True)


class FinancialPlanLine(Base):
    """An organisation's resources available and spending requirement for one year (£k)."""

    __tablename__ = "delivery_financial_plans"
    __table_args__ = (
        UniqueConstraint("programme_id", "organisation", "financial_year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_programmes.id", ondelete="CASCADE"), index=True
    )
    organisation: Mapped[str] = mapped_column(String(200))
    organisation_kind: Mapped[str] = mapped_column(String(20))
    financial_year: Mapped[str] = mapped_column(String(7))
    resources_available: Mapped[float] = mapped_column(Float)
    spending_requirement: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")

    @property
    def gap(self) -> float:
        """Spending requirement minus resources available (positive = shortfall)."""
        return self.spending_requirement - self.resources_available
