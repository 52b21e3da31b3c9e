"""Pages of benchmarking: the measures, an area's opportunities against its peers, downloads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from tripleaim.access import Principal
from tripleaim.benchmark import (
    BenchmarksNotComputedError,
    PackFormat,
    load,
    pack_bytes,
    views,
)
from tripleaim.web.deps import audit_now, require, settings_of
from tripleaim.web.navigation import navigation
from tripleaim.web.templating import render

router = APIRouter(include_in_schema=False)

Viewer = Annotated[Principal, Depends(require("benchmark", "view"))]
Exporter = Annotated[Principal, Depends(require("benchmark", "export"))]
AreaCode = Annotated[str, Path(max_length=12, pattern=r"^[A-Za-z0-9]+$")]
Period = Annotated[str, Query(max_length=7)]
MeasureId = Annotated[str, Query(max_length=80)]
MEDIA = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/benchmark")
def catalogue(
    request: Request,
    principal: Viewer,
    area: Annotated[str, Query(max_length=12, pattern=r"^[A-Za-z0-9 ]*$")] = "",
) -> Response:
    """Every measure by category, and a box to choose an area."""
    if area.strip():
        return RedirectResponse(f"/benchmark/areas/{area.strip()}", status_code=303)
    return render(
        request,
        "benchmark/catalogue.jinja",
        {
            "principal": principal,
            "nav": navigation(principal, "/benchmark"),
            "groups": views.catalogue(),
        },
    )


@router.get("/benchmark/areas/{area_code}")
def area(
    request: Request,
    principal: Viewer,
    area_code: AreaCode,
    period: Period = "",
    measure: MeasureId = "",
) -> Response:
    """One area's opportunities against its peers, and one measure's charts."""
    base = {
        "principal": principal,
        "nav": navigation(principal, "/benchmark"),
        "can_export": principal.can("benchmark", "export"),
    }
    try:
        data = load(settings_of(request))
    except BenchmarksNotComputedError as exc:
        return render(
            request, "benchmark/not_computed.jinja", {**base, "message": str(exc)}
        )
    page = views.area_page(data, area_code, period or None, measure or None)
    return render(request, "benchmark/area.jinja", {**base, **page})


def _send(
    request: Request, principal: Principal, area_code: str, fmt: PackFormat, period: str
) -> Response:
    """Build (or reuse) the pack, audit the download and send it as an attachment."""
    data = pack_bytes(settings_of(request), area_code, period or None, fmt)
    name = f"benchmark-{area_code}.{fmt}"
    audit_now(
        request,
        principal,
        "benchmark.export",
        "success",
        object_type="benchmark_pack",
        object_id=name,
        detail={"period": period},
    )
    return Response(
        data,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/benchmark/areas/{area_code}/pack.pdf")
def pack_pdf(
    request: Request, principal: Exporter, area_code: AreaCode, period: Period = ""
) -> Response:
    """The deep-dive pack of the area as PDF (audited)."""
    return _send(request, principal, area_code, "pdf", period)


@router.get("/benchmark/areas/{area_code}/pack.xlsx")
def pack_xlsx(
    request: Request, principal: Exporter, area_code: AreaCode, period: Period = ""
) -> Response:
    """The pack's tables as an Excel workbook (audited)."""
    return _send(request, principal, area_code, "xlsx", period)
