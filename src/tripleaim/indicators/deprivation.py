"""The inequality gap across deprivation: the slope index of inequality (SII).

The SII is the gap in an indicator between the most and least deprived ends of an
area's population, from a population-weighted regression of the value in each
deprivation group on the group's mid-point of cumulative population share
(:func:`~tripleaim.indicators.slope_index_of_inequality`, which reproduces
PHEindicatormethods ``phe_sii``; Low & Low 2004, doi:10.1093/pubmed/fdh175). Groups
are the national IMD 2019 deciles of the residents' LSOAs, decile 1 the most
deprived, so a positive SII means values rise towards the least deprived end (for
life expectancy, the gap in years).

Every decile needs a value with 95% limits. Where some decile has none (too few
people or events), the deciles are paired into quintiles, the coarsest grouping
``phe_sii`` accepts; the SII, being on the scale of relative rank, estimates the same
gap from either (``sii_quantiles`` says which). The SII is given for places and the
system, as Fingertips gives it for local authorities; practices and PCNs are too
small to have a value in every decile. Limits come from 1,000 simulations (the least
``phe_sii`` allows), seeded per indicator so a rerun gives the same limits.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import numpy as np
import pandas as pd

from tripleaim.indicators.methods import ReasonCode, slope_index_of_inequality

SII_LEVELS = ("place", "icb")
REPETITIONS = 1000
SII_COLUMNS = ("sii", "sii_lower_95", "sii_upper_95", "sii_quantiles", "sii_reason")


def seed_for(indicator_id: str) -> int:
    """A stable seed per indicator (CRC-32 of its id), not Python's salted ``hash``."""
    return zlib.crc32(indicator_id.encode("utf-8")) & 0x7FFFFFFF


def _complete(
    values: pd.DataFrame, keys: list[str], quantile: str, count: int
) -> pd.Series:
    """Rows of areas with a value, 95% limits and people in all ``count`` quantiles."""
    valid = (
        values["value"].notna()
        & values["lower_95"].notna()
        & values["upper_95"].notna()
        & (values["denominator"] > 0)
        & values[quantile].between(1, count)
    ).to_numpy()
    group = values.groupby(keys, sort=False).ngroup().to_numpy()
    per_group = np.bincount(
        group, weights=valid, minlength=group.max() + 1 if len(group) else 0
    )
    return pd.Series(per_group[group] == count, index=values.index)


def _fit(
    values: pd.DataFrame, keys: list[str], quantile: str, seed: int
) -> pd.DataFrame:
    """SII per area from complete quantile values (one row per area and quantile)."""
    if values.empty:
        return pd.DataFrame(columns=[*keys, "sii", "sii_lower_95", "sii_upper_95"])
    # phe_sii also fits the relative index (RII), which divides by the fitted value
    # at the most deprived end; where that is 0 (no events anywhere) numpy warns.
    # tripleaim reports the SII only, so the RII's 0/0 is of no concern here.
    with np.errstate(divide="ignore", invalid="ignore"):
        fitted = slope_index_of_inequality(
            values.reset_index(drop=True),
            quantile,
            "denominator",
            seed=seed,
            by=keys,
            value="value",
            lower_cl="lower_95",
            upper_cl="upper_95",
            repetitions=REPETITIONS,
            confidence=0.95,
        )
    names = {"sii_lower95_0cl": "sii_lower_95", "sii_upper95_0cl": "sii_upper_95"}
    return fitted.rename(columns=names)[[*keys, "sii", "sii_lower_95", "sii_upper_95"]]


def inequality_gaps(
    indicator_id: str,
    areas: pd.DataFrame,
    keys: list[str],
    deciles: pd.DataFrame,
    quintiles_for: Callable[[pd.DataFrame], pd.DataFrame],
) -> pd.DataFrame:
    """The SII of each area in ``areas``, from its decile values or else its quintiles.

    Args:
        indicator_id: Seeds the simulation.
        areas: ``keys`` of every area that should get a row.
        keys: Area and period columns.
        deciles: ``keys``, ``imd_decile`` (1-10), ``value``, ``lower_95``,
            ``upper_95``, ``denominator``.
        quintiles_for: Given the ``keys`` of areas without complete deciles, their
            values by ``imd_quintile`` (1-5), with the same columns; called only
            when some area needs it.

    Returns:
        ``keys`` and ``SII_COLUMNS``; an area with no complete grouping has missing
        SII and the reason ``incomplete_quantiles``.
    """
    seed = seed_for(indicator_id)
    wanted = areas[keys].drop_duplicates(ignore_index=True)
    complete = _complete(deciles, keys, "imd_decile", 10)
    fitted = [
        _fit(deciles[complete], keys, "imd_decile", seed).assign(sii_quantiles=10)
    ]
    done = pd.MultiIndex.from_frame(deciles.loc[complete, keys])
    wanting = wanted[~pd.MultiIndex.from_frame(wanted).isin(done)]
    if not wanting.empty:
        quintiles = quintiles_for(wanting)
        whole = _complete(quintiles, keys, "imd_quintile", 5)
        fitted.append(
            _fit(quintiles[whole], keys, "imd_quintile", seed).assign(sii_quantiles=5)
        )
    found = pd.concat(
        [f for f in fitted if not f.empty] or fitted[:1], ignore_index=True
    )
    out = wanted.merge(found, on=keys, how="left")
    for column in ("sii", "sii_lower_95", "sii_upper_95"):
        out[column] = out[column].astype("float64")
    out["sii_quantiles"] = out["sii_quantiles"].astype("Int64")
    reasons = np.full(len(out), None, dtype=object)
    reasons[out["sii"].isna().to_numpy()] = ReasonCode.INCOMPLETE_QUANTILES.value
    out["sii_reason"] = reasons
    return out
