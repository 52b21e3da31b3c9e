"""Altair specifications rendered to inline SVG on the server (vl-convert), for reports.

The same renderer as the web pages (``web/charts.py``), owned here because a
capability may not import ``web``: SVG needs no script in the page, prints, and goes
into the PDF unchanged. Every SVG gets a ``<title>`` (its accessible name).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from html import escape
from typing import Any

import altair as alt
import vl_convert as vlc


@functools.lru_cache(maxsize=256)
def _render(spec_json: str) -> str:
    return str(vlc.vegalite_to_svg(json.loads(spec_json)))


def svg(chart: alt.TopLevelMixin, title: str) -> str:
    """``chart`` as an SVG string whose first child is ``<title>`` ``title``."""
    return _titled(_render(json.dumps(chart.to_dict(), sort_keys=True)), title)


def _titled(text: str, title: str) -> str:
    head, sep, rest = text.partition(">")
    return f"{head}{sep}<title>{escape(title)}</title>{rest}"


def svgs(specs: Sequence[tuple[dict[str, Any], str]], workers: int = 2) -> list[str]:
    """Many Vega-Lite specifications (with their titles) as SVG, two at a time.

    vl-convert renders outside the interpreter lock, so two threads halve the time of
    a report's dozens of charts on a small machine.
    """
    texts = [json.dumps(spec, sort_keys=True) for spec, _ in specs]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        drawn = list(pool.map(_render, texts))
    return [_titled(text, title) for text, (_, title) in zip(drawn, specs, strict=True)]
