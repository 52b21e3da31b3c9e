"""The finance inputs: plain records of plans, savings and investment, as frames.

Money is in thousands of pounds (``£k``), as the delivery store holds it. The
records mirror the store's ``FinancialPlanLine``, ``SavingsLine`` and
``InvestmentLine`` so a report maps store rows onto them one to one, and the methods
stay pure functions of data a test can write by hand. :func:`frame` checks every
record and names the organisation, scheme and field of any problem.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields

import pandas as pd

from tripleaim.delivery.finance.weights import STAGES
from tripleaim.errors import UserError

ORGANISATION_KINDS = ("commissioner", "provider", "local_authority")
CATEGORIES = ("qipp", "cip", "system")
"""Commissioner QIPP, provider cost improvement (CIP) or system-wide scheme."""


class FinanceInputError(UserError):
    """A finance record cannot be used; the message names the record and field."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class PlanLine:
    """An organisation's resources available and spending requirement for a year (£k)."""

    organisation: str
    organisation_kind: str
    financial_year: str
    resources_available: float
    spending_requirement: float


@dataclass(frozen=True)
class SavingsPlan:
    """A savings scheme for one organisation and year (£k): plan, forecast, stage."""

    organisation: str
    scheme: str
    category: str
    financial_year: str
    stage: str
    plan_total: float
    forecast: float | None = None
    recurrent: bool = True


@dataclass(frozen=True)
class Investment:
    """Money invested in a scheme in a year, and the annual return expected (£k)."""

    organisation: str
    description: str
    financial_year: str
    planned: float
    expected_return: float
    actual: float | None = None
    recurrent: bool = False


Record = PlanLine | SavingsPlan | Investment
CHOICES: dict[str, tuple[str, ...]] = {
    "organisation_kind": ORGANISATION_KINDS,
    "category": CATEGORIES,
    "stage": STAGES,
}
NON_NEGATIVE = (
    "resources_available",
    "spending_requirement",
    "plan_total",
    "planned",
    "expected_return",
)


def _label(record: Record) -> str:
    parts = [record.organisation, record.financial_year]
    if isinstance(record, SavingsPlan):
        parts.insert(1, record.scheme)
    if isinstance(record, Investment):
        parts.insert(1, record.description)
    return " / ".join(parts)


def _check(record: Record) -> None:
    label = _label(record)
    for name, allowed in CHOICES.items():
        value = getattr(record, name, None)
        if value is not None and value not in allowed:
            raise FinanceInputError(
                f"{label}: {name} {value!r} is not one of {', '.join(allowed)}",
                field=name,
            )
    year = record.financial_year
    if len(year) != 7 or year[4] != "/" or not (year[:4] + year[5:]).isdigit():
        raise FinanceInputError(
            f"{label}: financial_year {year!r} must look like 2020/21",
            field="financial_year",
        )
    for item in fields(record):
        value = getattr(record, item.name)
        if isinstance(value, float | int) and not isinstance(value, bool):
            if math.isnan(value) or math.isinf(value):
                raise FinanceInputError(
                    f"{label}: {item.name} must be a number", field=item.name
                )
            if item.name in NON_NEGATIVE and value < 0:
                raise FinanceInputError(
                    f"{label}: {item.name} {value} must not be negative",
                    field=item.name,
                )


def frame(records: Iterable[Record], kind: type[Record]) -> pd.DataFrame:
    """Checked records of one kind as a frame (one column per field, £k)."""
    rows: Sequence[Record] = list(records)
    for record in rows:
        if not isinstance(record, kind):
            raise FinanceInputError(
                f"expected {kind.__name__} records, got {type(record).__name__}"
            )
        _check(record)
    columns = [f.name for f in fields(kind)]
    return pd.DataFrame([asdict(r) for r in rows], columns=columns)
