"""The system financial plan: the "do nothing" gap and the single system control total.

Each organisation's gap is its spending requirement less the resources available to
it (positive = a shortfall). Summed over commissioners and providers the flows between
them cancel, so the system gap is the sum of the organisations' gaps (the STP
financial template's "do nothing" gap). Savings close it: the planned position of an
organisation is its risk-adjusted savings less its gap (positive = surplus), and the
system control total is the sum of those positions, each organisation's share its
part of that sum.

References:
    NHS England. Sustainability and transformation plan financial templates and the
    control total regime (2016/17). Health Foundation, "False economy" (2017).
    https://reader.health.org.uk/false-economy
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from tripleaim.delivery.finance.records import (
    FinanceInputError,
    PlanLine,
    SavingsPlan,
    frame,
)
from tripleaim.delivery.finance.savings import savings_frame
from tripleaim.delivery.finance.weights import StageWeights

SYSTEM = "system"


def financial_gap(lines: Iterable[PlanLine]) -> pd.DataFrame:
    """Resources, requirement and gap by year for each kind of organisation and the system.

    Returns rows (``financial_year``, ``organisation_kind``) with kinds in the order
    commissioner, provider, local_authority, then ``system`` (all organisations).
    """
    data = frame(lines, PlanLine)
    sums = ["resources_available", "spending_requirement"]
    kinds = data.groupby(["financial_year", "organisation_kind"], sort=True)[sums].sum()
    system = data.groupby("financial_year", sort=True)[sums].sum()
    system["organisation_kind"] = SYSTEM
    out = pd.concat([kinds.reset_index(), system.reset_index()], ignore_index=True)
    order = {"commissioner": 0, "provider": 1, "local_authority": 2, SYSTEM: 3}
    out = out.sort_values(
        ["financial_year", "organisation_kind"],
        key=lambda c: c.map(order) if c.name == "organisation_kind" else c,
    ).reset_index(drop=True)
    out["gap"] = out["spending_requirement"] - out["resources_available"]
    return out


def control_total(
    lines: Iterable[PlanLine],
    savings: Iterable[SavingsPlan],
    year: str,
    weights: StageWeights | None = None,
) -> pd.DataFrame:
    """Each organisation's gap, savings and planned position for ``year``, and the system's.

    Columns: ``organisation``, ``organisation_kind``, ``gap``, ``savings_plan``,
    ``risk_adjusted_savings``, ``position`` (risk-adjusted savings - gap; positive =
    surplus), ``share_of_gap`` and ``share_of_control_total`` (the organisation's part
    of the system figure; NaN when the system figure is zero). The last row is the
    ``system``. Savings of an organisation with no plan line count with a gap of 0
    (a system-wide scheme held by the partnership).

    Raises:
        FinanceInputError: No plan line for ``year``.
    """
    plans = frame(lines, PlanLine)
    plans = plans[plans["financial_year"] == year]
    if plans.empty:
        raise FinanceInputError(
            f"there is no financial plan for {year}", field="financial_year"
        )
    plans = plans.assign(
        gap=plans["spending_requirement"] - plans["resources_available"]
    )
    schemes = savings_frame([s for s in savings if s.financial_year == year], weights)
    saved = schemes.groupby("organisation")[["plan_total", "risk_adjusted"]].sum()
    orgs = plans.groupby(["organisation", "organisation_kind"], sort=False)["gap"].sum()
    out = orgs.reset_index().merge(saved.reset_index(), on="organisation", how="outer")
    out["organisation_kind"] = out["organisation_kind"].fillna(SYSTEM)
    out = out.fillna({"gap": 0.0, "plan_total": 0.0, "risk_adjusted": 0.0})
    out = out.rename(
        columns={"plan_total": "savings_plan", "risk_adjusted": "risk_adjusted_savings"}
    )
    out["position"] = out["risk_adjusted_savings"] - out["gap"]
    total = out[["gap", "savings_plan", "risk_adjusted_savings", "position"]].sum()
    system = pd.DataFrame(
        [{"organisation": "System", "organisation_kind": SYSTEM, **total}]
    )
    out = pd.concat([out, system], ignore_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share_of_gap"] = out["gap"] / total["gap"] if total["gap"] else np.nan
        out["share_of_control_total"] = (
            out["position"] / total["position"] if total["position"] else np.nan
        )
    return out
