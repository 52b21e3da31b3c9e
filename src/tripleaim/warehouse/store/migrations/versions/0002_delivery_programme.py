"""Transformation delivery: programme, workstreams, projects, KPIs, savings, risks, the monthly cycle and the change log.

Revision ID: 0002_delivery
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_delivery"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the delivery tables."""
    op.create_table(
        "delivery_programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("start_month", sa.String(length=7), nullable=False),
        sa.Column("end_month", sa.String(length=7), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_programmes")),
        sa.UniqueConstraint("slug", name=op.f("uq_delivery_programmes_slug")),
    )
    op.create_table(
        "delivery_financial_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("organisation_kind", sa.String(length=20), nullable=False),
        sa.Column("financial_year", sa.String(length=7), nullable=False),
        sa.Column("resources_available", sa.Float(), nullable=False),
        sa.Column("spending_requirement", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["delivery_programmes.id"],
            name=op.f("fk_delivery_financial_plans_programme_id_delivery_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_financial_plans")),
        sa.UniqueConstraint(
            "programme_id",
            "organisation",
            "financial_year",
            name=op.f("uq_delivery_financial_plans_programme_id"),
        ),
    )
    op.create_index(
        op.f("ix_delivery_financial_plans_programme_id"),
        "delivery_financial_plans",
        ["programme_id"],
        unique=False,
    )
    op.create_table(
        "delivery_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(length=120), nullable=False),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["delivery_programmes.id"],
            name=op.f("fk_delivery_periods_programme_id_delivery_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_periods")),
        sa.UniqueConstraint(
            "programme_id", "month", name=op.f("uq_delivery_periods_programme_id")
        ),
    )
    op.create_index(
        op.f("ix_delivery_periods_programme_id"),
        "delivery_periods",
        ["programme_id"],
        unique=False,
    )
    op.create_table(
        "delivery_workstreams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("lead", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["delivery_programmes.id"],
            name=op.f("fk_delivery_workstreams_programme_id_delivery_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_workstreams")),
        sa.UniqueConstraint(
            "programme_id", "slug", name=op.f("uq_delivery_workstreams_programme_id")
        ),
    )
    op.create_index(
        op.f("ix_delivery_workstreams_programme_id"),
        "delivery_workstreams",
        ["programme_id"],
        unique=False,
    )
    op.create_table(
        "delivery_projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workstream_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("lead", sa.String(length=200), nullable=False),
        sa.Column("lead_username", sa.String(length=80), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("rag", sa.String(length=20), nullable=False),
        sa.Column("rag_reason", sa.Text(), nullable=False),
        sa.Column("start_month", sa.String(length=7), nullable=False),
        sa.Column("end_month", sa.String(length=7), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["workstream_id"],
            ["delivery_workstreams.id"],
            name=op.f("fk_delivery_projects_workstream_id_delivery_workstreams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_projects")),
        sa.UniqueConstraint("slug", name=op.f("uq_delivery_projects_slug")),
    )
    op.create_index(
        op.f("ix_delivery_projects_workstream_id"),
        "delivery_projects",
        ["workstream_id"],
        unique=False,
    )
    op.create_table(
        "delivery_benefits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("measure", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("planned", sa.Float(), nullable=True),
        sa.Column("realised", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["delivery_projects.id"],
            name=op.f("fk_delivery_benefits_project_id_delivery_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_benefits")),
    )
    op.create_index(
        op.f("ix_delivery_benefits_project_id"),
        "delivery_benefits",
        ["project_id"],
        unique=False,
    )
    op.create_table(
        "delivery_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=80), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("context", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["delivery_projects.id"],
            name=op.f("fk_delivery_changes_project_id_delivery_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_changes")),
    )
    op.create_index(
        op.f("ix_delivery_changes_at"), "delivery_changes", ["at"], unique=False
    )
    op.create_index(
        op.f("ix_delivery_changes_project_id"),
        "delivery_changes",
        ["project_id"],
        unique=False,
    )
    op.create_table(
        "delivery_investment_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("financial_year", sa.String(length=7), nullable=False),
        sa.Column("planned", sa.Float(), nullable=False),
        sa.Column("actual", sa.Float(), nullable=True),
        sa.Column("expected_return", sa.Float(), nullable=False),
        sa.Column("recurrent", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["delivery_projects.id"],
            name=op.f("fk_delivery_investment_lines_project_id_delivery_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_investment_lines")),
    )
    op.create_index(
        op.f("ix_delivery_investment_lines_project_id"),
        "delivery_investment_lines",
        ["project_id"],
        unique=False,
    )
    op.create_table(
        "delivery_kpis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("polarity", sa.String(length=20), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("quality", sa.Boolean(), nullable=False),
        sa.Column("indicator_id", sa.String(length=80), nullable=True),
        sa.Column("area_level", sa.String(length=20), nullable=True),
        sa.Column("area_code", sa.String(length=12), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["delivery_projects.id"],
            name=op.f("fk_delivery_kpis_project_id_delivery_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_kpis")),
        sa.UniqueConstraint(
            "project_id", "slug", name=op.f("uq_delivery_kpis_project_id")
        ),
    )
    op.create_index(
        op.f("ix_delivery_kpis_project_id"),
        "delivery_kpis",
        ["project_id"],
        unique=False,
    )
    op.create_table(
        "delivery_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("baseline_date", sa.Date(), nullable=False),
        sa.Column("forecast_date", sa.Date(), nullable=True),
        sa.Column("actual_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["delivery_projects.id"],
            name=op.f("fk_delivery_milestones_project_id_delivery_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_milestones")),
    )
    op.create_index(
        op.f("ix_delivery_milestones_project_id"),
        "delivery_milestones",
        ["project_id"],
        unique=False,
    )
    op.create_table(
        "delivery_returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("commentary", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", sa.String(length=120), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.String(length=120), nullable=False),
        sa.Column("review_comment", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["delivery_periods.id"],
            name=op.f("fk_delivery_returns_period_id_delivery_periods"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["delivery_projects.id"],
            name=op.f("fk_delivery_returns_project_id_delivery_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_returns")),
        sa.UniqueConstraint(
            "period_id", "project_id", name=op.f("uq_delivery_returns_period_id")
        ),
    )
    op.create_index(
        op.f("ix_delivery_returns_period_id"),
        "delivery_returns",
        ["period_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_delivery_returns_project_id"),
        "delivery_returns",
        ["project_id"],
        unique=False,
    )
    op.create_table(
        "delivery_risks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("impact", sa.Integer(), nullable=False),
        sa.Column("mitigation", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["delivery_projects.id"],
            name=op.f("fk_delivery_risks_project_id_delivery_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_risks")),
    )
    op.create_index(
        op.f("ix_delivery_risks_project_id"),
        "delivery_risks",
        ["project_id"],
        unique=False,
    )
    op.create_table(
        "delivery_savings_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("scheme", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("financial_year", sa.String(length=7), nullable=False),
        sa.Column("recurrent", sa.Boolean(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("plan_total", sa.Float(), nullable=False),
        sa.Column("forecast", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["delivery_projects.id"],
            name=op.f("fk_delivery_savings_lines_project_id_delivery_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_savings_lines")),
    )
    op.create_index(
        op.f("ix_delivery_savings_lines_project_id"),
        "delivery_savings_lines",
        ["project_id"],
        unique=False,
    )
    op.create_table(
        "delivery_kpi_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("trajectory", sa.Float(), nullable=True),
        sa.Column("actual", sa.Float(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["kpi_id"],
            ["delivery_kpis.id"],
            name=op.f("fk_delivery_kpi_values_kpi_id_delivery_kpis"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_kpi_values")),
        sa.UniqueConstraint(
            "kpi_id", "month", name=op.f("uq_delivery_kpi_values_kpi_id")
        ),
    )
    op.create_index(
        op.f("ix_delivery_kpi_values_kpi_id"),
        "delivery_kpi_values",
        ["kpi_id"],
        unique=False,
    )
    op.create_table(
        "delivery_savings_months",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("plan", sa.Float(), nullable=False),
        sa.Column("actual", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["delivery_savings_lines.id"],
            name=op.f("fk_delivery_savings_months_line_id_delivery_savings_lines"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_savings_months")),
        sa.UniqueConstraint(
            "line_id", "month", name=op.f("uq_delivery_savings_months_line_id")
        ),
    )

    op.create_index(
        op.f("ix_delivery_savings_months_line_id"),
        "delivery_savings_months",
        ["line_id"],
        unique=False,
    )


def downgrade() -> None:
    """Drop the delivery tables."""
    op.drop_index(
        op.f("ix_delivery_savings_months_line_id"), table_name="delivery_savings_months"
    )
    op.drop_table("delivery_savings_months")
    op.drop_index(
        op.f("ix_delivery_kpi_values_kpi_id"), table_name="delivery_kpi_values"
    )
    op.drop_table("delivery_kpi_values")
    op.drop_index(
        op.f("ix_delivery_savings_lines_project_id"),
        table_name="delivery_savings_lines",
    )
    op.drop_table("delivery_savings_lines")
    op.drop_index(op.f("ix_delivery_risks_project_id"), table_name="delivery_risks")
    op.drop_table("delivery_risks")
    op.drop_index(op.f("ix_delivery_returns_project_id"), table_name="delivery_returns")
    op.drop_index(op.f("ix_delivery_returns_period_id"), table_name="delivery_returns")
    op.drop_table("delivery_returns")
    op.drop_index(
        op.f("ix_delivery_milestones_project_id"), table_name="delivery_milestones"
    )
    op.drop_table("delivery_milestones")
    op.drop_index(op.f("ix_delivery_kpis_project_id"), table_name="delivery_kpis")
    op.drop_table("delivery_kpis")
    op.drop_index(
        op.f("ix_delivery_investment_lines_project_id"),
        table_name="delivery_investment_lines",
    )
    op.drop_table("delivery_investment_lines")
    op.drop_index(op.f("ix_delivery_changes_project_id"), table_name="delivery_changes")
    op.drop_index(op.f("ix_delivery_changes_at"), table_name="delivery_changes")
    op.drop_table("delivery_changes")
    op.drop_index(
        op.f("ix_delivery_benefits_project_id"), table_name="delivery_benefits"
    )
    op.drop_table("delivery_benefits")
    op.drop_index(
        op.f("ix_delivery_projects_workstream_id"), table_name="delivery_projects"
    )
    op.drop_table("delivery_projects")
    op.drop_index(
        op.f("ix_delivery_workstreams_programme_id"), table_name="delivery_workstreams"
    )
    op.drop_table("delivery_workstreams")
    op.drop_index(
        op.f("ix_delivery_periods_programme_id"), table_name="delivery_periods"
    )
    op.drop_table("delivery_periods")
    op.drop_index(
        op.f("ix_delivery_financial_plans_programme_id"),
        table_name="delivery_financial_plans",
    )
    op.drop_table("delivery_financial_plans")
    op.drop_table("delivery_programmes")
