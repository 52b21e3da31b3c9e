"""Loading extract files into the warehouse: validated, quarantined, all or nothing.

``load_file`` reads one CSV or Parquet extract (docs/extract-formats.md) into one
table; rows that break a rule go to quarantine with the reason, never silently away.
The ``quarantine`` module lists loads and their held rows; ``write_extract`` writes a
table back out in the same format, so data can round-trip.
"""

from __future__ import annotations

from tripleaim.warehouse.loaders import quarantine
from tripleaim.warehouse.loaders.extracts import write_extract
from tripleaim.warehouse.loaders.formats import EXTENSIONS, ExtractFormat
from tripleaim.warehouse.loaders.load import LoadResult, load_file
from tripleaim.warehouse.loaders.quarantine import Batch, ReasonCount

__all__ = [
    "EXTENSIONS",
    "Batch",
    "ExtractFormat",
    "LoadResult",
    "ReasonCount",
    "load_file",
    "quarantine",
    "write_extract",
]
