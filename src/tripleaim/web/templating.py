"""Jinja templates: ours first, then the NHS.UK design system's (nhsuk-frontend-jinja)."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import Request, Response
from fastapi.templating import Jinja2Templates
from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    select_autoescape,
)

from tripleaim.access import role_title


def make_templates() -> Jinja2Templates:
    """Templates with autoescaping and the helpers pages use."""
    env = Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(str(resources.files("tripleaim.web") / "templates")),
                FileSystemLoader(
                    str(resources.files("nhsuk_frontend_jinja") / "templates")
                ),
            ]
        ),
        autoescape=select_autoescape(["html", "jinja"]),
        undefined=ChainableUndefined,  # nhsuk-frontend-jinja macros read optional params this way
    )
    env.globals["role_title"] = role_title
    env.filters["thousands"] = lambda n: f"{int(n):,}"
    return Jinja2Templates(env=env)


def render(
    request: Request, name: str, context: dict[str, Any], status: int = 200
) -> Response:
    """Render template ``name`` with ``context`` (the request is added)."""
    templates: Jinja2Templates = request.app.state.templates
    response: Response = templates.TemplateResponse(
        request, name, context, status_code=status
    )
    return response
