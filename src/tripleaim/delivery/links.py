"""KPIs linked to a published indicator: their actuals fill themselves.

A KPI with an ``indicator_id`` (and ``area_level``, optionally ``area_code``; the first
area of the level otherwise, which for ``icb`` is the system) takes its actuals from the
indicator profiles through ``tripleaim.indicators``' reading API, so disclosure control
applies. Indicators are annual (financial years), so each year's value is recorded in
the year's last month (March). Each refresh is logged in the change history.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tripleaim.delivery.history import Actor, ChangeRecorder
from tripleaim.delivery.models import Kpi, KpiValue
from tripleaim.delivery.periods import year_months
from tripleaim.indicators import reading
from tripleaim.settings import Settings

LINK_ACTOR = Actor("indicators", "system")


@dataclass(frozen=True)
class LinkSummary:
    """What a refresh did: KPIs linked, values written, and why nothing was, if so."""

    kpis: int
    values: int
    note: str = ""


def refresh_linked_kpis(session: Session, settings: Settings) -> LinkSummary:
    """Fill linked KPIs' actuals from the computed indicator profiles."""
    kpis = list(session.scalars(select(Kpi).where(Kpi.indicator_id.is_not(None))))
    if not kpis:
        return LinkSummary(0, 0)
    try:
        profiles = reading.load(settings)
    except reading.ProfilesNotComputedError as exc:
        return LinkSummary(len(kpis), 0, str(exc))
    written = 0
    for kpi in kpis:
        level = kpi.area_level or "icb"
        code = kpi.area_code or str(
            reading.areas_of(profiles, level)["area_code"].iloc[0]
        )
        trend = reading.indicator_trend(profiles, str(kpi.indicator_id), level, code)
        existing = {v.month: v for v in kpi.values}
        recorder = ChangeRecorder(
            session,
            LINK_ACTOR,
            kpi.project,
            f"indicator {kpi.indicator_id} {level} {code}",
        )
        for period, value in zip(trend["period"], trend["value"], strict=True):
            if value is None or math.isnan(value):
                continue  # suppressed or missing: no actual rather than a guess
            month = year_months(str(period))[-1]
            row = existing.get(month)
            if row is None:
                row = KpiValue(kpi=kpi, month=month, source="indicator")
                session.add(row)
                session.flush()
            if recorder.set(row, "actual", round(float(value), 3)):
                row.source = "indicator"
                written += 1
        recorder.finish()
    session.flush()
    return LinkSummary(len(kpis), written)
