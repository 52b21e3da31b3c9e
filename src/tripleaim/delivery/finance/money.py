"""Sums of money as a board paper writes them: £k in, "£84m" or "£1.327bn" out."""

from __future__ import annotations

import math


def money(thousands: float, *, digits: int | None = None) -> str:
    """A sum held in £k written in £k, £m or £bn, with a minus sign when negative.

    Below £1m: ``£850k``; below £1bn: ``£84.2m`` (one decimal, or ``digits``); from
    £1bn: ``£1.327bn`` (three decimals, or ``digits``). ``£-`` never appears: a
    negative sum is ``-£3.1m``.

    Examples:
        >>> money(1_327_000), money(84_200, digits=0), money(-3_060)
        ('£1.327bn', '£84m', '-£3.1m')
    """
    if math.isnan(thousands):
        return "not known"
    sign = "-" if thousands < 0 else ""
    value = abs(thousands)
    if value >= 1_000_000:
        text = f"£{value / 1_000_000:,.{3 if digits is None else digits}f}bn"
    elif value >= 1_000:
        text = f"£{value / 1_000:,.{1 if digits is None else digits}f}m"
    else:
        text = f"£{value:,.{0 if digits is None else digits}f}k"
    return sign + text


def millions(thousands: float) -> float:
    """£k to £m (for chart axes)."""
    return thousands / 1_000
