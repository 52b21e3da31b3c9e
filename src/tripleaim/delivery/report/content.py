"""The board report's content, computed from :class:`ReportInputs` (pure).

One page of summary, the triple-aim gaps side by side, the exceptions the board must
see (KPIs with a special cause of concern or off their trajectory, red projects,
savings slipping against plan, the top risks), the financial bridge and control
total, and every KPI's XmR chart with its variation and assurance icons.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from tripleaim.delivery.finance import (
    bridge,
    bridge_chart,
    control_total,
    financial_gap,
    investment_returns,
    money,
    savings_summary,
    slippage,
)
from tripleaim.delivery.models import RAG, RAG_TITLES
from tripleaim.delivery.periods import financial_year, month_title
from tripleaim.delivery.report.cards import KpiCard, kpi_cards, tally
from tripleaim.delivery.report.inputs import ReportInputs
from tripleaim.delivery.report.svg import svg

RED_RAGS = ("red", "amber_red")
TOP_RISK_SCORE = 15
"""Risks scoring 15 or more on the 5x5 matrix (red) are exceptions."""
TOP_RISKS = 8
SLIPPAGE_SHARE = 0.10
"""A savings line more than 10% behind its plan to date is an exception."""


@dataclass(frozen=True)
class Exceptions:
    """What the board must look at this month."""

    concern: list[KpiCard]
    off_trajectory: list[KpiCard]
    red_projects: list[dict[str, Any]]
    slippage: list[dict[str, Any]]
    risks: list[dict[str, Any]]

    @property
    def count(self) -> int:
        """Number of exception rows."""
        return sum(
            len(x)
            for x in (
                self.concern,
                self.off_trajectory,
                self.red_projects,
                self.slippage,
                self.risks,
            )
        )


@dataclass(frozen=True)
class Finance:
    """The financial plan for the report's financial year and the horizon year."""

    year: str
    horizon: str | None
    gaps: list[dict[str, Any]]
    bridge: list[dict[str, Any]]
    bridge_svg: str
    control: list[dict[str, Any]]
    investments: list[dict[str, Any]]
    headline: dict[str, str]
    note: str = ""


@dataclass(frozen=True)
class BoardReport:
    """Everything the template renders."""

    programme: str
    scope: str
    period: str
    period_title: str
    year: str
    rag_counts: list[tuple[str, str, int]]
    kpis: list[KpiCard]
    tally: dict[str, int]
    exceptions: Exceptions
    finance: Finance
    triple_aim: dict[str, dict[str, Any]]
    workstreams: list[str] = field(default_factory=list)
    streams: list[dict[str, Any]] = field(default_factory=list)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dictionaries keyed by column name (what the template reads)."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _exceptions(inputs: ReportInputs, cards: list[KpiCard], year: str) -> Exceptions:
    projects = inputs.projects
    red = projects[projects["rag"].isin(RED_RAGS)].copy()
    red["rank"] = red["rag"].map({r: i for i, r in enumerate(RED_RAGS)})
    red = red.sort_values(["rank", "workstream", "title"])
    red["rag_title"] = red["rag"].map(RAG_TITLES)
    months = inputs.savings_months
    slipping: list[dict[str, Any]] = []
    if len(months):
        this_year = months[months["financial_year"] == year]
        lines = slippage(
            this_year, inputs.period, keys=["line", "project", "organisation", "scheme"]
        )
        late = lines[(lines["slippage"] > SLIPPAGE_SHARE) & (lines["variance"] < 0)]
        late = late.sort_values("variance")
        slipping = [
            {
                **row,
                "plan_text": money(row["plan_to_date"]),
                "actual_text": money(row["actual_to_date"]),
                "shortfall_text": money(-row["variance"]),
                "share_text": f"{row['slippage']:.0%}",
            }
            for row in _records(late)
        ]
    risks = inputs.risks
    top = risks[risks["score"] >= TOP_RISK_SCORE].sort_values(
        ["score", "impact"], ascending=False
    )
    return Exceptions(
        concern=[c for c in cards if c.concern],
        off_trajectory=[c for c in cards if c.on_track is False],
        red_projects=_records(red),
        slippage=slipping,
        risks=_records(top.head(TOP_RISKS)),
    )


def _finance(inputs: ReportInputs, year: str) -> Finance:
    years = sorted({p.financial_year for p in inputs.plans})
    if not years:
        empty: dict[str, str] = {}
        return Finance(
            year, None, [], [], "", [], [], empty, "No financial plan has been entered."
        )
    horizon = years[-1]
    gaps = financial_gap(inputs.plans)
    system = gaps[gaps["organisation_kind"] == "system"].set_index("financial_year")[
        "gap"
    ]
    rows = [
        {
            **r,
            "resources_text": money(r["resources_available"]),
            "requirement_text": money(r["spending_requirement"]),
            "gap_text": money(r["gap"]),
        }
        for r in _records(gaps[gaps["financial_year"].isin({year, horizon})])
    ]
    savings = (
        savings_summary(inputs.savings, by=["financial_year"])
        if inputs.savings
        else pd.DataFrame()
    )
    mine = savings[savings["financial_year"] == year] if len(savings) else savings
    plan = float(mine["plan_total"].sum()) if len(mine) else 0.0
    adjusted = float(mine["risk_adjusted"].sum()) if len(mine) else 0.0
    if year not in system.index:
        note = f"No financial plan for {year}; the bridge shows none."
        return Finance(year, horizon, rows, [], "", [], [], {}, note)
    system_savings = (
        inputs.savings if inputs.system_savings is None else inputs.system_savings
    )
    steps = bridge(inputs.plans, system_savings, year)
    chart = svg(
        bridge_chart(steps, f"From the do-nothing gap to the plan, {year}"),
        f"Financial bridge {year}",
    )
    control = control_total(inputs.plans, system_savings, year)
    everyone = (
        savings_summary(system_savings, by=["financial_year"])
        if system_savings
        else pd.DataFrame()
    )
    whole = everyone[everyone["financial_year"] == year] if len(everyone) else everyone
    invest = (
        investment_returns(
            [i for i in inputs.investments if i.financial_year == year],
            by=["organisation"],
        )
        if inputs.investments
        else pd.DataFrame()
    )
    headline = {
        "gap": money(float(system[year])),
        "horizon_gap": money(float(system[horizon])),
        "plan": money(float(whole["plan_total"].sum()) if len(whole) else 0.0),
        "risk_adjusted": money(
            float(whole["risk_adjusted"].sum()) if len(whole) else 0.0
        ),
        "scope_plan": money(plan),
        "scope_risk_adjusted": money(adjusted),
        "residual": money(float(steps["end"].iloc[-1])),
    }
    return Finance(
        year=year,
        horizon=horizon,
        gaps=rows,
        bridge=[{**s, "amount_text": money(s["amount"])} for s in _records(steps)],
        bridge_svg=chart,
        control=[
            {
                **c,
                "gap_text": money(c["gap"]),
                "plan_text": money(c["savings_plan"]),
                "adjusted_text": money(c["risk_adjusted_savings"]),
                "position_text": money(c["position"]),
            }
            for c in _records(control)
        ],
        investments=[
            {
                **i,
                "invested_text": money(i["invested"]),
                "return_text": money(i["expected_return"]),
            }
            for i in _records(invest)
        ],
        headline=headline,
    )


def _triple_aim(
    inputs: ReportInputs, cards: list[KpiCard], finance: Finance
) -> dict[str, dict[str, Any]]:
    quality = [c for c in cards if c.quality]
    health: dict[str, Any] = {
        "available": inputs.health is not None,
        "note": inputs.health_note,
    }
    if inputs.health is not None:
        worse = inputs.health.worse
        health |= {
            "area": inputs.health.area,
            "period": inputs.health.period,
            "counts": inputs.health.counts,
            "worse": _records(worse.head(5)),
            "worse_count": len(worse),
        }
    return {
        "health": health,
        "quality": {
            "tally": tally(quality),
            "concerns": [c for c in quality if c.concern or c.on_track is False],
        },
        "finance": {
            "headline": finance.headline,
            "year": finance.year,
            "horizon": finance.horizon,
        },
    }


def _streams(
    inputs: ReportInputs, cards: list[KpiCard], year: str
) -> list[dict[str, Any]]:
    """One row per workstream: projects, red projects, KPIs and their signals, savings."""
    projects = inputs.projects
    months = inputs.savings_months
    due = months[
        (months["financial_year"] == year) & (months["month"] <= inputs.period)
    ]
    rows = []
    for title in inputs.workstreams:
        own = projects[projects["workstream"] == title]
        mine = [c for c in cards if c.workstream == title]
        spent = due[due["workstream"] == title]
        rows.append(
            {
                "title": title,
                "projects": len(own),
                "red": int(own["rag"].isin(RED_RAGS).sum()),
                "kpis": len(mine),
                "concern": sum(c.concern for c in mine),
                "off_trajectory": sum(c.on_track is False for c in mine),
                "plan_text": money(float(spent["plan"].sum())),
                "actual_text": money(
                    float(pd.to_numeric(spent["actual"]).fillna(0).sum())
                ),
            }
        )
    return rows


def build_report(inputs: ReportInputs, *, draw: bool = True) -> BoardReport:
    """The report's content for ``inputs`` (``draw=False`` skips the KPI charts)."""
    year = financial_year(inputs.period)
    cards = kpi_cards(inputs.kpis, inputs.kpi_values, draw=draw)
    rags = Counter(inputs.projects["rag"])
    finance = _finance(inputs, year)
    return BoardReport(
        programme=inputs.programme,
        scope=inputs.scope,
        period=inputs.period,
        period_title=month_title(inputs.period),
        year=year,
        rag_counts=[(r, RAG_TITLES[r], rags.get(r, 0)) for r in RAG],
        kpis=cards,
        tally=tally(cards),
        exceptions=_exceptions(inputs, cards, year),
        finance=finance,
        triple_aim=_triple_aim(inputs, cards, finance),
        workstreams=inputs.workstreams,
        streams=_streams(inputs, cards, year),
    )
