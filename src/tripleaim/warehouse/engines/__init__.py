"""The engine layer: the one place that knows DuckDB and Spark.

Capabilities write Ibis expressions over warehouse tables; an engine runs them.
"""

from __future__ import annotations

from tripleaim.warehouse.engines.base import ENGINE_NAMES, Engine, connect

__all__ = ["ENGINE_NAMES", "Engine", "connect"]
