"""Life expectancy (Chiang II, Silcocks limits) against PHEindicatormethods 2.1.0.

The grouped fixtures are compared row for row, in the reference's order (computed
areas first, suppressed areas after). The per-area fixture records which warning
(or error) R raised for each area run on its own; each must match tripleaim's
reason code (or ``MethodInputError``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.reference.support import assert_matches, numbers_match, read_fixture
from tripleaim.indicators import Confidence, MethodInputError, life_expectancy

CASES: dict[str, Confidence] = {
    "phe_life_expectancy__conf095.csv": 0.95,
    "phe_life_expectancy__conf95+998.csv": (0.95, 0.998),
}
INPUTS = ["phe_life_expectancy_input.csv"]
FIXTURES = [*CASES, "phe_life_expectancy__area_flags.csv"]
AREA = ["area", "case_kind"]
WARNING_REASONS = {
    "negative deaths": {"negative_deaths"},
    "zero or less population": {"population_not_positive"},
    "different number of age bands": {"wrong_age_bands"},
    "more deaths than population": {"deaths_exceed_population"},
    "total population of less than 5,000": {"total_population_5000_or_less"},
    # R also raises this when the 90+ band has no deaths: its interval is then
    # infinite; tripleaim names the cause instead.
    "confidence interval > 20 years": {
        "ci_wider_than_20_years",
        "no_deaths_in_final_band",
    },
}


def _inputs() -> pd.DataFrame:
    data = read_fixture("phe_life_expectancy_input.csv").frame().drop(columns="ageband")
    return data.assign(startage=data["startage"].astype(int))


@pytest.mark.parametrize("fixture", list(CASES))
def test_life_expectancy_matches_reference(fixture: str) -> None:
    expected = read_fixture(fixture)
    result = life_expectancy(_inputs(), by=AREA, confidence=CASES[fixture])
    assert list(result.columns) == [*expected.names, "reason"]
    assert_matches(result, expected, keys=["area", "startage"])


def _flag_rows() -> list[dict[str, object]]:
    frame = read_fixture("phe_life_expectancy__area_flags.csv")
    rows: list[dict[str, object]] = [
        {str(k): v for k, v in record.items()}
        for record in frame.frame().to_dict("records")
    ]
    na = {name: column.na for name, column in frame.columns.items()}
    for index, row in enumerate(rows):
        row["_na"] = {name: bool(mask[index]) for name, mask in na.items()}
    return rows


FLAG_ROWS = _flag_rows()


@pytest.mark.parametrize("flags", FLAG_ROWS, ids=[str(r["area"]) for r in FLAG_ROWS])
def test_area_alone_raises_what_the_reference_raised(flags: dict[str, object]) -> None:
    data = _inputs()
    area = data[data["area"] == flags["area"]]
    if flags["error"]:
        with pytest.raises(MethodInputError, match="do not match age_contents"):
            life_expectancy(area, by=AREA)
        return
    result = life_expectancy(area, by=AREA)
    reasons = set(result["reason"].dropna())
    warnings = [w for w in str(flags["warnings"] or "").split(" | ") if w]
    for warning in warnings:
        allowed = next(v for k, v in WARNING_REASONS.items() if k in warning)
        assert reasons & allowed, f"R warned {warning!r}; reasons were {reasons}"
    if not warnings:
        assert reasons <= {"life_table_undefined"}
    at_birth = result[result["startage"] == 0].iloc[0]
    na = flags["_na"]
    assert isinstance(na, dict)
    for ours, theirs in (
        ("value", "le_at_birth"),
        ("lowercl", "le_at_birth_lowercl"),
        ("uppercl", "le_at_birth_uppercl"),
    ):
        got = at_birth[ours]
        assert (got is pd.NA) == na[theirs], f"{ours}: {got} vs NA={na[theirs]}"
        if not na[theirs]:
            match = numbers_match(
                np.array([float(got)]),
                np.array([float(str(flags[theirs]))]),
                abs_tol=1e-9,
                rel_tol=1e-12,
            )
            assert match.all(), f"{ours}: {got} vs {flags[theirs]}"


def test_values_with_wide_intervals_are_suppressed_but_limits_kept() -> None:
    result = life_expectancy(_inputs(), by=AREA)
    wide = result["reason"] == "ci_wider_than_20_years"
    assert wide.any()
    assert result.loc[wide, "value"].isna().all()
    assert result.loc[wide, "lowercl"].notna().all()


def test_le_age_returns_only_the_asked_ages() -> None:
    result = life_expectancy(_inputs(), by=AREA, le_age=[0, 65])
    assert set(result["startage"]) == {0, 65}
