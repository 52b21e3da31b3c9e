"""The bridge (waterfall) from the "do nothing" gap to the planned position.

Steps, in £k: the system's do-nothing gap; each savings category (commissioner QIPP,
provider CIP, system schemes) or scheme closing it; the gap after the plan; the risk
adjustment by stage adding back what is unlikely to be delivered; and the
risk-adjusted gap the board should plan for. The chart is an Altair specification:
capabilities build it, the report and the web pages render it to SVG.
"""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import pandas as pd

from tripleaim.delivery.finance.gap import financial_gap
from tripleaim.delivery.finance.money import millions
from tripleaim.delivery.finance.records import FinanceInputError, PlanLine, SavingsPlan
from tripleaim.delivery.finance.savings import savings_frame
from tripleaim.delivery.finance.weights import StageWeights

CATEGORY_LABELS = {
    "qipp": "QIPP (commissioners)",
    "cip": "CIP (providers)",
    "system": "System schemes",
}
KIND_COLOURS = {
    "gap": "#d5281b",
    "saving": "#007f3b",
    "subtotal": "#425563",
    "risk": "#ffb81c",
    "residual": "#330072",
}
KIND_LABELS = {
    "gap": "Gap",
    "saving": "Savings plan",
    "subtotal": "After the plan",
    "risk": "Risk adjustment",
    "residual": "Risk-adjusted gap",
}


def bridge(
    lines: Iterable[PlanLine],
    savings: Iterable[SavingsPlan],
    year: str,
    *,
    by: str = "category",
    weights: StageWeights | None = None,
) -> pd.DataFrame:
    """The bridge's steps for ``year``: ``step``, ``label``, ``kind``, ``amount``, ``start``, ``end``.

    ``amount`` is the change (negative where savings close the gap); ``start`` and
    ``end`` are the running gap before and after the step (positive = shortfall).

    Args:
        lines: Every organisation's financial plan lines.
        savings: Savings plans (only ``year``'s are used).
        year: Financial year, ``2020/21``.
        weights: Stage weights (the shipped ones by default).
        by: ``category`` (QIPP, CIP, system) or ``scheme`` (each scheme's plan).
    """
    if by not in ("category", "scheme"):
        raise FinanceInputError(
            f"by must be category or scheme; got {by!r}", field="by"
        )
    gaps = financial_gap(lines)
    system = gaps[
        (gaps["financial_year"] == year) & (gaps["organisation_kind"] == "system")
    ]
    if system.empty:
        raise FinanceInputError(
            f"there is no financial plan for {year}", field="financial_year"
        )
    schemes = savings_frame([s for s in savings if s.financial_year == year], weights)
    planned = schemes.groupby(by, sort=True)[["plan_total", "risk"]].sum()
    if by == "category":
        planned = planned.reindex([c for c in CATEGORY_LABELS if c in planned.index])
    rows: list[tuple[str, str, float]] = [
        ("Do-nothing gap", "gap", float(system["gap"].iloc[0]))
    ]
    for key, plan in planned["plan_total"].items():
        label = (
            CATEGORY_LABELS.get(str(key), str(key)) if by == "category" else str(key)
        )
        rows.append((label, "saving", -float(plan)))
    rows.append(("Gap after the plan", "subtotal", 0.0))
    rows.append(("Risk adjustment by stage", "risk", float(planned["risk"].sum())))
    rows.append(("Risk-adjusted gap", "residual", 0.0))
    running, out = 0.0, []
    for step, (label, kind, amount) in enumerate(rows):
        if kind in ("subtotal", "residual"):
            out.append((step, label, kind, running, 0.0, running))
            continue
        start = running
        running += amount
        out.append((step, label, kind, amount, start, running))
    return pd.DataFrame(
        out, columns=["step", "label", "kind", "amount", "start", "end"]
    )


def bridge_chart(steps: pd.DataFrame, title: str) -> alt.LayerChart:
    """A waterfall of :func:`bridge` steps in £m (bars float from start to end)."""
    data = steps.assign(
        low=lambda d: d[["start", "end"]].min(axis=1).map(millions),
        high=lambda d: d[["start", "end"]].max(axis=1).map(millions),
        value=lambda d: d["amount"].map(millions).round(1),
        kind_label=lambda d: d["kind"].map(KIND_LABELS),
    )
    order = data["label"].tolist()
    base = alt.Chart(data, title=title, width=520, height=260)
    bars = base.mark_bar().encode(
        x=alt.X(
            "label:N",
            sort=order,
            title=None,
            axis=alt.Axis(labelAngle=-30, labelLimit=160),
        ),
        y=alt.Y("low:Q", title="£ million (positive = shortfall)"),
        y2="high:Q",
        color=alt.Color(
            "kind_label:N",
            scale=alt.Scale(
                domain=list(KIND_LABELS.values()), range=list(KIND_COLOURS.values())
            ),
            title=None,
            legend=alt.Legend(orient="bottom"),
        ),
    )
    labels = base.mark_text(dy=-6, fontSize=11).encode(
        x=alt.X("label:N", sort=order),
        y="high:Q",
        text=alt.Text("value:Q", format=",.1f"),
    )
    zero = (
        alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#212b32").encode(y="y:Q")
    )
    chart: alt.LayerChart = alt.layer(bars, labels, zero).configure_view(stroke=None)
    return chart
