"""Months and financial years as text."""

from __future__ import annotations

import pytest

from tripleaim.delivery import (
    PeriodFormatError,
    add_months,
    financial_year,
    month_range,
    month_title,
    year_months,
)


def test_adding_months_crosses_year_ends_both_ways() -> None:
    assert add_months("2017-11", 3) == "2018-02"
    assert add_months("2018-02", -3) == "2017-11"
    assert add_months("2018-01", 0) == "2018-01"


def test_january_belongs_to_the_financial_year_that_began_the_april_before() -> None:
    assert financial_year("2018-01") == "2017/18"
    assert financial_year("2018-03") == "2017/18"
    assert financial_year("2018-04") == "2018/19"
    assert financial_year("1999-12") == "1999/00"


def test_a_financial_year_has_twelve_months_from_april_to_march() -> None:
    months = year_months("2017/18")
    assert months[0] == "2017-04"
    assert months[-1] == "2018-03"
    assert len(months) == 12
    assert month_range("2016-04", "2018-03") == year_months("2016/17") + months


def test_month_titles_are_written_out() -> None:
    assert month_title("2018-01") == "January 2018"


@pytest.mark.parametrize("bad", ["2018-13", "2018-1", "Jan 2018", ""])
def test_a_badly_written_month_is_refused_with_the_format_to_use(bad: str) -> None:
    with pytest.raises(PeriodFormatError, match="YYYY-MM"):
        add_months(bad, 1)


@pytest.mark.parametrize("bad", ["2017/19", "2017-18", "17/18"])
def test_a_badly_written_financial_year_is_refused(bad: str) -> None:
    with pytest.raises(PeriodFormatError, match="YYYY/YY"):
        year_months(bad)
