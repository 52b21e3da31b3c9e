"""Assigning small areas to quantiles (deciles, quintiles ...) within each parent area.

Matches ``PHEindicatormethods::phe_quantile`` (2.1.0): ranks with ties at the lowest
rank, ``quantile = floor((q + 1) - ceiling(((N + 1) - rank) / (N / q)))`` (0 becomes
1), and no quantiles where a parent has fewer areas with values than quantiles. This
is how deprivation deciles for the SII are formed. See ``docs/methods/inequality.md``.

Reference: OHID. Fingertips technical guidance: assigning deprivation categories.
https://fingertips.phe.org.uk/profile/guidance
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from tripleaim.indicators.methods.frames import (
    assemble,
    choose_text,
    constant_text,
    float_column,
    reason_column,
)
from tripleaim.indicators.methods.grouping import group_rows
from tripleaim.indicators.methods.inputs import (
    MethodInputError,
    numeric_column,
    require_columns,
)
from tripleaim.indicators.methods.suppression import ReasonCode

HIGHEST_FIRST = "lowest quantile represents highest values"
LOWEST_FIRST = "lowest quantile represents lowest values"


def assign_quantiles(
    data: pd.DataFrame,
    values: str = "value",
    *,
    by: Sequence[str] | None = None,
    nquantiles: int = 10,
    invert: bool | str = True,
) -> pd.DataFrame:
    """Quantile of each small area's value within its parent group.

    Args:
        data: One row per small area.
        values: Column ranked (missing values get no quantile).
        by: Parent-area key columns; ``None`` ranks all rows together.
        nquantiles: Number of quantiles (10 for deciles).
        invert: ``True`` puts the highest values in quantile 1; or the name of a
            logical column giving that choice per parent (constant within a parent).

    Returns:
        The input rows in input order, plus ``quantile``, ``nquantiles``,
        ``groupvars``, ``qinverted`` and ``reason`` (``value_missing``, or
        ``too_few_areas`` where a parent has fewer valued areas than quantiles).

    Raises:
        MethodInputError: ``values`` is not numeric, or ``invert`` varies within a parent.

    Source: PHEindicatormethods 2.1.0 ``phe_quantile``.
    """
    keys = list(by or [])
    require_columns(data, [values, *keys, invert if isinstance(invert, str) else None])
    vals = numeric_column(data, values)
    groups = group_rows(data, keys)
    if isinstance(invert, str):
        flags = data[invert].astype(bool).to_numpy()
        mixed = groups.any(flags) & groups.any(~flags)
        if mixed.any():
            raise MethodInputError(
                f"{invert!r} must be the same within each group ({groups.labels(np.flatnonzero(mixed))})",
                field=invert,
            )
    else:
        flags = np.full(len(data), bool(invert))
    present = ~np.isnan(vals)
    count = np.bincount(groups.codes, weights=present, minlength=groups.count)[
        groups.codes
    ]
    keyed = pd.DataFrame({"g": groups.codes, "v": np.where(flags, -vals, vals)})
    rank = keyed.groupby("g")["v"].rank(method="min", na_option="keep").to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        quantile = np.floor(
            (nquantiles + 1) - np.ceil(((count + 1) - rank) / (count / nquantiles))
        )
    quantile = np.where(quantile == 0, 1.0, quantile)
    too_few = count < nquantiles
    missing = too_few | ~present
    size = len(data)
    reasons = np.full(size, None, dtype=object)
    reasons[~present] = ReasonCode.VALUE_MISSING.value
    reasons[too_few] = ReasonCode.TOO_FEW_AREAS.value
    columns = {
        "quantile": float_column(quantile, missing),
        "nquantiles": float_column(np.full(size, float(nquantiles))),
        "groupvars": constant_text(", ".join(keys), size),
        "qinverted": choose_text([flags], [HIGHEST_FIRST], LOWEST_FIRST),
        "reason": reason_column(reasons),
    }
    return assemble(data, columns)
