"""Altair specifications rendered to inline SVG on the server (vl-convert), for reports.

The same renderer as the web pages (``web/charts.py``), owned here because a
capability may not import ``web``: SVG needs no script in the page, prints, and goes
into the PDF unchanged. Every SVG gets a ``<title>`` (its accessible name).
"""

from __future__ import annotations

import functools
import json
from html import escape

import altair as alt
import vl_convert as vlc


@functools.lru_cache(maxsize=256)
def _render(spec_json: str) -> str:
    return str(vlc.vegalite_to_svg(json.loads(spec_json)))


def svg(chart: alt.TopLevelMixin, title: str) -> str:
    """``chart`` as an SVG string whose first child is ``<title>`` ``title``."""
    text = _render(json.dumps(chart.to_dict(), sort_keys=True))
    head, sep, rest = text.partition(">")
    return f"{head}{sep}<title>{escape(title)}</title>{rest}"
