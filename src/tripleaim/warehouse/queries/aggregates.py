"""Counting that gives the same answer on every engine."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ibis
import ibis.expr.types as ir
from ibis.common.deferred import Deferred


def count_if(condition: Any) -> Any:
    """Rows where ``condition`` is true; zero, never null, when it is null on every row.

    Ibis compiles ``count(where=...)`` to ``COUNT(...) FILTER`` on DuckDB (0 when
    nothing matches) but to ``SUM(CAST(... AS BIGINT))`` on Spark (null when the
    condition is null on every row), so counts go through ``CASE`` instead.

    Args:
        condition: A boolean column expression or a deferred one (``_.breach_4h``).
    """
    return condition.ifelse(1, 0).sum()


def count_by(
    table: ir.Table, by: Sequence[str], **metrics: ir.Scalar | Deferred
) -> ir.Table:
    """``metrics`` over ``table`` grouped by ``by`` (one row overall when ``by`` is empty)."""
    if not by:
        return table.aggregate(**metrics)
    return table.group_by(list(by)).aggregate(**metrics)


def _bit_or_signature(value: int) -> int:
    """Bitwise OR over the rows: ``bit_or`` on DuckDB and on Spark 3 and later."""
    return value


_BIT_OR: Any = ibis.udf.agg.builtin(_bit_or_signature, name="bit_or")


def any_bits(column: ir.IntegerColumn) -> ir.IntegerScalar:
    """Bitwise OR of ``column`` over the rows (null when every row is null).

    Ibis 12 has no Spark rule for ``bit_or()``, so the engines' own ``bit_or``
    aggregate (same name and meaning on DuckDB and Spark) is called directly.
    """
    result: ir.IntegerScalar = _BIT_OR(column)
    return result
