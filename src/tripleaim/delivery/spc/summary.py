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


def _last_rows(chart: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The latest point of each group (rows are sorted by KPI and date)."""
    return chart.drop_duplicates(keys, keep="last")


def assurance(chart: pd.DataFrame) -> pd.DataFrame:
    """Assurance type per KPI (``f``) from its latest point's target and limits.

    Returns one row per KPI with ``assurance_type``: ``consistent_pass``,
    ``consistent_fail``, ``inconsistent``, or missing when the KPI has no target or
    a neutral direction.
    """
    last = _last_rows(chart, ["f"])
    target = last["target"].to_numpy(dtype=np.float64)
    upl = last["upl"].to_numpy(dtype=np.float64)
    lpl = last["lpl"].to_numpy(dtype=np.float64)
    increasing = (last["improvement_direction"] == "increase").to_numpy()
    neutral = (last["improvement_direction"] == "neutral").to_numpy()
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
    kind[np.isnan(target) | neutral] = None
    return pd.DataFrame({"f": last["f"].to_numpy(), "assurance_type": kind})


def summary(chart: pd.DataFrame) -> pd.DataFrame:
    """One row per KPI and rebase group, as ``summary()`` of a ``ptd_spc`` result.

    Columns: ``f``, ``rebase_group``, ``mean_col``, ``lpl``, ``upl`` (of the group),
    ``n``, ``common_cause``, ``special_cause_improvement``, ``special_cause_concern``,
    ``variation_type`` (type of the group's latest point) and ``assurance_type`` (on
    the KPI's latest group only).
    """
    keys = ["f", "rebase_group"]
    frame = chart.assign(
        _improvement=chart["point_type"] == "special_cause_improvement",
        _concern=chart["point_type"] == "special_cause_concern",
    )
    grouped = frame.groupby(keys, sort=True, observed=True)
    out = grouped.agg(
        mean_col=("mean_col", "first"),
        lpl=("lpl", "first"),
        upl=("upl", "first"),
        n=("y", "size"),
        flagged=("special_cause_flag", "sum"),
        special_cause_improvement=("_improvement", "sum"),
        special_cause_concern=("_concern", "sum"),
    ).reset_index()
    out.insert(6, "common_cause", out["n"] - out.pop("flagged"))
    last = _last_rows(chart, keys)[[*keys, "point_type"]]
    out = out.merge(last.rename(columns={"point_type": "variation_type"}), on=keys)
    out["variation_type"] = out["variation_type"].astype(str)
    latest = (
        out.groupby("f", sort=False)["rebase_group"].transform("max")
        == out["rebase_group"]
    )
    out = out.merge(assurance(chart), on="f", how="left")
    out.loc[~latest, "assurance_type"] = None
    return out


def icons(chart: pd.DataFrame) -> pd.DataFrame:
    """Variation and assurance icon names per KPI (``f``).

    Columns: ``f``, ``improvement_direction``, ``point_type`` (latest point),
    ``variation_icon`` (``common_cause``, ``improvement_high``, ``concern_low``,
    ``neutral_high``...) and ``assurance_type`` / ``assurance_icon`` (``pass``,
    ``fail``, ``inconsistent`` or missing).
    """
    last = _last_rows(chart, ["f"])
    kinds = last["point_type"].astype(str).to_numpy()
    ways = last["improvement_direction"].astype(str).to_numpy()
    variation = [VARIATION_ICONS[(k, w)] for k, w in zip(kinds, ways, strict=True)]
    out = pd.DataFrame(
        {
            "f": last["f"].to_numpy(),
            "improvement_direction": ways,
            "point_type": kinds,
            "variation_icon": variation,
        }
    ).merge(assurance(chart), on="f", how="left")
    out["assurance_icon"] = out["assurance_type"].map(ASSURANCE_ICONS)
    return out
