"""The monthly board report: HTML and PDF for the whole partnership and each workstream.

:func:`board_report` reads the delivery store (:mod:`gather`) into plain inputs
(:class:`ReportInputs`), computes the content (:mod:`content`: SPC for every KPI, the
exceptions, the financial bridge, the triple-aim gaps) and :mod:`render` turns it into
a self-contained HTML document or a PDF (WeasyPrint). See ``docs/board-report.md``.
"""

from __future__ import annotations

from tripleaim.delivery.report.content import BoardReport, build_report
from tripleaim.delivery.report.finance_page import finance_page
from tripleaim.delivery.report.inputs import HealthGap, ReportInputs
from tripleaim.delivery.report.pages import (
    KpiRow,
    latest_month,
    programme_kpis,
    project_kpis,
    report_index,
    triple_aim,
)
from tripleaim.delivery.report.render import html, pdf
from tripleaim.delivery.report.service import (
    ReportSummary,
    board_report,
    health_gap,
    write_board_report,
    write_report,
)

__all__ = [
    "BoardReport",
    "HealthGap",
    "KpiRow",
    "ReportInputs",
    "ReportSummary",
    "board_report",
    "build_report",
    "finance_page",
    "health_gap",
    "html",
    "latest_month",
    "pdf",
    "programme_kpis",
    "project_kpis",
    "report_index",
    "triple_aim",
    "write_board_report",
    "write_report",
]
