"""KPI cards: each KPI's XmR chart, icons and position against its trajectory.

Every KPI of the report is charted in one vectorised :func:`tripleaim.delivery.spc.xmr`
call (one facet per KPI, each with its own improvement direction and target), then
each gets its chart and icons as inline SVG.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from tripleaim.delivery.report.svg import svgs
from tripleaim.delivery.spc import icons, xmr
from tripleaim.delivery.spc.chart import spc_spec
from tripleaim.delivery.spc.icons_svg import VARIATION, assurance_icon, variation_icon

DIRECTIONS = {
    "higher_is_better": "increase",
    "lower_is_better": "decrease",
    "neutral": "neutral",
}
VARIATION_WORDS = {
    name: title.split(": ", 1)[-1].capitalize()
    for name, (_, _, title) in VARIATION.items()
}
ASSURANCE_WORDS = {
    "pass": "Consistently passing",
    "fail": "Consistently failing",
    "inconsistent": "Hit and miss",
}


@dataclass(frozen=True)
class KpiCard:
    """One KPI as the report shows it."""

    key: str
    title: str
    unit: str
    project: str
    workstream: str
    quality: bool
    target: float | None
    latest_month: str | None
    latest: float | None
    trajectory: float | None
    on_track: bool | None
    variation: str | None
    assurance: str | None
    chart: str
    variation_svg: str
    assurance_svg: str
    points: int

    @property
    def concern(self) -> bool:
        """The latest point is a special cause of concern."""
        return self.variation in ("concern_high", "concern_low")

    @property
    def variation_text(self) -> str:
        """The variation icon in words."""
        return VARIATION_WORDS.get(self.variation or "", "Not enough data")

    @property
    def assurance_text(self) -> str:
        """The assurance icon in words."""
        return ASSURANCE_WORDS.get(self.assurance or "", "No target")


def _number(value: object) -> float | None:
    """A float, or ``None`` for a missing value (None, NaN, NA)."""
    if value is None or value is pd.NA:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if np.isnan(number) else number


def kpi_cards(
    kpis: pd.DataFrame, values: pd.DataFrame, *, draw: bool = True
) -> list[KpiCard]:
    """A card per KPI, in the order of ``kpis`` (see :mod:`inputs` for the columns).

    KPIs without two reported actuals get a card without a chart or icons.
    """
    reported = values.dropna(subset=["actual"])
    counts = reported.groupby("key").size()
    charted_keys = [k for k in kpis["key"] if counts.get(k, 0) >= 2]
    info = kpis.set_index("key")
    chart = pd.DataFrame()
    chosen = info.loc[charted_keys]
    if charted_keys:
        data = reported[reported["key"].isin(charted_keys)].assign(
            date=lambda d: d["month"] + "-01"
        )
        chart = xmr(
            data,
            value="actual",
            date="date",
            facet="key",
            trajectory="trajectory",
            improvement_direction=chosen["polarity"].map(DIRECTIONS).to_dict(),
            target={
                k: float(t)
                for k, t in chosen["target"].items()
                if _number(t) is not None
            },
        )
    summary = icons(chart).set_index("f") if len(chart) else pd.DataFrame()
    groups: dict[str, pd.DataFrame] = (
        {str(k): g for k, g in chart.groupby("f", sort=False)} if len(chart) else {}
    )
    cards: list[KpiCard] = []
    pending: list[tuple[int, dict[str, Any], str]] = []
    for row in kpis.to_dict("records"):
        key, title, unit = str(row["key"]), str(row["title"]), str(row["unit"])
        own = reported[reported["key"] == key].sort_values("month")
        last = own.iloc[-1] if len(own) else None
        latest = None if last is None else _number(last["actual"])
        planned = None if last is None else _number(last["trajectory"])
        on_track = None
        if latest is not None and planned is not None and row["polarity"] != "neutral":
            sign = 1 if row["polarity"] == "higher_is_better" else -1
            on_track = bool(sign * (latest - planned) >= 0)
        variation = assurance = None
        drawn = variation_drawn = assurance_drawn = ""
        if key in groups:
            variation = str(summary.loc[key, "variation_icon"])
            kind = summary.loc[key, "assurance_icon"]
            assurance = kind if isinstance(kind, str) else None
            if draw:
                label = f"{title} ({unit})" if unit else title
                spec = spc_spec(groups[key], title, unit=unit, width=440, height=170)
                pending.append((len(cards), spec, f"XmR chart: {label}"))
                variation_drawn = variation_icon(variation, 40)
                assurance_drawn = assurance_icon(assurance, 40) if assurance else ""
        cards.append(
            KpiCard(
                key=key,
                title=title,
                unit=unit,
                project=str(row["project"]),
                workstream=str(row["workstream"]),
                quality=bool(row["quality"]),
                target=_number(row["target"]),
                latest_month=None if last is None else str(last["month"]),
                latest=latest,
                trajectory=planned,
                on_track=on_track,
                variation=variation,
                assurance=assurance,
                chart=drawn,
                variation_svg=variation_drawn,
                assurance_svg=assurance_drawn,
                points=int(counts.get(key, 0)),
            )
        )
    drawn_all = svgs([(spec, label) for _, spec, label in pending])
    for (index, _, _), chart_svg in zip(pending, drawn_all, strict=True):
        cards[index] = replace(cards[index], chart=chart_svg)
    return cards


def tally(cards: list[KpiCard]) -> dict[str, int]:
    """How many KPIs improve, concern, vary by common cause, pass, fail or miss a target."""
    kinds = [c.variation or "" for c in cards]
    return {
        "kpis": len(cards),
        "improvement": sum(k.startswith("improvement") for k in kinds),
        "concern": sum(k.startswith("concern") for k in kinds),
        "common_cause": kinds.count("common_cause"),
        "neutral": sum(k.startswith("neutral") for k in kinds),
        "no_data": kinds.count(""),
        "pass": sum(c.assurance == "pass" for c in cards),
        "fail": sum(c.assurance == "fail" for c in cards),
        "inconsistent": sum(c.assurance == "inconsistent" for c in cards),
        "off_trajectory": int(np.sum([c.on_track is False for c in cards])),
    }
