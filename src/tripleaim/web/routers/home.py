"""The home page: the footprint at a glance."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from tripleaim.access import Principal
from tripleaim.warehouse.overview import overview
from tripleaim.web.charts import population_pyramid
from tripleaim.web.deps import require, settings_of
from tripleaim.web.navigation import navigation
from tripleaim.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(
    request: Request,
    principal: Annotated[Principal, Depends(require("footprint", "view"))],
) -> Response:
    """Population pyramid, organisations by place, data freshness and quarantine."""
    data = overview(settings_of(request))
    svg = population_pyramid(
        tuple((r["sex"], r["age_band"], r["population"]) for r in data.pyramid)
    )
    return render(
        request,
        "home.jinja",
        {
            "principal": principal,
            "nav": navigation(principal, "/"),
            "o": data,
            "pyramid_svg": svg,
        },
    )


@router.get("/health", include_in_schema=True, tags=["platform"])
def health() -> dict[str, str]:
    """Liveness check for load balancers (no authentication)."""
    return {"status": "ok"}
