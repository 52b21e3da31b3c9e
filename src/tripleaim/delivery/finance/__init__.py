"""The system financial plan: the do-nothing gap and what closes it.

Savings risk-adjusted by stage, the single system control total, investment against
return, and the bridge from the gap to the plan. Pure functions over plain records (:mod:`records`, money in £k); see
``docs/methods/finance.md``.
"""

from __future__ import annotations

from tripleaim.delivery.finance.bridge import bridge, bridge_chart
from tripleaim.delivery.finance.gap import control_total, financial_gap
from tripleaim.delivery.finance.money import money
from tripleaim.delivery.finance.records import (
    FinanceInputError,
    Investment,
    PlanLine,
    SavingsPlan,
)
from tripleaim.delivery.finance.returns import investment_returns
from tripleaim.delivery.finance.savings import savings_frame, savings_summary, slippage
from tripleaim.delivery.finance.weights import (
    StageWeights,
    parse_stage_weights,
    stage_weights,
)

__all__ = [
    "FinanceInputError",
    "Investment",
    "PlanLine",
    "SavingsPlan",
    "StageWeights",
    "bridge",
    "bridge_chart",
    "control_total",
    "financial_gap",
    "investment_returns",
    "money",
    "parse_stage_weights",
    "savings_frame",
    "savings_summary",
    "slippage",
    "stage_weights",
]
