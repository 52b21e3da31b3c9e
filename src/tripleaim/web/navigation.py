"""Navigation: each capability's page, shown only to roles allowed to use it."""

from __future__ import annotations

from typing import Any

from tripleaim.access import Principal

PAGES = (
    ("/", "Footprint", "footprint", "view"),
    ("/health-gap", "Health gap", "indicators", "view"),
    ("/indicators", "Indicators", "indicators", "view"),
    ("/population-health", "Population health", "phm", "view"),
    ("/delivery", "Programme", "delivery", "view"),
    ("/benchmark", "Benchmarking", "benchmark", "view"),
    ("/admin/users", "Users", "users", "view"),
    ("/admin/audit", "Audit", "audit", "view"),
)


def navigation(principal: Principal, current: str) -> list[dict[str, Any]]:
    """Header navigation items for this principal."""
    return [
        {"href": href, "text": text, "current": href == current}
        for href, text, capability, action in PAGES
        if principal.can(capability, action)
    ]
