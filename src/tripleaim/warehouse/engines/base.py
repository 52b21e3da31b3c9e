"""What every engine offers: Ibis tables in, Arrow tables out.

Follows ehrQL's ``query_engines/base.py``: engines are small differences over one base.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

from tripleaim.errors import EngineNotSupportedError, NotFoundError
from tripleaim.warehouse.engines.gaps import UNSUPPORTED

if TYPE_CHECKING:
    import ibis
    import ibis.expr.types as ir
    import pyarrow as pa

    from tripleaim.settings import Settings

ENGINE_NAMES = ("duckdb", "spark")


class Engine(ABC):
    """An Ibis backend with the warehouse's tables registered."""

    name: str
    backend: ibis.BaseBackend

    def table(self, name: str) -> ir.Table:
        """The warehouse table ``name`` as an Ibis expression."""
        if name not in self.list_tables():
            raise NotFoundError(
                f"The {self.name} warehouse has no table {name!r}; run `tripleaim generate` "
                "or `tripleaim load` first."
            )
        return self.backend.table(name)

    def list_tables(self) -> list[str]:
        """Names of the tables the engine can see."""
        return sorted(self.backend.list_tables())

    def execute(self, expr: ir.Expr) -> pa.Table:
        """Run an expression and return the result as an Arrow table."""
        return self.backend.to_pyarrow(expr)

    def scalar(self, expr: ir.Scalar) -> Any:
        """Run a scalar expression and return a Python value."""
        return self.backend.to_pyarrow(expr).as_py()

    def to_sql(self, expr: ir.Expr) -> str:
        """The SQL this engine would run, for debugging."""
        import ibis  # noqa: PLC0415

        return str(
            ibis.to_sql(expr, dialect=self.dialect)
        )  # ibis names: duckdb, pyspark

    def require(self, operation: str) -> None:
        """Raise ``EngineNotSupportedError`` up front for a known gap of this engine."""
        reason = UNSUPPORTED.get(self.name, {}).get(operation)
        if reason is not None:
            raise EngineNotSupportedError(
                f"The {self.name} engine cannot {operation}: {reason}"
            )

    @property
    @abstractmethod
    def dialect(self) -> str:
        """The sqlglot dialect name."""

    @abstractmethod
    def create_table(self, name: str, data: pa.Table) -> None:
        """Create (or replace) a table from Arrow data: used by tests and pipelines."""

    def close(self) -> None:  # noqa: B027  (engines without resources need nothing)
        """Release the engine's resources."""


def connect(
    settings: Settings, engine: str | None = None, *, read_only: bool = False
) -> Engine:
    """Open the warehouse on the engine named in settings (or ``engine``)."""
    name = engine or settings.engine
    if name == "duckdb":
        from tripleaim.warehouse.engines.duckdb import DuckDBEngine  # noqa: PLC0415

        return DuckDBEngine.open(settings, read_only=read_only)
    if name == "spark":
        from tripleaim.warehouse.engines.spark import SparkEngine  # noqa: PLC0415

        return SparkEngine.open(settings)
    raise EngineNotSupportedError(
        f"Unknown engine {name!r}; choose one of {', '.join(ENGINE_NAMES)}."
    )
