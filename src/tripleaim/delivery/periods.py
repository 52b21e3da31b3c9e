"""Months and NHS financial years (April to March) as text: ``2018-01`` and ``2017/18``."""

from __future__ import annotations

import re

from tripleaim.errors import UserError

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
YEAR = re.compile(r"^(\d{4})/(\d{2})$")


class PeriodFormatError(UserError):
    """A month or financial year is not written as ``YYYY-MM`` or ``YYYY/YY``."""


def check_month(month: str) -> str:
    """``month`` if it is ``YYYY-MM``, else a PeriodFormatError naming it."""
    if not MONTH.match(month):
        raise PeriodFormatError(
            f"'{month}' is not a month: write it as YYYY-MM, for example 2018-01."
        )
    return month


def add_months(month: str, count: int) -> str:
    """The month ``count`` months after ``month`` (before it when negative)."""
    year, mon = (int(part) for part in check_month(month).split("-"))
    index = year * 12 + (mon - 1) + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive."""
    months = [check_month(first)]
    while months[-1] < check_month(last):
        months.append(add_months(months[-1], 1))
    return months


def financial_year(month: str) -> str:
    """The NHS financial year holding ``month``: ``2018-01`` -> ``2017/18``."""
    year, mon = (int(part) for part in check_month(month).split("-"))
    start = year if mon >= 4 else year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def year_months(year: str) -> list[str]:
    """The twelve months of a financial year, April first."""
    match = YEAR.match(year)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise PeriodFormatError(
            f"'{year}' is not a financial year: write it as YYYY/YY, for example 2017/18."
        )
    start = int(match.group(1))
    return month_range(f"{start}-04", f"{start + 1}-03")


def month_title(month: str) -> str:
    """``2018-01`` -> ``January 2018``."""
    names = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    year, mon = check_month(month).split("-")
    return f"{names[int(mon) - 1]} {year}"
