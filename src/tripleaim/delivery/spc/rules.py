"""Making Data Count's special-cause rules, flagged for every point of every group.

The rules and their precedence follow NHSRplotthedots 0.2.2
(``R/ptd_calculate_point_type.R``), which follows the Making Data Count Excel tool:

1. a point outside the process limits ("Above UCL" / "Below LCL");
2. a point in a run of 7 points each strictly higher (or lower) than the one before
   ("7 Point Trend (Increasing|Decreasing)");
3. two of three consecutive points beyond the 2-sigma band on the same side of the
   mean, all three on that side: only the close points are flagged ("2 in 3");
4. a point in a run of 7 points on one side of the mean (a point on the mean breaks
   the run) ("7 Points Above|Below CL").

A point takes the first rule that flags it. Runs never cross a rebase. One deliberate
difference: NHSRplotthedots stops with an error when a missing value falls inside an
otherwise monotone run; here a missing value breaks the trend
(docs/decisions/0030-spc-parity-and-deviations.md).

References:
    NHS England and NHS Improvement. Making Data Count (2019).
    https://www.england.nhs.uk/publication/making-data-count/
    NHS-R Community. NHSRplotthedots 0.2.2.
    https://github.com/nhs-r-community/NHSRplotthedots
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tripleaim.delivery.spc.segments import (
    BoolArray,
    FloatArray,
    IntArray,
    run_lengths,
    same_group,
    shift,
)

COMMON, ABOVE_UCL, BELOW_LCL, TREND_UP, TREND_DOWN = 0, 1, 2, 3, 4
TWO_IN_THREE_ABOVE, TWO_IN_THREE_BELOW, RUN_ABOVE, RUN_BELOW = 5, 6, 7, 8
"""Codes of :func:`special_cause_labels`, in the order of the labels."""
SIDE = np.array([0, 1, -1, 1, -1, 1, -1, 1, -1], dtype=np.int8)
"""+1 for a rule that points up (above, increasing), -1 down, 0 common cause."""


def special_cause_labels(run: int = 7, trend: int = 7) -> tuple[str, ...]:
    """The reference's ``special_cause_type`` texts, indexed by code."""
    return (
        "Common Cause",
        "Above UCL",
        "Below LCL",
        f"{trend} Point Trend (Increasing)",
        f"{trend} Point Trend (Decreasing)",
        "2 in 3 Above CL",
        "2 in 3 Below CL",
        f"{run} Points Above CL",
        f"{run} Points Below CL",
    )


@dataclass(frozen=True)
class RuleFlags:
    """Which rule flags each point (before precedence is applied)."""

    trend: BoolArray
    two_in_three: BoolArray
    run: BoolArray


def _trend(y: FloatArray, group: IntArray, length: int) -> tuple[BoolArray, FloatArray]:
    """Points inside a run of ``length`` strictly rising (or falling) values.

    Returns the flags and the sign of each point's step to the previous point in its
    group (0 for the first point, NaN next to a missing value).
    """
    first = ~same_group(group, -1)
    with np.errstate(invalid="ignore"):
        step = np.where(first, 0.0, np.sign(y - shift(y, 1, np.nan)))
    flagged = np.zeros(y.shape, dtype=bool)
    following = same_group(group, 1)
    for direction in (1.0, -1.0):
        rising = step == direction
        steps = run_lengths(rising, first)
        long_enough = steps >= length - 1
        flagged |= long_enough | (following & shift(long_enough, -1, False))
    return flagged, step


def _two_in_three(
    close: BoolArray, unknown: BoolArray, relative: FloatArray, group: IntArray
) -> BoolArray:
    """Close points in a three-point window (one group) with two or more close points.

    All three points must lie strictly on the same side of the mean, none missing.
    """
    known = ~unknown & ~np.isnan(relative)
    side = np.where(known, relative, 0.0)
    n = close.shape[0]
    window = np.zeros(n, dtype=bool)  # window starting at row i
    if n >= 3:
        whole = same_group(group, 2)
        count = close.astype(np.int8)
        total = count + shift(count, -1, 0) + shift(count, -2, 0)
        alike = (
            (side != 0)
            & (side == shift(side, -1, 0.0))
            & (side == shift(side, -2, 0.0))
        )
        window = whole & (total >= 2) & alike
    member = window | shift(window, 1, False) | shift(window, 2, False)
    return np.asarray(member & close)


def _run(relative: FloatArray, group: IntArray, length: int) -> BoolArray:
    """Points in a run of ``length`` or more on one side of the mean."""
    side = np.nan_to_num(relative, nan=0.0)
    first = ~same_group(group, -1)
    changed = side != shift(side, 1, np.nan)
    lengths = run_lengths(side != 0, first | changed)
    return np.asarray(lengths >= length)


def special_cause_codes(
    y: FloatArray,
    group: IntArray,
    outside: BoolArray,
    close: BoolArray,
    unknown: BoolArray,
    relative: FloatArray,
    *,
    run: int = 7,
    trend: int = 7,
) -> npt.NDArray[np.int8]:
    """The code of the first rule that flags each point (see the module docstring).

    A trend point's direction is the step to the next point when that point is in a
    trend too, else the step from the previous point, as the reference decides it.
    """
    trending, step = _trend(y, group, trend)
    pair = trending & shift(trending, -1, False) & same_group(group, 1)
    direction = np.where(pair, shift(step, -1, 0.0), step)
    in_three = _two_in_three(close, unknown, relative, group)
    in_run = _run(relative, group, run)
    above = relative > 0
    codes = np.full(y.shape, COMMON, dtype=np.int8)
    choices = (
        (in_run, np.where(above, RUN_ABOVE, RUN_BELOW)),
        (in_three, np.where(above, TWO_IN_THREE_ABOVE, TWO_IN_THREE_BELOW)),
        (trending, np.where(direction == 1, TREND_UP, TREND_DOWN)),
        (outside, np.where(relative == 1, ABOVE_UCL, BELOW_LCL)),
    )
    for flag, code in choices:  # lowest precedence first; later rules overwrite
        codes = np.where(flag, code, codes).astype(np.int8)
    return codes


POINT_TYPES = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)
"""The reference's ``point_type`` texts, indexed by the codes of :func:`point_types`."""


def point_types(
    codes: npt.NDArray[np.int8], direction: npt.NDArray[np.int8]
) -> npt.NDArray[np.int8]:
    """Improvement, concern or neutral high/low for each flagged point.

    Args:
        codes: Special-cause codes from :func:`special_cause_codes`.
        direction: Per row, +1 if higher is better, -1 if lower is better, 0 neutral.
    """
    side = SIDE[codes]
    oriented = side * direction
    kind = np.where(oriented > 0, 1, np.where(oriented < 0, 2, 0))
    neutral = np.where(side > 0, 3, np.where(side < 0, 4, 0))
    return np.where(direction == 0, neutral, kind).astype(np.int8)
