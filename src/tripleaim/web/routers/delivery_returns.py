"""Project returns on the web: the return form, the project workbook and its upload, the programme workbook."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from tripleaim import delivery
from tripleaim.access import Principal
from tripleaim.errors import AccessDeniedError, ConflictError, UserError
from tripleaim.web.deps import DB, audit_now, csrf_protected, require
from tripleaim.web.routers.delivery import actor_of, page, project_page, refused

router = APIRouter(prefix="/delivery", include_in_schema=False)

Submitter = Annotated[Principal, Depends(require("delivery", "submit"))]
Exporter = Annotated[Principal, Depends(require("delivery", "export"))]
PeriodQuery = Annotated[str, Query(max_length=7)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 5_000_000


def _month(session: DB, period: str) -> str:
    """The period asked for, or the latest one."""
    return period or delivery.periods(session)[0]["period"].month


def _errors(exc: UserError) -> list[dict[str, str]]:
    if isinstance(exc, delivery.ReturnInvalidError):
        return [{"field": p.location, "text": str(p)} for p in exc.problems]
    return [{"field": "", "text": str(exc)}]


def _status(exc: UserError) -> int:
    """403 for someone else's project, 409 for a conflict, 422 for invalid input."""
    if isinstance(exc, AccessDeniedError):
        return 403
    return 409 if isinstance(exc, ConflictError) else 422


def _xlsx(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/projects/{slug}/return")
def return_form(
    request: Request,
    session: DB,
    principal: Submitter,
    slug: str,
    period: PeriodQuery = "",
) -> Response:
    """The return form for a project and period."""
    view = delivery.form_view(session, slug, _month(session, period))
    return page(
        request,
        principal,
        "return",
        errors=[],
        form={},
        stages=delivery.SAVINGS_STAGES,
        **view,
    )


@router.post("/projects/{slug}/return", dependencies=[Depends(csrf_protected)])
async def submit_return(
    request: Request, session: DB, principal: Submitter, slug: str
) -> Response:
    """Submit the return form; errors are shown against each field, nothing is half-saved."""
    fields = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    try:
        data = delivery.return_from_form(session, slug, fields)
        delivery.submit(session, actor_of(request, principal), data, "form")
    except UserError as exc:
        refused(
            request,
            session,
            principal,
            "return.submit",
            f"{fields.get('period', '')}/{slug}",
            exc,
        )
        view = delivery.form_view(session, slug, fields.get("period", ""))
        status = _status(exc)
        return page(
            request,
            principal,
            "return",
            status,
            errors=_errors(exc),
            form=fields,
            stages=delivery.SAVINGS_STAGES,
            **view,
        )
    return RedirectResponse(f"/delivery/projects/{slug}", status_code=303)


@router.get("/projects/{slug}/workbook")
def project_workbook(
    request: Request,
    session: DB,
    principal: Submitter,
    slug: str,
    period: PeriodQuery = "",
) -> Response:
    """The project's workbook for a period (Excel)."""
    month = _month(session, period)
    return _xlsx(delivery.render_workbook(session, month, slug), f"{slug}-{month}.xlsx")


@router.post("/projects/{slug}/workbook", dependencies=[Depends(csrf_protected)])
async def upload(
    request: Request,
    session: DB,
    principal: Submitter,
    slug: str,
    workbook: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Upload the project's workbook as its return: all of it, or every problem by cell."""
    delivery.project_of(session, slug)  # 404 before reading the upload
    try:
        content = await workbook.read(MAX_UPLOAD + 1) if workbook else b""
        if not content or len(content) > MAX_UPLOAD:
            raise delivery.ReturnInvalidError(
                [
                    delivery.Problem(
                        "workbook",
                        "choose a project workbook (.xlsx, up to 5 MB) to upload.",
                    )
                ]
            )
        results = delivery.upload_workbook(
            session, actor_of(request, principal), content, slug
        )
    except UserError as exc:
        refused(request, session, principal, "return.upload", slug, exc)
        status = _status(exc)
        project = project_page(session, slug)
        return page(
            request, principal, "project", status, upload_errors=_errors(exc), **project
        )
    return page(
        request,
        principal,
        "project",
        uploaded=results,
        **project_page(session, slug),
    )


@router.get("/workbook")
def programme_workbook(
    request: Request, session: DB, principal: Exporter, period: PeriodQuery = ""
) -> Response:
    """The programme workbook: every project active in the period (Excel), audited."""
    month = _month(session, period)
    content = delivery.render_workbook(session, month)
    audit_now(
        request,
        principal,
        "delivery.export",
        "success",
        session=session,
        object_type="delivery_workbook",
        object_id=month,
    )
    return _xlsx(content, f"programme-{month}.xlsx")
