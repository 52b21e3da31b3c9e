"""XmR process limits: centre line, mean moving range, screening, limits and bands.

Making Data Count's XmR chart puts the process limits at the mean plus or minus 2.66
times the mean moving range (3 sigma, since 2.66 = 3 / d2 with d2 = 1.128 for ranges of
two points), and calls a point "close to a limit" beyond two thirds of that (2 sigma).
NHSRplotthedots screens large moving ranges first: a moving range of 3.267 times the
mean moving range or more (the upper range limit, D4 = 3.267) is left out and the mean
moving range taken again (Nelson 1982; Provost and Murray 2011). The Making Data Count
Excel tool does not screen, which ``screen`` = ``False`` reproduces.

References:
    NHS England and NHS Improvement. Making Data Count: strengthening your decisions
    (2019), and the SPC "plot the dots" Excel tool.
    https://www.england.nhs.uk/publication/making-data-count/
    NHS-R Community. NHSRplotthedots 0.2.2, ``R/ptd_spc_standard.R``.
    https://github.com/nhs-r-community/NHSRplotthedots
    Nelson LS. Control charts for individual measurements. Journal of Quality
    Technology 1982;14(3):172-3. https://doi.org/10.1080/00224065.1982.11978811
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tripleaim.delivery.spc.segments import (
    BoolArray,
    FloatArray,
    IntArray,
    r_mean,
    same_group,
    shift,
)

LIMIT = 2.66
"""Process limits: mean +/- 2.66 x mean moving range (3 sigma)."""
CLOSE = 2 * (LIMIT / 3)
"""Near-limit band: mean +/- two thirds of the limit distance (2 sigma), as R computes it."""
SCREEN = 3.267
"""Moving ranges at or above 3.267 x the mean moving range are screened out."""


@dataclass(frozen=True)
class Limits:
    """Per-row centre line and limits of the row's group, and the point tests.

    ``outside`` and ``close`` are ``None``-free boolean arrays with a separate
    ``unknown`` mask (R's ``NA``): the value is missing or the limits are not defined.
    """

    fix_y: FloatArray
    mean: FloatArray
    lpl: FloatArray
    upl: FloatArray
    outside: BoolArray
    close: BoolArray
    unknown: BoolArray
    relative: FloatArray


def process_limits(
    y: FloatArray,
    group: IntArray,
    groups: int,
    position: IntArray,
    fix_after: FloatArray,
    screen: BoolArray,
) -> Limits:
    """Centre line and limits per group, from its first ``fix_after`` points.

    Args:
        y: Values sorted by group and date (NaN = missing).
        group: Group index of each row (a KPI's rebase segment), contiguous.
        groups: Number of groups.
        position: 0-based position of the row within its group.
        fix_after: Per group, how many points set the limits (``inf`` = all).
        screen: Per group, whether to screen large moving ranges.
    """
    fix_y = np.where(position < fix_after[group], y, np.nan)
    mean = r_mean(fix_y, group, groups)
    previous = shift(fix_y, 1, np.nan)
    starts = ~same_group(group, -1)
    moving_range = np.where(starts, np.nan, np.abs(fix_y - previous))
    amr = r_mean(moving_range, group, groups)
    with np.errstate(invalid="ignore"):
        keep = ~screen[group] | (moving_range < SCREEN * amr[group])
    amr = r_mean(np.where(keep, moving_range, np.nan), group, groups)
    mean_row, amr_row = mean[group], amr[group]
    lpl = mean_row - LIMIT * amr_row
    upl = mean_row + LIMIT * amr_row
    near_low = mean_row - CLOSE * amr_row
    near_high = mean_row + CLOSE * amr_row
    unknown = np.isnan(y) | np.isnan(lpl) | np.isnan(upl)
    with np.errstate(invalid="ignore"):
        outside = ~unknown & ((y > upl) | (y < lpl))
        close = ~unknown & ~outside & ((y < near_low) | (y > near_high))
        relative = np.sign(y - mean_row)
    return Limits(fix_y, mean_row, lpl, upl, outside, close, unknown, relative)
