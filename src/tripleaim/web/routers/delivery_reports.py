"""Programme pages computed like the board report: KPIs with SPC, finance, the triple aim, the reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from tripleaim.access import Principal
from tripleaim.delivery import report
from tripleaim.delivery.periods import check_month
from tripleaim.web.deps import DB, audit_now, require, settings_of
from tripleaim.web.routers.delivery import page

router = APIRouter(prefix="/delivery", include_in_schema=False)

Viewer = Annotated[Principal, Depends(require("delivery", "view"))]
Exporter = Annotated[Principal, Depends(require("delivery", "export"))]
WorkstreamQuery = Annotated[str, Query(max_length=80)]
PDF = "application/pdf"


@router.get("/kpis")
def kpis(request: Request, session: DB, principal: Viewer) -> Response:
    """Every KPI of the programme with its SPC icons, special cause of concern first."""
    return page(request, principal, "kpis", **report.programme_kpis(session))


@router.get("/finance")
def finance(request: Request, session: DB, principal: Viewer) -> Response:
    """The system financial plan, savings by stage, control total, investment and the bridge."""
    return page(request, principal, "finance", **report.finance_page(session))


@router.get("/triple-aim")
def triple_aim(request: Request, session: DB, principal: Viewer) -> Response:
    """The three gaps side by side: health and wellbeing, care and quality, finance."""
    view = report.triple_aim(session, settings_of(request))
    return page(request, principal, "triple_aim", **view)


@router.get("/reports")
def reports(request: Request, session: DB, principal: Viewer) -> Response:
    """Every period's board report, for the partnership and each workstream."""
    return page(request, principal, "reports", **report.report_index(session))


def _board_report(
    request: Request, session: DB, month: str, workstream: str
) -> report.BoardReport:
    check_month(month)
    return report.board_report(
        session,
        month,
        workstream=workstream or None,
        settings=settings_of(request),
    )


@router.get("/reports/{month}")
def report_html(
    request: Request,
    session: DB,
    principal: Viewer,
    month: str,
    workstream: WorkstreamQuery = "",
) -> Response:
    """The monthly board report as the same self-contained HTML document as the PDF."""
    return HTMLResponse(report.html(_board_report(request, session, month, workstream)))


@router.get("/reports/{month}/pdf")
def report_pdf(
    request: Request,
    session: DB,
    principal: Exporter,
    month: str,
    workstream: WorkstreamQuery = "",
) -> Response:
    """The monthly board report as PDF (WeasyPrint), audited as an export."""
    content = report.pdf(_board_report(request, session, month, workstream))
    scope = workstream or "partnership"
    audit_now(
        request,
        principal,
        "delivery.export",
        "success",
        session=session,
        object_type="board_report",
        object_id=f"{month}/{scope}",
        detail={"bytes": len(content)},
    )
    return Response(
        content,
        media_type=PDF,
        headers={
            "Content-Disposition": f'attachment; filename="board-report-{month}-{scope}.pdf"'
        },
    )
