"""Programme delivery pages: overview, projects, periods, and the PMO's open, review and lock."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from tripleaim import delivery
from tripleaim.access import Principal
from tripleaim.delivery import report
from tripleaim.errors import AccessDeniedError, UserError
from tripleaim.web.deps import DB, address, audit_now, csrf_protected, require
from tripleaim.web.navigation import navigation
from tripleaim.web.templating import render

router = APIRouter(prefix="/delivery", include_in_schema=False)

Viewer = Annotated[Principal, Depends(require("delivery", "view"))]
Manager = Annotated[Principal, Depends(require("delivery", "manage"))]
MonthForm = Annotated[str, Form(max_length=7)]
RAG_TAGS = {
    "green": "green",
    "amber_green": "aqua-green",
    "amber": "yellow",
    "amber_red": "orange",
    "red": "red",
}


def actor_of(request: Request, principal: Principal) -> delivery.Actor:
    """The principal as recorded in the change history and audit."""
    return delivery.Actor(
        principal.actor,
        principal.role,
        principal.org_code,
        address(request),
        account=principal.username,
        manager=principal.can("delivery", "manage"),
    )


def page(
    request: Request,
    principal: Principal,
    template: str,
    status: int = 200,
    **context: Any,
) -> Response:
    """Render a delivery page with the navigation and what the principal may do."""
    base = {
        "principal": principal,
        "nav": navigation(principal, "/delivery"),
        "can_submit": principal.can("delivery", "submit"),
        "can_manage": principal.can("delivery", "manage"),
        "can_export": principal.can("delivery", "export"),
        "rag_titles": delivery.RAG_TITLES,
        "rag_tags": RAG_TAGS,
    }
    return render(
        request, f"delivery/{template}.jinja", {**base, **context}, status=status
    )


def project_page(session: DB, slug: str) -> dict[str, Any]:
    """The project's records and its KPIs' XmR charts with their icons."""
    return {
        **delivery.project_view(session, slug),
        "spc": report.project_kpis(session, slug),
    }


def refused(
    request: Request,
    session: DB,
    principal: Principal,
    action: str,
    target: str,
    exc: UserError,
) -> None:
    """Undo the request's writes, then audit the refusal in its own transaction."""
    session.rollback()
    audit_now(
        request,
        principal,
        f"delivery.{action}",
        "denied" if isinstance(exc, AccessDeniedError) else "invalid",
        object_type="delivery",
        object_id=target,
        detail={"reason": str(exc)[:500]},
    )


@router.get("")
def overview(request: Request, session: DB, principal: Viewer) -> Response:
    """Workstreams and projects with their RAG status and this year's savings."""
    return page(request, principal, "overview", **delivery.programme_overview(session))


@router.get("/projects/{slug}")
def project(request: Request, session: DB, principal: Viewer, slug: str) -> Response:
    """A project: KPIs with their XmR charts, milestones, savings, risks, returns, history."""
    return page(request, principal, "project", **project_page(session, slug))


@router.get("/periods")
def periods(request: Request, session: DB, principal: Viewer) -> Response:
    """Every reporting period with its returns by status."""
    return page(
        request, principal, "periods", periods=delivery.periods(session), errors=[]
    )


@router.post("/periods", dependencies=[Depends(csrf_protected)])
def open_period(
    request: Request, session: DB, principal: Manager, month: MonthForm = ""
) -> Response:
    """Open a reporting period."""
    try:
        delivery.open_period(session, actor_of(request, principal), month)
    except UserError as exc:
        refused(request, session, principal, "period.open", month, exc)
        errors = [{"field": "month", "text": str(exc)}]
        return page(
            request,
            principal,
            "periods",
            409,
            periods=delivery.periods(session),
            errors=errors,
        )
    return RedirectResponse(f"/delivery/periods/{month}", status_code=303)


@router.get("/periods/{month}")
def period(request: Request, session: DB, principal: Viewer, month: str) -> Response:
    """A period's returns: who has submitted, what awaits review."""
    return page(
        request, principal, "period", errors=[], **delivery.period_view(session, month)
    )


@router.post("/periods/lock", dependencies=[Depends(csrf_protected)])
def lock(
    request: Request, session: DB, principal: Manager, month: MonthForm = ""
) -> Response:
    """Lock a period (refused while returns await review)."""
    try:
        delivery.lock_period(session, actor_of(request, principal), month)
    except UserError as exc:
        refused(request, session, principal, "period.lock", month, exc)
        errors = [{"field": "lock", "text": str(exc)}]
        return page(
            request,
            principal,
            "period",
            409,
            errors=errors,
            **delivery.period_view(session, month),
        )
    return RedirectResponse(f"/delivery/periods/{month}", status_code=303)


@router.post("/periods/{month}/review", dependencies=[Depends(csrf_protected)])
def review(
    request: Request,
    session: DB,
    principal: Manager,
    month: str,
    project: Annotated[str, Form(max_length=80)] = "",
    decision: Annotated[Literal["approve", "request_changes"], Form()] = "approve",
    comment: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Approve a return or ask its lead for changes."""
    try:
        delivery.review_return(
            session, actor_of(request, principal), month, project, decision, comment
        )
    except UserError as exc:
        refused(
            request, session, principal, f"return.{decision}", f"{month}/{project}", exc
        )
        errors = [{"field": f"comment-{project}", "text": f"{project}: {exc}"}]
        return page(
            request,
            principal,
            "period",
            409,
            errors=errors,
            **delivery.period_view(session, month),
        )
    return RedirectResponse(f"/delivery/periods/{month}", status_code=303)
