"""Investment against return: what each scheme costs and what it is expected to give back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from tripleaim.delivery.finance.records import Investment, frame


def investment_returns(
    investments: Iterable[Investment],
    by: Sequence[str] = ("financial_year", "organisation"),
) -> pd.DataFrame:
    """Invested, expected annual return, net, return ratio and payback years by ``by``.

    ``return_ratio`` is expected return / investment (NaN with nothing invested);
    ``payback_years`` is investment / annual return (NaN with no return).
    """
    data = frame(investments, Investment)
    sums = data.groupby(list(by), sort=True)[["planned", "expected_return"]].sum()
    out = sums.reset_index().rename(columns={"planned": "invested"})
    out["net"] = out["expected_return"] - out["invested"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["return_ratio"] = np.where(
            out["invested"] > 0, out["expected_return"] / out["invested"], np.nan
        )
        out["payback_years"] = np.where(
            out["expected_return"] > 0, out["invested"] / out["expected_return"], np.nan
        )
    return out
