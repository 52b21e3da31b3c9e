"""The board report as HTML (Jinja, NHS.UK look, inline SVG) and PDF (WeasyPrint).

The HTML stands alone (styles inline, charts as inline SVG, no script), so the same
document is e-mailed, printed and turned into the PDF without fetching anything.
"""

from __future__ import annotations

import functools
from importlib.resources import files

import jinja2
from weasyprint import HTML  # type: ignore[import-untyped]  # no stubs

from tripleaim.delivery.report.content import BoardReport

PACKAGE = "tripleaim.delivery.report"


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader(PACKAGE, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _css() -> str:
    return files(PACKAGE).joinpath("templates", "board_report.css").read_text("utf-8")


def html(report: BoardReport) -> str:
    """The report as one self-contained HTML document."""
    template = _environment().get_template("board_report.html.jinja")
    return template.render(r=report, css=_css())


def pdf(report: BoardReport) -> bytes:
    """The report as PDF (A4), from the same HTML."""
    document: bytes = HTML(string=html(report)).write_pdf()
    return document
