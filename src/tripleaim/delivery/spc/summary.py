"""Variation and assurance: what the latest point and the target say about each KPI.

Making Data Count summarises a chart with two icons. Variation is the type of the
latest point: common cause, special cause improvement or concern (high or low,
whichever way is better), or neutral high/low when neither direction is better.
Assurance compares the target with the process limits of the latest segment: a
target beyond the limits on the side the process cannot reach is consistently failed,
on the side it always exceeds consistently passed, and between them hit and miss
("inconsistent"). NHSRplotthedots (``summary.ptd_spc_df``,
``ptd_calculate_assurance_type``, ``ptd_get_icons``) is the reference; one
deliberate difference: a KPI without a target has no assurance even when other KPIs
in the same call have one (docs/decisions/0030-spc-parity-and-deviations.md).

References:
    NHS England and NHS Improvement. Making Data Count: getting started (2019), the
    variation and assurance icons. https://www.england.nhs.uk/publication/making-data-count/
    NHS-R Community. NHSRplotthedots 0.2.2.
    https://github.com/nhs-r-community/NHSRplotthedots
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ASSURANCE_TYPES = ("consistent_pass", "consistent_fail", "inconsistent")
VARIATION_ICONS = {
    ("common_cause", "increase"): "common_cause",
    ("common_cause", "decrease"): "common_cause",
    ("common_cause", "neutral"): "common_cause",
    ("special_cause_improvement", "increase"): "improvement_high",
    ("special_cause_improvement", "decrease"): "improvement_low",
    ("special_cause_concern", "increase"): "concern_low",
    ("special_cause_concern", "decrease"): "concern_high",
    ("special_cause_neutral_high", "neutral"): "neutral_high",
    ("special_cause_neutral_low", "neutral"): "neutral_low",
}
"""Icon of a latest point by its type and the KPI's improvement direction."""
ASSURANCE_ICONS = {
    "consistent_pass": "pass",
    "consistent_fail": "fail",
    "inconsistent": "inconsistent",
}


def _starts(chart: pd.DataFrame, *, by_rebase: bool) -> np.ndarray:
    """First row of each KPI (or KPI and rebase group): rows are sorted, groups contiguous."""
    f = chart["f"].to_numpy()
    change = np.ones(len(f), dtype=bool)
    change[1:] = f[1:] != f[:-1]
    if by_rebase:
        rebase = chart["rebase_group"].to_numpy()
        change[1:] |= rebase[1:] != rebase[:-1]
    return np.flatnonzero(change)


def _lasts(starts: np.ndarray, rows: int) -> np.ndarray:
    return np.append(starts[1:], rows) - 1


def assurance(chart: pd.DataFrame) -> pd.DataFrame:
    """Assurance type per KPI (``f``) from its latest point's target and limits.

    Returns one row per KPI with ``assurance_type``: ``consistent_pass``,
    ``consistent_fail``, ``inconsistent``, or missing when the KPI has no target or
    a neutral direction.
    """
    last = _lasts(_starts(chart, by_rebase=False), len(chart))
    target = chart["target"].to_numpy(dtype=np.float64)[last]
    upl = chart["upl"].to_numpy(dtype=np.float64)[last]
    lpl = chart["lpl"].to_numpy(dtype=np.float64)[last]
    way = np.asarray(chart["improvement_direction"], dtype=object)[last]
    increasing = way == "increase"
    with np.errstate(invalid="ignore"):
        above, below = target > upl, target < lpl
    kind = np.where(
        above,
        np.where(increasing, "consistent_fail", "consistent_pass"),
        np.where(
            below,
            np.where(increasing, "consistent_pass", "consistent_fail"),
            "inconsistent",
        ),
    ).astype(object)
    kind[np.isnan(target) | (way == "neutral")] = None
    return pd.DataFrame({"f": chart["f"].to_numpy()[last], "assurance_type": kind})


def summary(chart: pd.DataFrame) -> pd.DataFrame:
    """One row per KPI and rebase group, as ``summary()`` of a ``ptd_spc`` result.

    Columns: ``f``, ``rebase_group``, ``mean_col``, ``lpl``, ``upl`` (of the group),
    ``n``, ``common_cause``, ``special_cause_improvement``, ``special_cause_concern``,
    ``variation_type`` (type of the group's latest point) and ``assurance_type`` (on
    the KPI's latest group only).
    """
    starts = _starts(chart, by_rebase=True)
    last = _lasts(starts, len(chart))
    kind = np.asarray(chart["point_type"], dtype=object)
    flagged = chart["special_cause_flag"].to_numpy(dtype=np.int64)
    n = np.diff(np.append(starts, len(chart)))

    def count(values: np.ndarray) -> np.ndarray:
        if len(values) == 0:
            return np.zeros(0, dtype=np.int64)
        return np.add.reduceat(values.astype(np.int64), starts)

    f = chart["f"].to_numpy()
    out = pd.DataFrame(
        {
            "f": f[starts],
            "rebase_group": chart["rebase_group"].to_numpy()[starts],
            "mean_col": chart["mean_col"].to_numpy()[starts],
            "lpl": chart["lpl"].to_numpy()[starts],
            "upl": chart["upl"].to_numpy()[starts],
            "n": n,
            "common_cause": n - count(flagged),
            "special_cause_improvement": count(kind == "special_cause_improvement"),
            "special_cause_concern": count(kind == "special_cause_concern"),
            "variation_type": kind[last],
        }
    )
    latest = np.ones(len(starts), dtype=bool)
    latest[:-1] = f[starts][1:] != f[starts][:-1]
    assured = assurance(chart)["assurance_type"].to_numpy()
    facet_index = np.cumsum(np.append(True, latest[:-1])) - 1
    kinds = np.full(len(starts), None, dtype=object)
    kinds[latest] = assured[facet_index[latest]]
    out["assurance_type"] = kinds
    return out


def icons(chart: pd.DataFrame) -> pd.DataFrame:
    """Variation and assurance icon names per KPI (``f``).

    Columns: ``f``, ``improvement_direction``, ``point_type`` (latest point),
    ``variation_icon`` (``common_cause``, ``improvement_high``, ``concern_low``,
    ``neutral_high``...) and ``assurance_type`` / ``assurance_icon`` (``pass``,
    ``fail``, ``inconsistent`` or missing).
    """
    last = _lasts(_starts(chart, by_rebase=False), len(chart))
    kinds = np.asarray(chart["point_type"], dtype=object)[last]
    ways = np.asarray(chart["improvement_direction"], dtype=object)[last]
    variation = [VARIATION_ICONS[(k, w)] for k, w in zip(kinds, ways, strict=True)]
    out = pd.DataFrame(
        {
            "f": chart["f"].to_numpy()[last],
            "improvement_direction": ways,
            "point_type": kinds,
            "variation_icon": variation,
        }
    )
    out["assurance_type"] = assurance(chart)["assurance_type"].to_numpy()
    out["assurance_icon"] = out["assurance_type"].map(ASSURANCE_ICONS)
    return out
