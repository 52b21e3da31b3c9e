"""The monthly cycle and its history: reporting periods, project returns, the change log.

A period (``YYYY-MM``) is opened by the PMO and later locked. A return is one
project's submission for one period (``submitted`` -> ``changes_requested`` or
``approved``; see ``cycle.py``). ``delivery_changes`` keeps every edited field with its
old and new value, who changed it and when, written by ``history.py`` on every edit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tripleaim.delivery.models import Project
from tripleaim.warehouse.store.base import Base, utcnow

PERIOD_STATUSES = ("open", "locked")
RETURN_STATUSES = ("submitted", "changes_requested", "approved")
RETURN_SOURCES = ("form", "workbook")


class Period(Base):
    """A monthly reporting period of a programme."""

    __tablename__ = "delivery_periods"
    __table_args__ = (UniqueConstraint("programme_id", "month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_programmes.id", ondelete="CASCADE"), index=True
    )
    month: Mapped[str] = mapped_column(String(7))
    status: Mapped[str] = mapped_column(String(10), default="open")
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    opened_by: Mapped[str] = mapped_column(String(120), default="")
    locked_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    locked_by: Mapped[str] = mapped_column(String(120), default="")
    returns: Mapped[list[ProjectReturnRecord]] = relationship(back_populates="period")


class ProjectReturnRecord(Base):
    """One project's return for one period, and where it is in review."""

    __tablename__ = "delivery_returns"
    __table_args__ = (UniqueConstraint("period_id", "project_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_periods.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_projects.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    source: Mapped[str] = mapped_column(String(10), default="form")
    commentary: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )
    submitted_by: Mapped[str] = mapped_column(String(120), default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    reviewed_by: Mapped[str] = mapped_column(String(120), default="")
    review_comment: Mapped[str] = mapped_column(Text, default="")
    period: Mapped[Period] = relationship(back_populates="returns")
    project: Mapped[Project] = relationship()


class Change(Base):
    """One field of one record changed: old and new value, who, when and why."""

    __tablename__ = "delivery_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    actor: Mapped[str] = mapped_column(String(120))
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("delivery_projects.id", ondelete="CASCADE"),
        index=True,
        nullable=True,
    )
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(80))
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    context: Mapped[str] = mapped_column(String(200), default="")
