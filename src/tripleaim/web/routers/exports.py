"""Downloads of indicator exports (workbooks and CSV), and the unversioned API alias.

Every download is audited as ``indicators.export`` with what was exported; only roles
granted ``indicators.export`` may download (policy.yaml). ``/api/indicators/...``
answers 308 to ``/api/v1/indicators/...`` with the query string kept, so clients
written against the unversioned path keep working (a 308 keeps the method).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from tripleaim.access import Principal
from tripleaim.indicators import export
from tripleaim.web.deps import audit_now, require, settings_of
from tripleaim.web.routers.api import ERRORS

router = APIRouter(tags=["exports"], responses=ERRORS)

Exporter = Annotated[Principal, Depends(require("indicators", "export"))]
Level = Literal["practice", "pcn", "place", "icb"]
Period = Annotated[
    str | None,
    Query(
        max_length=7,
        pattern=r"^\d{4}/\d{2}$",
        description="Financial year such as 2023/24; the latest if absent.",
    ),
]


def _download(media_type: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {media_type: {}}, "description": "The file"}}


def _send(
    request: Request,
    principal: Principal,
    what: export.What,
    fmt: export.Format,
    level: str,
    period: str | None,
) -> Response:
    """Build the export, audit it and send it as an attachment."""
    result = export.export_file(
        settings_of(request), what, fmt, level=level, period=period
    )
    audit_now(
        request,
        principal,
        "indicators.export",
        "success",
        object_type="indicator_export",
        object_id=result.filename,
        detail={"what": what, "format": fmt, "level": level, "period": period or ""},
    )
    return Response(
        result.content,
        media_type=result.media_type,
        headers={"Content-Disposition": f'attachment; filename="{result.filename}"'},
    )


@router.get(
    "/exports/health-gap.xlsx",
    response_class=Response,
    responses=_download(export.XLSX),
)
def health_gap_xlsx(
    request: Request, principal: Exporter, period: Period = None
) -> Response:
    """The health and wellbeing gap workbook: the system, each place, life expectancy."""
    return _send(request, principal, "gap", "xlsx", "place", period)


@router.get(
    "/exports/health-gap.csv", response_class=Response, responses=_download(export.CSV)
)
def health_gap_csv(
    request: Request, principal: Exporter, period: Period = None
) -> Response:
    """The health and wellbeing gap as CSV: one row per area and indicator worse than benchmark."""
    return _send(request, principal, "gap", "csv", "place", period)


@router.get(
    "/exports/profiles.xlsx",
    response_class=Response,
    responses=_download(export.XLSX),
)
def profiles_xlsx(
    request: Request, principal: Exporter, level: Level = "place", period: Period = None
) -> Response:
    """Every indicator for every area of a level, with the definitions."""
    return _send(request, principal, "profiles", "xlsx", level, period)


@router.get(
    "/exports/profiles.csv", response_class=Response, responses=_download(export.CSV)
)
def profiles_csv(
    request: Request, principal: Exporter, level: Level = "place", period: Period = None
) -> Response:
    """Every indicator for every area of a level, as CSV."""
    return _send(request, principal, "profiles", "csv", level, period)


ALIASES = (
    "",
    "/{indicator_id}",
    "/{indicator_id}/values",
    "/{indicator_id}/areas/{level}/{code}",
    "/areas/{level}/{code}",
)
"""Unversioned paths, mirroring the v1 API (``/health-gap`` matches ``/{indicator_id}``)."""


def unversioned(
    request: Request,
    principal: Annotated[Principal, Depends(require("indicators", "view"))],
) -> RedirectResponse:
    """308 to the same path under ``/api/v1``, with the query string kept."""
    target = "/api/v1" + quote(request.url.path.removeprefix("/api"), safe="/")
    if request.url.query:
        target += "?" + request.url.query
    return RedirectResponse(target, status_code=308)


for _alias in ALIASES:
    router.add_api_route(
        "/api/indicators" + _alias,
        unversioned,
        methods=["GET"],
        include_in_schema=False,
        response_class=RedirectResponse,
    )
