"""The RightCare "similar 10": nearest areas by a weighted distance over capped, rooted z-scores.

Method as in the NHS RightCare analysts' R script "R script to apply Similar 10 CCGs
method" (April 2021) and the Model Hospital ICB peers (closest 5), summarised in
``shared/research/rightcare-modelhospital.md`` section 1.2:

1. per variable, cap each value at mean + 5 SD (mean and SD over all areas);
2. take the square root;
3. z-score the rooted values (their mean and SD);
4. distance(a, b) = sum over variables of weight x (z_a - z_b) squared (no final root);
5. for each area sort the others by distance and keep the first ``k``.

The SD uses divisor n (the population SD), as RightCare's R code does
(``sd * sqrt((n - 1) / n)``). Ties are broken by peer code so runs are reproducible.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from tripleaim.errors import DefinitionError

__all__ = ["distance_matrix", "nearest_peers", "standardised_scores"]


def standardised_scores(
    values: pd.DataFrame, *, cap_sd: float = 5.0, ddof: int = 0
) -> pd.DataFrame:
    """Capped (mean + ``cap_sd`` SD), square-rooted and z-scored ``values``.

    Args:
        values: One row per area (the index), one numeric column per variable, no
            negative or missing values.
        cap_sd: Values above mean + ``cap_sd`` SD are capped there.
        ddof: SD divisor n - ``ddof``; 0 is RightCare's population SD.

    Returns:
        The z-scores, same shape; a variable with no spread scores 0 everywhere.

    Raises:
        DefinitionError: Naming the variable and area of a missing or negative value.
    """
    for column in values.columns:
        bad = values.index[values[column].isna() | (values[column] < 0)]
        if len(bad):
            raise DefinitionError(
                f"Peer variable {column!r} is missing or negative for area "
                f"{bad[0]!r}; every area needs a value of 0 or more."
            )
    raw = values.astype(float)
    ceiling = raw.mean() + cap_sd * raw.std(ddof=ddof)
    rooted = np.sqrt(raw.clip(upper=ceiling, axis=1))
    spread = rooted.std(ddof=ddof).replace(0.0, np.nan)
    scores: pd.DataFrame = ((rooted - rooted.mean()) / spread).fillna(0.0)
    return scores


def distance_matrix(scores: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Weighted squared Euclidean distance between every pair of areas.

    Args:
        scores: Standardised scores (``standardised_scores``).
        weights: Weight of each variable (the columns of ``scores``).

    Returns:
        A square frame indexed both ways by area.
    """
    columns = list(weights)
    z = scores[columns].to_numpy(dtype=float)
    w = np.array([weights[c] for c in columns], dtype=float)
    diff = z[:, None, :] - z[None, :, :]
    matrix = (diff**2 * w).sum(axis=2)
    return pd.DataFrame(
        matrix, index=scores.index.to_numpy(), columns=scores.index.to_numpy()
    )


def nearest_peers(
    values: pd.DataFrame,
    weights: Mapping[str, float],
    k: int,
    *,
    cap_sd: float = 5.0,
    ddof: int = 0,
) -> pd.DataFrame:
    """The ``k`` nearest peers of every area (itself excluded).

    Args:
        values: One row per area (index = area code), one column per variable.
        weights: Weight of each variable; the columns used.
        k: Peers to keep (10 for RightCare, 5 for Model Hospital).
        cap_sd: The cap, in SDs above the mean.
        ddof: SD divisor n - ``ddof``.

    Returns:
        ``area_code``, ``peer_code``, ``rank`` (1 = nearest) and ``distance``; fewer
        than ``k`` rows for an area when there are fewer other areas.
    """
    missing = [name for name in weights if name not in values.columns]
    if missing:
        raise DefinitionError(
            f"Peer variables {', '.join(missing)} are not in the input; it has "
            f"{', '.join(values.columns)}."
        )
    scores = standardised_scores(values[list(weights)], cap_sd=cap_sd, ddof=ddof)
    matrix = distance_matrix(scores, weights)
    codes = matrix.index.to_numpy()
    long = pd.DataFrame(
        {
            "area_code": np.repeat(codes, len(codes)),
            "peer_code": np.tile(codes, len(codes)),
            "distance": matrix.to_numpy().ravel(),
        }
    )
    long = long[long["area_code"] != long["peer_code"]]
    long = long.sort_values(["area_code", "distance", "peer_code"], kind="stable")
    long["rank"] = long.groupby("area_code").cumcount() + 1
    kept = long[long["rank"] <= k]
    return kept[["area_code", "peer_code", "rank", "distance"]].reset_index(drop=True)
