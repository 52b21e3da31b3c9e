"""What the programme's web pages show from the board report's computation.

The project page's XmR charts, the programme's KPI table, the triple-aim summary and
the list of reports are the board report's own content (:func:`gather` then
:func:`build_report` or :func:`kpi_cards`) for the latest period, so a page and the
report never disagree. See ``docs/delivery.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from tripleaim.delivery.cycle import programme_of, project_of
from tripleaim.delivery.periods import check_month, month_title
from tripleaim.delivery.report.cards import KpiCard, kpi_cards, tally
from tripleaim.delivery.report.content import build_report
from tripleaim.delivery.report.gather import gather
from tripleaim.delivery.report.service import health_gap
from tripleaim.delivery.service import latest_period, periods
from tripleaim.delivery.spc.icons_svg import assurance_icon, variation_icon
from tripleaim.errors import NotFoundError
from tripleaim.settings import Settings

ICON_SIZE = 32
VARIATION_MEANING = {
    "common_cause": "The latest point varies only as the process always has: no signal.",
    "improvement": "A special cause of improvement: the process has changed for the better.",
    "concern": "A special cause of concern: the process has changed for the worse; investigate.",
    "neutral": "A special cause where neither direction is better: the process has shifted.",
}
ASSURANCE_MEANING = {
    "pass": "The process limits lie on the right side of the target: it will be met consistently.",
    "fail": "The process limits lie on the wrong side of the target: it will not be met without change.",
    "inconsistent": "The target lies between the process limits: it will be hit and missed at random.",
}


@dataclass(frozen=True)
class KpiRow:
    """A KPI card with its icons drawn small, for tables and the project page."""

    card: KpiCard
    project_slug: str
    variation_svg: str
    assurance_svg: str
    variation_meaning: str
    assurance_meaning: str

    @property
    def rank(self) -> tuple[int, str, str]:
        """Concern first, then off trajectory, then failing its target, then the rest."""
        c = self.card
        first = (
            0
            if c.concern
            else 1
            if c.on_track is False
            else 2
            if c.assurance == "fail"
            else 4
            if c.variation is None
            else 3
        )
        return (first, c.workstream, c.title)


def kpi_row(card: KpiCard) -> KpiRow:
    """``card`` with its variation and assurance icons and what they mean."""
    kind = (card.variation or "").split("_")[0]
    kind = "common_cause" if card.variation == "common_cause" else kind
    return KpiRow(
        card=card,
        project_slug=card.key.split("/", 1)[0],
        variation_svg=variation_icon(card.variation, ICON_SIZE)
        if card.variation
        else "",
        assurance_svg=assurance_icon(card.assurance, ICON_SIZE)
        if card.assurance
        else "",
        variation_meaning=VARIATION_MEANING.get(
            kind, "Fewer than two months reported: no chart yet."
        ),
        assurance_meaning=ASSURANCE_MEANING.get(
            card.assurance or "", "No target is set, or there is no chart yet."
        ),
    )


def latest_month(session: Session, programme: str | None = None) -> str:
    """The month of the programme's most recent period.

    Raises:
        NotFoundError: No period has been opened.
    """
    prog = programme_of(session, programme)
    period = latest_period(session, prog.id)
    if period is None:
        raise NotFoundError(f"No reporting period has been opened for {prog.title}.")
    return period.month


def project_kpis(session: Session, slug: str) -> list[KpiRow]:
    """Every KPI of the project as its XmR chart with icons, to the latest period."""
    project = project_of(session, slug)
    programme = project.workstream.programme
    period = latest_period(session, programme.id)
    month = period.month if period else project.end_month
    inputs = gather(
        session, month, workstream=project.workstream.slug, programme=programme.slug
    )
    mine = inputs.kpis[inputs.kpis["key"].str.startswith(f"{slug}/")]
    values = inputs.kpi_values[inputs.kpi_values["key"].isin(mine["key"])]
    return [kpi_row(card) for card in kpi_cards(mine, values)]


def programme_kpis(
    session: Session, month: str | None = None, programme: str | None = None
) -> dict[str, Any]:
    """Every KPI of the programme with its icons, special cause of concern first."""
    month = month or latest_month(session, programme)
    check_month(month)
    inputs = gather(session, month, programme=programme)
    cards = kpi_cards(inputs.kpis, inputs.kpi_values, draw=False)
    rows = sorted((kpi_row(c) for c in cards), key=lambda r: r.rank)
    return {
        "programme": inputs.programme,
        "month": month,
        "month_title": month_title(month),
        "rows": rows,
        "tally": tally(cards),
    }


def triple_aim(
    session: Session,
    settings: Settings | None,
    month: str | None = None,
    programme: str | None = None,
) -> dict[str, Any]:
    """The three gaps side by side, as the board report's summary computes them."""
    month = month or latest_month(session, programme)
    health, note = health_gap(settings)
    inputs = gather(
        session, month, programme=programme, health=health, health_note=note
    )
    report = build_report(inputs, draw=False)
    quality = sorted(
        (kpi_row(c) for c in report.kpis if c.quality), key=lambda r: r.rank
    )
    return {"report": report, "aims": report.triple_aim, "quality": quality}


def report_index(session: Session, programme: str | None = None) -> dict[str, Any]:
    """The periods (newest first) and workstreams a board report can be made for."""
    prog = programme_of(session, programme)
    months = [
        (row["period"].month, month_title(row["period"].month), row["period"].status)
        for row in periods(session, prog.slug)
    ]
    return {
        "programme": prog,
        "months": months,
        "workstreams": [(w.slug, w.title) for w in prog.workstreams],
    }
