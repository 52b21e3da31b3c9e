"""Programme structure in the operational store: programme, workstreams, projects, milestones, KPIs.

Every table is prefixed ``delivery_``. Months are ``YYYY-MM`` text (``periods.py``),
money is in thousands of pounds (``£k``) as floats, so an Excel round trip is exact.
A project carries a ``version`` column used for optimistic locking (SQLAlchemy's
``version_id_col``): every edit goes through ``history.py``, which checks the version
the editor started from and records old and new values in ``delivery_changes``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tripleaim.warehouse.store.base import Base, utcnow

RAG = ("green", "amber_green", "amber", "amber_red", "red")
"""Delivery confidence, the IPA five-point scale (pmo-finance.md section 2.1)."""
RAG_TITLES = {
    "green": "Green",
    "amber_green": "Amber/Green",
    "amber": "Amber",
    "amber_red": "Amber/Red",
    "red": "Red",
}
WORKSTREAM_KINDS = ("clinical", "enabling")
POLARITIES = ("higher_is_better", "lower_is_better", "neutral")
MILESTONE_STATUSES = ("not_started", "on_track", "at_risk", "late", "complete")


class Programme(Base):
    """A transformation programme: the partnership's portfolio of workstreams."""

    __tablename__ = "delivery_programmes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    start_month: Mapped[str] = mapped_column(String(7))
    end_month: Mapped[str] = mapped_column(String(7))
    workstreams: Mapped[list[Workstream]] = relationship(
        back_populates="programme", order_by="Workstream.position"
    )


class Workstream(Base):
    """A clinical or enabling workstream with its lead."""

    __tablename__ = "delivery_workstreams"
    __table_args__ = (UniqueConstraint("programme_id", "slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_programmes.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    lead: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    programme: Mapped[Programme] = relationship(back_populates="workstreams")
    projects: Mapped[list[Project]] = relationship(
        back_populates="workstream", order_by="Project.slug"
    )


class Project(Base):
    """A project or scheme: lead, RAG with its reason, and a version for optimistic locking."""

    __tablename__ = "delivery_projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workstream_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_workstreams.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    lead: Mapped[str] = mapped_column(String(200), default="")
    lead_username: Mapped[str] = mapped_column(String(80), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    rag: Mapped[str] = mapped_column(String(20), default="green")
    rag_reason: Mapped[str] = mapped_column(Text, default="")
    start_month: Mapped[str] = mapped_column(String(7))
    end_month: Mapped[str] = mapped_column(String(7))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )
    updated_by: Mapped[str] = mapped_column(String(120), default="")
    workstream: Mapped[Workstream] = relationship(back_populates="projects")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="project", order_by="Milestone.baseline_date"
    )
    kpis: Mapped[list[Kpi]] = relationship(back_populates="project", order_by="Kpi.id")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012  (SQLAlchemy API)


class Milestone(Base):
    """A milestone: baseline, forecast and actual dates, and a status."""

    __tablename__ = "delivery_milestones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_projects.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    baseline_date: Mapped[date] = mapped_column(Date)
    forecast_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    actual_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    project: Mapped[Project] = relationship(back_populates="milestones")


class Kpi(Base):
    """A key performance indicator: definition, unit, polarity, baseline and target.

    ``indicator_id`` (with ``area_level`` and ``area_code``) links the KPI to a published
    indicator so its actuals fill themselves (``links.py``); such actuals are not edited
    by returns.
    """

    __tablename__ = "delivery_kpis"
    __table_args__ = (UniqueConstraint("project_id", "slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_projects.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(40))
    polarity: Mapped[str] = mapped_column(String(20))
    baseline: Mapped[float | None] = mapped_column(Float, nullable=True)
    target: Mapped[float | None] = mapped_column(Float, nullable=True)
    quality: Mapped[bool] = mapped_column(Boolean, default=False)
    indicator_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    area_level: Mapped[str | None] = mapped_column(String(20), nullable=True)
    area_code: Mapped[str | None] = mapped_column(String(12), nullable=True)
    project: Mapped[Project] = relationship(back_populates="kpis")
    values: Mapped[list[KpiValue]] = relationship(
        back_populates="kpi", order_by="KpiValue.month"
    )


class KpiValue(Base):
    """A KPI's trajectory (planned value) and actual for one month."""

    __tablename__ = "delivery_kpi_values"
    __table_args__ = (UniqueConstraint("kpi_id", "month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kpi_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_kpis.id", ondelete="CASCADE"), index=True
    )
    month: Mapped[str] = mapped_column(String(7))
    trajectory: Mapped[float | None] = mapped_column(Float, nullable=True)
    actual: Mapped[float | None] = mapped_column(Float, nullable=True)
    source: Mapped[str] = mapped_column(String(20), default="return")
    kpi: Mapped[Kpi] = relationship(back_populates="values")
