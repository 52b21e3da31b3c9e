"""Savings plans: totals by organisation and scheme, risk-adjusted by stage, and slippage.

The risk-adjusted value of a scheme is its plan times the weight of its stage
(:mod:`tripleaim.delivery.finance.weights`); the risk is the difference. Slippage
compares the plan to date with the actual to date, month by month, as the PMO's
monthly savings tracker does (NAO 2011 on QIPP monitoring: planned and actual savings,
exception report for schemes off track).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from tripleaim.delivery.finance.records import FinanceInputError, SavingsPlan, frame
from tripleaim.delivery.finance.weights import StageWeights, stage_weights


def savings_frame(
    savings: Iterable[SavingsPlan], weights: StageWeights | None = None
) -> pd.DataFrame:
    """One row per scheme with ``weight``, ``risk_adjusted``, ``risk`` and ``expected``.

    ``expected`` is the forecast where one is given, else the plan.
    """
    chosen = weights or stage_weights()
    data = frame(savings, SavingsPlan)
    weight = data["stage"].map(chosen.weights).astype(float)
    forecast = pd.to_numeric(data["forecast"], errors="coerce").astype(float)
    return data.assign(
        weight=weight,
        risk_adjusted=data["plan_total"] * weight,
        risk=data["plan_total"] * (1 - weight),
        expected=forecast.fillna(data["plan_total"].astype(float)),
    )


def savings_summary(
    savings: Iterable[SavingsPlan],
    by: Sequence[str] = ("financial_year", "organisation", "scheme"),
    weights: StageWeights | None = None,
) -> pd.DataFrame:
    """Plan, risk-adjusted plan, risk, expected outturn and recurrent plan by ``by``."""
    data = savings_frame(savings, weights)
    data = data.assign(recurrent_plan=data["plan_total"].where(data["recurrent"], 0.0))
    totals = ["plan_total", "risk_adjusted", "risk", "expected", "recurrent_plan"]
    return data.groupby(list(by), sort=True)[totals].sum().reset_index()


def slippage(
    months: pd.DataFrame, period: str, keys: Sequence[str] = ("line",)
) -> pd.DataFrame:
    """Plan and actual to date (months up to and including ``period``) per savings line.

    Args:
        months: One row per line and month: ``keys``, ``month`` (``YYYY-MM``),
            ``plan`` and ``actual`` (missing = not yet reported).
        period: The reporting month, ``YYYY-MM``.
        keys: Columns naming a line.

    Returns:
        Per line: ``plan_to_date``, ``actual_to_date`` (reported months only),
        ``variance`` (actual - plan) and ``slippage`` (plan - actual, as a share of the
        plan; NaN when nothing was planned), ``months_reported`` and ``months_due``.
    """
    if len(period) != 7 or period[4] != "-":
        raise FinanceInputError(
            f"period {period!r} must look like 2018-01", field="period"
        )
    missing = [c for c in (*keys, "month", "plan", "actual") if c not in months.columns]
    if missing:
        raise FinanceInputError(
            f"savings months lack columns {missing}", field=missing[0]
        )
    due = months[months["month"] <= period]
    actual = pd.to_numeric(due["actual"], errors="coerce")
    frame_ = due.assign(
        actual=actual.fillna(0.0),
        reported=actual.notna().astype(int),
        due=1,
    )
    out = (
        frame_.groupby(list(keys), sort=True)[["plan", "actual", "reported", "due"]]
        .sum()
        .rename(
            columns={
                "plan": "plan_to_date",
                "actual": "actual_to_date",
                "reported": "months_reported",
                "due": "months_due",
            }
        )
        .reset_index()
    )
    out["variance"] = out["actual_to_date"] - out["plan_to_date"]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = -out["variance"] / out["plan_to_date"]
    out["slippage"] = share.where(out["plan_to_date"] != 0, np.nan)
    return out
