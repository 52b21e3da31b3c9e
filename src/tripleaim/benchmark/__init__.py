"""Benchmarking and opportunity: peer groups, measures and RightCare-style opportunity packs.

The public API of the capability (web and cli import only this). Peer groups (the
RightCare "similar 10" for upper-tier authorities and sub-ICB locations, list-based
peers for practices and PCNs) and measures are YAML definitions validated by
:class:`PeerGroupSpec` and :class:`MeasureSpec`; :func:`compute` counts every measure
on an engine, compares every area with its peers and stores ``benchmark_peers`` and
``benchmark_opportunities``; :func:`build_pack` assembles a deep-dive pack for one
area, written as HTML, PDF (:func:`pdf`) and Excel (:func:`write_workbook`). Methods
in ``docs/methods/benchmarking.md``.
"""

from __future__ import annotations

from tripleaim.benchmark import views
from tripleaim.benchmark.catalogue import measures, peer_groups, tariff
from tripleaim.benchmark.exports import PackFormat, pack_bytes
from tripleaim.benchmark.opportunity import opportunities
from tripleaim.benchmark.pack import ChartSet, Pack, build_pack
from tripleaim.benchmark.peers import nearest_peers
from tripleaim.benchmark.reading import (
    LEVEL_TITLES,
    Benchmarks,
    BenchmarksNotComputedError,
    load,
)
from tripleaim.benchmark.render import gbp, html, pdf
from tripleaim.benchmark.service import (
    BenchmarkSummary,
    compute,
    opportunity_frame,
    peer_frame,
)
from tripleaim.benchmark.spec import MeasureSpec, PeerGroupSpec
from tripleaim.benchmark.workbook import write_workbook

__all__ = [
    "LEVEL_TITLES",
    "BenchmarkSummary",
    "Benchmarks",
    "BenchmarksNotComputedError",
    "ChartSet",
    "MeasureSpec",
    "Pack",
    "PackFormat",
    "PeerGroupSpec",
    "build_pack",
    "compute",
    "gbp",
    "html",
    "load",
    "measures",
    "nearest_peers",
    "opportunities",
    "opportunity_frame",
    "pack_bytes",
    "pdf",
    "peer_frame",
    "peer_groups",
    "tariff",
    "views",
    "write_workbook",
]
