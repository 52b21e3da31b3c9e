"""Statistical process control for KPIs: Making Data Count XmR charts and icons.

Pure, vectorised functions over pandas frames that match NHSRplotthedots 0.2.2
point for point (``tests/reference/test_nhsrplotthedots.py``), with an option for
the NHS England Excel tool's limits. See ``docs/methods/spc.md``.
"""

from __future__ import annotations

from tripleaim.delivery.spc.options import SpcInputError
from tripleaim.delivery.spc.summary import assurance, icons, summary
from tripleaim.delivery.spc.xmr import COLUMNS, NO_FACET, xmr

__all__ = [
    "COLUMNS",
    "NO_FACET",
    "SpcInputError",
    "assurance",
    "icons",
    "summary",
    "xmr",
]
