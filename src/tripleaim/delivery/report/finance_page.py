"""The finance page: the system financial plan by year and what closes the gap.

The year's bridge, control total and investment against return are the board
report's finance section (:func:`build_report`); the page adds the plan for every year
(:func:`financial_gap`, with a chart), every savings scheme risk-adjusted by its stage
(:func:`savings_frame`) and the totals by stage with their weights. Money is £k in the
records and written as a board paper writes it (:func:`money`). See
``docs/methods/finance.md``.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
from sqlalchemy.orm import Session

from tripleaim.delivery.finance import financial_gap, money, savings_frame
from tripleaim.delivery.finance import stage_weights as shipped_weights
from tripleaim.delivery.finance.money import millions
from tripleaim.delivery.ledgers import SAVINGS_STAGES
from tripleaim.delivery.periods import check_month, financial_year
from tripleaim.delivery.report.content import build_report
from tripleaim.delivery.report.gather import gather
from tripleaim.delivery.report.pages import latest_month
from tripleaim.delivery.report.svg import svg

KIND_TITLES = {
    "commissioner": "Commissioners",
    "provider": "Providers",
    "local_authority": "Local authorities",
    "system": "System",
}
STAGE_TITLES = {s: s.replace("_", " ").capitalize() for s in SAVINGS_STAGES}


def plan_chart(gaps: pd.DataFrame) -> alt.LayerChart:
    """The system's resources and requirement by year (bars) and the gap (labels), in £m."""
    system = gaps[gaps["organisation_kind"] == "system"]
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "year": system["financial_year"],
                    "measure": title,
                    "value": system[column].map(millions).round(1),
                }
            )
            for column, title in (
                ("resources_available", "Resources available"),
                ("spending_requirement", "Spending requirement"),
            )
        ]
    )
    base = alt.Chart(
        long, title="System resources against requirement", width=340, height=240
    )
    bars = base.mark_bar().encode(
        x=alt.X("year:N", title=None, axis=alt.Axis(labelAngle=0)),
        xOffset="measure:N",
        y=alt.Y("value:Q", title="£ million"),
        color=alt.Color(
            "measure:N",
            scale=alt.Scale(range=["#005eb8", "#ed8b00"]),
            title=None,
            legend=alt.Legend(orient="bottom"),
        ),
    )
    gap = pd.DataFrame(
        {
            "year": system["financial_year"],
            "top": system[["resources_available", "spending_requirement"]]
            .max(axis=1)
            .map(millions),
            "text": ["gap " + money(g, digits=0) for g in system["gap"]],
        }
    )
    labels = (
        alt.Chart(gap)
        .mark_text(dy=-8, fontSize=11)
        .encode(x="year:N", y="top:Q", text="text:N")
    )
    chart: alt.LayerChart = alt.layer(bars, labels).configure_view(stroke=None)
    return chart


def _plan_rows(gaps: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "year": r["financial_year"],
            "kind": KIND_TITLES.get(
                str(r["organisation_kind"]), r["organisation_kind"]
            ),
            "system": r["organisation_kind"] == "system",
            "resources": money(float(r["resources_available"])),
            "requirement": money(float(r["spending_requirement"])),
            "gap": money(float(r["gap"])),
        }
        for r in gaps.to_dict("records")
    ]


def _scheme_rows(schemes: pd.DataFrame) -> list[dict[str, Any]]:
    ordered = schemes.sort_values(["organisation", "scheme"])
    return [
        {
            "organisation": r["organisation"],
            "scheme": r["scheme"],
            "category": r["category"],
            "stage": STAGE_TITLES.get(str(r["stage"]), r["stage"]),
            "weight": f"{float(r['weight']):.0%}",
            "plan": money(float(r["plan_total"])),
            "risk_adjusted": money(float(r["risk_adjusted"])),
            "recurrent": bool(r["recurrent"]),
        }
        for r in ordered.to_dict("records")
    ]


def _stage_rows(schemes: pd.DataFrame) -> list[dict[str, Any]]:
    weights = shipped_weights().weights
    totals = schemes.groupby("stage")[["plan_total", "risk_adjusted"]].sum()
    return [
        {
            "stage": STAGE_TITLES[stage],
            "weight": f"{weights[stage]:.0%}",
            "plan": money(float(totals["plan_total"].get(stage, 0.0))),
            "risk_adjusted": money(float(totals["risk_adjusted"].get(stage, 0.0))),
        }
        for stage in SAVINGS_STAGES
    ]


def finance_page(
    session: Session, month: str | None = None, programme: str | None = None
) -> dict[str, Any]:
    """Everything the finance page shows, for the latest period's financial year."""
    month = month or latest_month(session, programme)
    check_month(month)
    inputs = gather(session, month, programme=programme)
    report = build_report(inputs, draw=False)
    year = financial_year(month)
    gaps = financial_gap(inputs.plans) if inputs.plans else pd.DataFrame()
    schemes = (
        savings_frame([s for s in inputs.savings if s.financial_year == year])
        if any(s.financial_year == year for s in inputs.savings)
        else pd.DataFrame()
    )
    return {
        "programme": inputs.programme,
        "month": month,
        "year": year,
        "finance": report.finance,
        "plan_rows": _plan_rows(gaps) if len(gaps) else [],
        "plan_svg": svg(plan_chart(gaps), "System resources against requirement")
        if len(gaps)
        else "",
        "schemes": _scheme_rows(schemes) if len(schemes) else [],
        "stages": _stage_rows(schemes) if len(schemes) else [],
        "weights_source": shipped_weights().source,
    }
