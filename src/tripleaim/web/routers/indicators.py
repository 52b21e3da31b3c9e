"""Pages of population health indicators and the health and wellbeing gap."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from tripleaim.access import Principal
from tripleaim.indicators import views
from tripleaim.indicators.reading import Profiles, ProfilesNotComputedError, load
from tripleaim.indicators.wording import DOMAIN_TITLES
from tripleaim.web import indicator_charts as charts
from tripleaim.web.deps import require, settings_of
from tripleaim.web.navigation import navigation
from tripleaim.web.templating import render

router = APIRouter(include_in_schema=False)

Viewer = Annotated[Principal, Depends(require("indicators", "view"))]
Period = Annotated[str, Query(max_length=20)]
AreaText = Annotated[str, Query(max_length=40)]


def _page(
    request: Request,
    principal: Principal,
    template: str,
    current: str,
    build: Callable[[Profiles, int], dict[str, Any]],
) -> Response:
    """Render ``template`` with what ``build`` makes of the profiles, or say to compute them."""
    base = {
        "principal": principal,
        "nav": navigation(principal, current),
        "can_export": principal.can("indicators", "export"),
    }
    settings = settings_of(request)
    try:
        profiles = load(settings)
    except ProfilesNotComputedError as exc:
        return render(
            request, "indicators/not_computed.jinja", {**base, "message": str(exc)}
        )
    return render(
        request, template, {**base, **build(profiles, settings.disclosure_threshold)}
    )


@router.get("/health-gap")
def health_gap(request: Request, principal: Viewer, period: Period = "") -> Response:
    """The health and wellbeing gap of the system and each place."""
    return _page(
        request,
        principal,
        "indicators/gap.jinja",
        "/health-gap",
        lambda p, t: views.gap_page(p, period or None, t),
    )


@router.get("/indicators")
def catalogue(
    request: Request,
    principal: Viewer,
    q: Annotated[str, Query(max_length=100)] = "",
    domain: Literal[
        "", "health_and_wellbeing", "care_and_quality", "finance_and_efficiency"
    ] = "",
) -> Response:
    """Every indicator definition by triple-aim domain, filtered by text and domain."""
    groups = views.catalogue(q, domain)
    return render(
        request,
        "indicators/catalogue.jinja",
        {
            "principal": principal,
            "nav": navigation(principal, "/indicators"),
            "groups": groups,
            "q": q,
            "domain": domain,
            "domains": DOMAIN_TITLES,
            "found": sum(len(g["indicators"]) for g in groups),
        },
    )


@router.get("/indicators/{indicator_id}")
def indicator(
    request: Request,
    principal: Viewer,
    indicator_id: str,
    level: Annotated[str, Query(max_length=20)] = "practice",
    period: Period = "",
    area: AreaText = "",
) -> Response:
    """An indicator's definition, funnel plot, trend and table of areas."""

    def build(profiles: Profiles, threshold: int) -> dict[str, Any]:
        chosen = views.parse_area(area, views.first_area(profiles, "icb"))
        page = views.indicator_page(
            profiles, indicator_id, level, period or None, chosen, threshold
        )
        title = page["spec"]["title"]
        if page["limits"] is not None:
            page["funnel_svg"] = charts.funnel_plot(
                page["points"],
                page["limits"],
                f"{title}: {page['level_title'].lower()}s, {page['period']}",
                page["spec"]["unit"],
            )
        if page["trend"]["value"].notna().any():
            page["trend_svg"] = charts.trend_chart(
                page["trend"],
                f"{title}: {page['area']['area_name']}",
                page["spec"]["unit"],
            )
        return page

    return _page(request, principal, "indicators/indicator.jinja", "/indicators", build)


@router.get("/areas/{level}/{code}")
def area_profile(
    request: Request, principal: Viewer, level: str, code: str, period: Period = ""
) -> Response:
    """An area's profile: spine charts and tables by domain."""

    def build(profiles: Profiles, threshold: int) -> dict[str, Any]:
        page = views.area_page(profiles, level, code, period or None, threshold)
        name = page["area"]["area_name"]
        for domain in page["domains"]:
            domain["svg"] = charts.spine_chart(
                domain["spine"], f"{domain['title']}: {name}, {page['period']}"
            )
        return page

    return _page(request, principal, "indicators/area.jinja", "", build)


@router.get("/compare")
def compare(
    request: Request,
    principal: Viewer,
    a: AreaText = "",
    b: AreaText = "",
    period: Period = "",
) -> Response:
    """Two areas side by side (the system and the first place by default)."""

    def build(profiles: Profiles, threshold: int) -> dict[str, Any]:
        first = views.parse_area(a, views.first_area(profiles, "icb"))
        place = views.first_area(profiles, "place")
        second = views.parse_area(b, place)
        return views.compare_page(profiles, first, second, period or None, threshold)

    return _page(request, principal, "indicators/compare.jinja", "", build)
