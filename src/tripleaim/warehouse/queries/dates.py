"""Dates as NHS reporting counts them: financial years, ages, age bands and months.

Every function builds an Ibis expression that gives the same answer on every engine:
arithmetic stays in integers and strings, so no engine's date functions, integer
division or time zone settings change a result.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal, TypeAlias

import ibis
import ibis.expr.types as ir

from tripleaim.errors import DefinitionError
from tripleaim.warehouse.schema.comparators import AGE_BANDS

DateLike: TypeAlias = date | ir.DateValue | ir.TimestampValue
"""A Python date, or an Ibis date or timestamp expression (a timestamp counts by its date)."""

Period = Literal["financial_year", "month"]
PERIODS: tuple[Period, ...] = ("financial_year", "month")

ESP2013_AGE_BANDS = AGE_BANDS
"""Five-year bands of the 2013 European Standard Population: 0-4, 5-9 ... 85-89, 90+."""

FINANCIAL_YEAR_START_MONTH = 4
_FINANCIAL_YEAR_LABEL = re.compile(r"(\d{4})/(\d{2})")


def as_date(value: DateLike) -> ir.DateValue:
    """``value`` as an Ibis date: literals are typed, timestamps lose their time."""
    if isinstance(value, datetime):
        return ibis.literal(value.date(), type="date")
    if isinstance(value, date):
        return ibis.literal(value, type="date")
    if isinstance(value, ir.TimestampValue):
        return value.date()
    return value


def financial_year(value: DateLike) -> ir.StringValue:
    """The financial year a date falls in, labelled as the NHS publishes it ('2022/23').

    The NHS financial year runs from 1 April to 31 March (NHS Data Dictionary,
    "Financial Year"), so 31 March 2023 is in 2022/23 and 1 April 2023 in 2023/24.

    Args:
        value: A date, or an Ibis date or timestamp expression.

    Returns:
        A string expression, null where ``value`` is null.
    """
    day = as_date(value)
    start = day.year() - (day.month() < FINANCIAL_YEAR_START_MONTH).ifelse(1, 0)
    end = ((start + 1) % 100).cast("string").lpad(2, "0")
    return start.cast("string") + "/" + end


def financial_year_start(label: str) -> date:
    """1 April of the financial year labelled ``label`` ('2022/23' -> 2022-04-01).

    Raises:
        DefinitionError: If ``label`` is not a financial year such as '2022/23'.
    """
    match = _FINANCIAL_YEAR_LABEL.fullmatch(label)
    if match is None or (int(match[1]) + 1) % 100 != int(match[2]):
        raise DefinitionError(
            f"{label!r} is not a financial year; write the start year and the next "
            "year's last two digits, for example '2022/23'."
        )
    return date(int(match[1]), FINANCIAL_YEAR_START_MONTH, 1)


def financial_year_midpoint(label: str) -> date:
    """30 September of the financial year: the middle day of its 365 (or 366).

    A count of people on this day stands in for the average population over the
    year, as the ONS mid-year estimate does for a calendar year.
    """
    return date(financial_year_start(label).year, 9, 30)


def age_at(date_of_birth: DateLike, at: DateLike) -> ir.IntegerValue:
    """Age in whole years on the date ``at``, counting a birthday on the day it falls.

    Years between the two dates, less one if the birthday (month and day) has not
    yet come round in the year of ``at``: someone born on 29 February turns a year
    older on 1 March in a common year. Computed from year, month and day numbers,
    not by dividing days by 365.25, which is wrong around birthdays, nor by an
    engine's own date difference function, whose rounding differs between engines.

    Args:
        date_of_birth: Date of birth (date or expression).
        at: The date to take the age on (date or expression).

    Returns:
        An int64 expression, null where either date is null.
    """
    born = as_date(date_of_birth)
    on = as_date(at)
    birthday_passed = on.month() * 100 + on.day() >= born.month() * 100 + born.day()
    return (on.year() - born.year() - birthday_passed.ifelse(0, 1)).cast("int64")


def age_band(age: ir.IntegerValue) -> ir.StringValue:
    """The five-year ESP2013 age band of an age in years: '0-4' ... '85-89', '90+'.

    The bands are those of the 2013 European Standard Population (Eurostat,
    *Revision of the European Standard Population: report of Eurostat's task
    force*, 2013), which ONS and OHID use to age-standardise rates.

    Args:
        age: Age in whole years.

    Returns:
        A string expression, null where ``age`` is null or negative.
    """
    lower = age - age % 5
    return ibis.cases(
        (age < 0, ibis.null("string")),
        (age >= 90, "90+"),
        else_=lower.cast("string") + "-" + (lower + 4).cast("string"),
    )


def month_start(value: DateLike) -> ir.DateValue:
    """The first day of the month ``value`` falls in (monthly reporting periods)."""
    return as_date(value).truncate("M")


def reporting_period(value: DateLike, period: Period) -> ir.Value:
    """The reporting period of a date: its financial year label or its month's first day.

    Raises:
        DefinitionError: If ``period`` is not one of ``PERIODS``.
    """
    if period == "financial_year":
        return financial_year(value)
    if period == "month":
        return month_start(value)
    raise DefinitionError(
        f"Unknown reporting period {period!r}; choose one of {', '.join(PERIODS)}."
    )
