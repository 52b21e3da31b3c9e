"""The seeded synthetic footprint: real geography and organisations, synthetic people."""

from __future__ import annotations

from tripleaim.warehouse.synthetic.build import STEPS, BuildSummary, build_footprint

__all__ = ["STEPS", "BuildSummary", "build_footprint"]
