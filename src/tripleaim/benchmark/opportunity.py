"""Opportunity: the gap between an area and its peers, in activity, bed days and pounds.

For each measure, area and period (docs/methods/benchmarking.md):

- benchmarks from the area's peers: their mean, the mean of the best 5 (RightCare's
  "Best 5"), the top quartile (75th percentile, or 25th when lower is better), and the
  definition's target (BADS);
- gap = how far the area is on the unfavourable side, as activity
  (``(value - benchmark) / scale``, signed so a positive gap is opportunity);
- the Best-5 mean carries its own 95% interval from its peers' intervals
  (SE = sqrt(sum SE_i^2) / 5), and the gap's interval combines both SEs;
- **counted opportunity** = the Best-5 gap when its whole 95% interval is above zero
  (significant, favourable direction), the area has enough events and has peers;
  else 0. ``significant_naive`` is RightCare's test (the area's interval alone
  excludes the Best-5 mean) so the pack can say how much of that headline survives
  (Dropkin 2018, J Public Health 40(3):e367, doi:10.1093/pubmed/fdx136).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from tripleaim.benchmark.spec import MeasureSpec

__all__ = ["BEST", "Z95", "opportunities"]

Z95 = 1.959963984540054
BEST = 5


def _peer_benchmarks(
    values: pd.DataFrame, peers: pd.DataFrame, lower_better: bool
) -> pd.DataFrame:
    pairs = peers[["area_code", "peer_code"]].merge(
        values[["area_code", "period", "value", "se"]].rename(
            columns={"area_code": "peer_code"}
        ),
        on="peer_code",
    )
    pairs = pairs[pairs["value"].notna()]
    keys = ["area_code", "period"]
    if pairs.empty:
        return pd.DataFrame(
            columns=[
                *keys,
                "peers",
                "peer_mean",
                "best5_mean",
                "best5_se",
                "top_quartile",
            ]
        )
    grouped = pairs.groupby(keys)
    summary = grouped["value"].agg(peers="count", peer_mean="mean").reset_index()
    quartile = (
        grouped["value"].quantile(0.25 if lower_better else 0.75).rename("top_quartile")
    )
    ordered = pairs.sort_values(
        [*keys, "value", "peer_code"], ascending=[True, True, lower_better, True]
    )
    best = ordered.groupby(keys).head(BEST)
    best = (
        best.assign(var=best["se"] ** 2)
        .groupby(keys)
        .agg(best5_mean=("value", "mean"), n=("value", "count"), var=("var", "sum"))
    )
    best["best5_se"] = np.sqrt(best["var"]) / best["n"]
    return summary.merge(quartile.reset_index(), on=keys).merge(
        best[["best5_mean", "best5_se"]].reset_index(), on=keys
    )


def _flags(
    out: pd.DataFrame, spec: MeasureSpec, gbp_missing: bool, group: str
) -> tuple[list[str], list[str | None]]:
    """The first flag of each row and every flag in words (``OPPORTUNITY_FLAGS``)."""
    counted = out["denominator"] if spec.method == "proportion" else out["events"]
    key = spec.cost.key if spec.cost else None
    flags: list[str] = []
    details: list[str | None] = []
    for code, value, denominator, peers, events in zip(
        out["area_code"].astype(str),
        out["value"].to_numpy(dtype=float),
        out["denominator"].to_numpy(dtype=float),
        out["peers"].to_numpy(dtype=int),
        counted.to_numpy(dtype=float),
        strict=True,
    ):
        found: list[tuple[str, str]] = []
        if not np.isfinite(value):
            found.append(("no_value", f"no value: denominator is {denominator:g}"))
        if peers == 0:
            found.append(
                ("no_peers", f"no peers: {code} has no peer with a value in {group}")
            )
        if events < spec.min_events:
            found.append(
                (
                    "too_few_events",
                    f"too few events: {events:g}, fewer than {spec.min_events}; "
                    "shown, not counted",
                )
            )
        if gbp_missing:
            found.append(
                (
                    "missing_cost",
                    f"missing cost: the tariff has no price for {key!r}; pounds not given",
                )
            )
        flags.append(found[0][0] if found else "ok")
        details.append("; ".join(text for _, text in found) or None)
    return flags, details


def opportunities(
    values: pd.DataFrame,
    peers: pd.DataFrame,
    spec: MeasureSpec,
    tariff: Mapping[str, float],
    *,
    level: str,
    peer_group: str,
) -> pd.DataFrame:
    """Benchmarks, gaps and counted opportunity for every area and period of ``values``.

    Args:
        values: ``values.measure_values`` output for one measure and level.
        peers: ``area_code``, ``peer_code`` rows of the level's peer group.
        spec: The measure.
        tariff: Price of each tariff key in pounds.
        level: Area level (for the output).
        peer_group: Peer group id (for the output and messages).

    Returns:
        The columns of ``benchmark_opportunities``; every area is kept, flagged when a
        part is missing.
    """
    lower_better = spec.polarity == "lower_is_better"
    sign = 1.0 if lower_better else -1.0
    values = values.copy()
    below = (values["value"] - values["lower_95"]) / Z95
    above = (values["upper_95"] - values["value"]) / Z95
    # Each side's SE faces the other: an area worse than its peers is tested on the
    # side of its interval towards them, the peers on the side towards the area, so
    # the combined test is never looser than the area-only one.
    values["se"] = above if lower_better else below
    bench = _peer_benchmarks(values, peers, lower_better)
    values["se"] = below if lower_better else above
    out = values.merge(bench, on=["area_code", "period"], how="left")
    out["se"] = values["se"].to_numpy()
    out["peers"] = out["peers"].fillna(0).astype(int)
    out["target"] = np.nan if spec.target is None else spec.target
    scale = out["scale"].where(out["scale"] > 0)
    for name, column in (
        ("peer_mean", "peer_mean"),
        ("best5", "best5_mean"),
        ("top_quartile", "top_quartile"),
        ("target", "target"),
    ):
        out[f"gap_{name}"] = sign * (out["value"] - out[column]) / scale
    half = Z95 * np.sqrt(out["se"] ** 2 + out["best5_se"] ** 2) / scale
    out["gap_best5_lower"] = out["gap_best5"] - half
    out["gap_best5_upper"] = out["gap_best5"] + half
    if lower_better:
        naive = out["lower_95"] > out["best5_mean"]
    else:
        naive = out["upper_95"] < out["best5_mean"]
    out["significant_naive"] = naive.fillna(False).astype(bool)
    out["significant"] = (out["gap_best5_lower"] > 0).fillna(False).astype(bool)
    per_bed = {
        "none": pd.Series(np.nan, index=out.index),
        "numerator": pd.Series(1.0, index=out.index),
        "mean_stay": out["bed_days"] / out["numerator"].where(out["numerator"] > 0),
        "ordinary_stay": out["bed_days"]
        / (out["denominator"] - out["numerator"]).where(lambda d: d > 0),
    }[spec.bed_days]
    gbp_missing = (
        spec.cost is not None
        and spec.cost.source == "tariff"
        and spec.cost.key not in tariff
    )
    if spec.cost is None or gbp_missing:
        per_gbp = pd.Series(np.nan, index=out.index)
    elif spec.cost.source == "numerator":
        per_gbp = pd.Series(1.0, index=out.index)
    elif spec.cost.source == "observed":
        per_gbp = out["cost_gbp"] / out["numerator"].where(out["numerator"] > 0)
    else:
        per_gbp = pd.Series(tariff[str(spec.cost.key)], index=out.index)
    out["flag"], out["flag_detail"] = _flags(out, spec, gbp_missing, peer_group)
    countable = out["significant"] & out["flag"].isin(["ok", "missing_cost"])
    out["opportunity_events"] = out["gap_best5"].where(countable, 0.0).fillna(0.0)
    out["opportunity_bed_days"] = (out["opportunity_events"] * per_bed).fillna(0.0)
    out["opportunity_gbp"] = (out["opportunity_events"] * per_gbp).fillna(0.0)
    out["bed_days_best5"] = out["gap_best5"] * per_bed
    out["bed_days_target"] = out["gap_target"] * per_bed
    for name in ("peer_mean", "best5", "top_quartile"):
        out[f"gbp_{name}"] = out[f"gap_{name}"] * per_gbp
    out["best5_lower_95"] = out["best5_mean"] - Z95 * out["best5_se"]
    out["best5_upper_95"] = out["best5_mean"] + Z95 * out["best5_se"]
    out["measure_id"] = spec.id
    out["area_level"] = level
    out["peer_group"] = peer_group
    return out
