"""Recorded prevalence of long-term conditions among registered people."""

from __future__ import annotations

from collections.abc import Sequence

import ibis.expr.types as ir

from tripleaim.warehouse.queries.aggregates import count_by, count_if
from tripleaim.warehouse.queries.areas import ROLLUP_HINT, require_columns
from tripleaim.warehouse.queries.dates import DateLike, as_date
from tripleaim.warehouse.queries.population import registered_persons


def recorded_prevalence(
    persons: ir.Table,
    conditions: ir.Table,
    condition: str,
    at: DateLike,
    by: Sequence[str] = ("practice_code",),
) -> ir.Table:
    """People on a condition register as a share of the registered population on a date.

    Recorded prevalence as the Quality and Outcomes Framework publishes it (NHS
    England, *Quality and Outcomes Framework, Achievement, Prevalence and
    Exceptions Data*): people registered on
    ``at`` with the condition first diagnosed on or before ``at``, over everyone
    registered on ``at``. The denominator is the whole list; registers with an age
    floor (diabetes 17+ ...) filter ``persons`` first.

    Args:
        persons: ``persons``, or ``person_areas(...)`` to count by a wider area.
        conditions: The ``conditions`` table.
        condition: The condition slug, such as ``diabetes``.
        at: The date of the count.
        by: Columns to count by, as for ``registered_population``.

    Returns:
        The ``by`` columns, ``register``, ``population`` and ``prevalence`` (a
        proportion, 0 to 1); every group with a registered person appears, with a
        register of 0 when nobody has the condition.
    """
    registered = registered_persons(persons, at)
    require_columns(registered, tuple(by), ROLLUP_HINT)
    diagnosed = conditions.filter(
        conditions.condition == condition,
        conditions.diagnosis_date <= as_date(at),
    )
    diagnosed = diagnosed.select(diagnosed_person_id=diagnosed.person_id).distinct()
    flagged = registered.left_join(
        diagnosed, registered.person_id == diagnosed.diagnosed_person_id
    )
    counted = count_by(
        flagged,
        by,
        register=count_if(flagged.diagnosed_person_id.notnull()),
        population=flagged.count(),
    )
    return counted.mutate(
        prevalence=counted.register.cast("float64") / counted.population.nullif(0)
    )
