"""ICD-10 code lists as definitions write them, and the Ibis tests that match them.

Definitions name codes as published, without the dot (``ICD-10 F10``, ``S72.0-S72.2``
becomes ``S720-S722``): a code matches every code that starts with it (``F10``
matches ``F100`` ... ``F109``), and a range ``S00-T98`` matches every code whose
first three (or four) characters fall in it. Matching compiles to prefix tests,
``BETWEEN`` and one regular expression, which give the same answer on every engine.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from string import ascii_uppercase

import ibis
import ibis.expr.types as ir

CODE = re.compile(r"[A-Z][0-9]{2}[0-9A-Z]?")
"""One ICD-10 code or category without its dot: a letter, two digits, maybe one more."""

MAX_RANGE = 2600
"""Largest range accepted (A00-Z99 is 2,600 categories): a guard against typos."""


def check_code_pattern(pattern: str) -> str:
    """Return ``pattern`` if it is an ICD-10 code or a range of codes, else raise.

    Raises:
        ValueError: Naming the pattern and the form expected (pydantic reports it
            with the field's path).
    """
    parts = pattern.split("-")
    if len(parts) > 2 or not all(CODE.fullmatch(part) for part in parts):
        raise ValueError(
            f"{pattern!r} is not an ICD-10 code or range; write codes without the "
            "dot, for example 'F10', 'S720' or 'S720-S722'"
        )
    if len(parts) == 2:
        start, end = parts
        if len(start) != len(end) or start > end:
            raise ValueError(
                f"range {pattern!r} must join two codes of the same length, "
                "the first not after the second"
            )
        if not (start[1:].isdigit() and end[1:].isdigit()):
            raise ValueError(f"range {pattern!r} may only vary digits after the letter")
        if len(expand(pattern)) > MAX_RANGE:
            raise ValueError(f"range {pattern!r} covers more than {MAX_RANGE} codes")
    return pattern


def expand(pattern: str) -> list[str]:
    """The code prefixes a pattern stands for: itself, or every code in its range.

    >>> expand("S720-S722")
    ['S720', 'S721', 'S722']
    """
    if "-" not in pattern:
        return [pattern]
    start, end = pattern.split("-")
    width = len(start) - 1
    top = 10**width - 1
    letters = ascii_uppercase[
        ascii_uppercase.index(start[0]) : ascii_uppercase.index(end[0]) + 1
    ]
    codes: list[str] = []
    for letter in letters:
        low = int(start[1:]) if letter == start[0] else 0
        high = int(end[1:]) if letter == end[0] else top
        codes.extend(f"{letter}{number:0{width}d}" for number in range(low, high + 1))
    return codes


def _digit_ranges(low: str, high: str) -> list[str]:
    """Regular expressions matching every digit string from ``low`` to ``high``.

    Both strings have the same length; ``("00", "19")`` gives ``["[0-1][0-9]"]``.
    """
    if low == high:
        return [low]
    if len(low) == 1:
        return [f"[{low}-{high}]"]
    rest = len(low) - 1
    if low[0] == high[0]:
        return [low[0] + tail for tail in _digit_ranges(low[1:], high[1:])]
    parts: list[str] = []
    first, last = int(low[0]), int(high[0])
    if low[1:] != "0" * rest:
        parts += [low[0] + tail for tail in _digit_ranges(low[1:], "9" * rest)]
        first += 1
    tail_full = high[1:] == "9" * rest
    end = last if tail_full else last - 1
    if first <= end:
        lead = str(first) if first == end else f"[{first}-{end}]"
        parts.append(lead + "[0-9]" * rest)
    if not tail_full:
        parts += [high[0] + tail for tail in _digit_ranges("0" * rest, high[1:])]
    return parts


def pattern_regex(pattern: str) -> str:
    """A regular expression (no anchors) for the codes a pattern stands for as prefixes.

    >>> pattern_regex("S00-T98")
    'S[0-9][0-9]|T[0-8][0-9]|T9[0-8]'
    """
    if "-" not in pattern:
        return pattern
    start, end = pattern.split("-")
    width = len(start) - 1
    letters = ascii_uppercase[
        ascii_uppercase.index(start[0]) : ascii_uppercase.index(end[0]) + 1
    ]
    parts = []
    for letter in letters:
        low = start[1:] if letter == start[0] else "0" * width
        high = end[1:] if letter == end[0] else "9" * width
        parts += [letter + digits for digits in _digit_ranges(low, high)]
    return "|".join(parts)


def code_matches(column: ir.StringValue, patterns: Sequence[str]) -> ir.BooleanValue:
    """True where a single-code column (``primary_diagnosis``) matches any pattern.

    A code is a prefix test (``substr(code, 0, n) IN (...)`` for all codes of one
    length); a range compares the code's first characters with its ends
    (``BETWEEN 'S00' AND 'T98'``), which orders codes as ICD-10 does since both
    engines compare these ASCII strings byte by byte.
    """
    singles: dict[int, list[str]] = {}
    tests = []
    for pattern in patterns:
        if "-" in pattern:
            start, end = pattern.split("-")
            head = column.substr(0, len(start))
            tests.append((head >= start) & (head <= end))
        else:
            singles.setdefault(len(pattern), []).append(pattern)
    tests += [
        column.substr(0, length).isin(sorted(codes))
        for length, codes in sorted(singles.items())
    ]
    return ibis.or_(*tests)


def code_list_matches(
    column: ir.StringValue, patterns: Sequence[str]
) -> ir.BooleanValue:
    """True where any code of a ';'-separated list (``secondary_diagnoses``) matches.

    A regular expression anchored at the start of the list or after a ';', with
    ranges written as digit classes (``W00-W19`` is ``W[0-1][0-9]``); it uses only
    letters, digits, classes, ``|``, ``^`` and groups, which DuckDB's RE2 and Spark's
    Java regular expressions read the same way. An empty list matches nothing.
    """
    expression = "(^|;)(" + "|".join(pattern_regex(p) for p in patterns) + ")"
    return column.fill_null("").re_search(expression)
