"""Wilson and Byar's/exact limits against values OHID published on Fingertips.

A second, independent reference: real published indicator values with the count and
denominator they came from (``../shared/data/fingertips/``). Fingertips publishes
about six significant figures (limits to 5 decimal places), so the tolerance here is
abs <= 5e-6 or rel <= 1e-6. The limits are compared (the published ``value`` of some
indicators is rounded to one or two decimals). Only indicators whose published method is the plain
Wilson proportion or crude rate are included; others (QOF prevalences, pooled or
adjusted indicators) use conventions this check does not reproduce.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.reference.support import numbers_match
from tripleaim.indicators import crude_rates, proportions

EXTRACT = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "fingertips"
    / "fingertips_extract_north_west_and_england_31_indicators.csv"
)
CASES = {
    30302: ("proportion", 100),  # hepatitis B vaccination coverage
    91040: ("proportion", 100),  # NHS Health Checks offered
    93474: ("proportion", 100),  # deaths in hospital
    94063: ("proportion", 100),  # breast screening coverage
    20401: ("rate", 1000),  # under-18 conception rate
    41203: ("rate", 100000),  # preventable sight loss, diabetic eye disease
    92266: ("rate", 1000),  # general fertility rate
}


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    extract = pd.read_csv(EXTRACT)
    needed = ["count", "denominator", "value", "lower_ci_95", "upper_ci_95"]
    return extract.dropna(subset=needed)


@pytest.mark.parametrize("indicator", list(CASES))
def test_limits_match_published_fingertips_values(
    published: pd.DataFrame, indicator: int
) -> None:
    kind, multiplier = CASES[indicator]
    rows = published[published["indicator_id"] == indicator]
    assert len(rows) > 20
    data = rows.rename(columns={"count": "x", "denominator": "n"})
    method = proportions if kind == "proportion" else crude_rates
    result = method(data, "x", "n", multiplier=multiplier)
    for ours, theirs in (("lowercl", "lower_ci_95"), ("uppercl", "upper_ci_95")):
        got = result[ours].to_numpy(dtype=np.float64, na_value=np.nan)
        ok = numbers_match(got, rows[theirs].to_numpy(), abs_tol=5e-6, rel_tol=1e-6)
        assert ok.all(), rows.loc[~ok, ["area_code", "year", theirs]].head()
