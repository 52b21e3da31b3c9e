"""Every indicator of the Fingertips extract, recomputed from its published counts.

A second, independent reference beside the PHEindicatormethods fixtures: values OHID
published on Fingertips (``../shared/data/fingertips/``, 31 indicators, North West
England and England) with the count and denominator behind each, and the published
95% limits. One test per indicator recomputes its rows with tripleaim's method and
compares the value and both limits within the published precision (half a unit in
the last published decimal place, at least abs 5e-6 or rel 1e-6; see
``tests/reference/fingertips.py``).

- Proportions (Wilson) and crude rates (exact Poisson below 10 events, Byar's from
  10): value and limits recomputed from count and denominator.
- Indirectly standardised ratio (91344): the denominator is the expected count, so
  value and limits are recomputed. Indirectly standardised proportion (41101): the
  expected count is not published; the limits are checked against the published
  value scaled by the count's Poisson limits (value published to 1 decimal place).
- Directly standardised rates (22401, 93763, 94035): the extract has no events by
  age band, so the DSR itself **cannot** be recomputed. What is checked is Dobson's
  method: the published interval splits around the value as Byar's limits of the
  total count say it must, and the variance it implies is at least a crude rate's.
- Life expectancy: no life-expectancy indicator is in the extract, so none is checked.

Indicators whose published method is not reproduced, and rows left out of a check,
are listed in ``NOT_RECOMPUTED`` and in each case's ``excluded_because``; the
resulting table is in ``docs/methods/indicators.md`` ("Validation against
Fingertips").
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.reference.fingertips import Case, compare, read_extract
from tripleaim.indicators import exact_poisson_lower, exact_poisson_upper

LOCAL_AUTHORITIES = (
    "Counties and Unitary Authorities",
    "Districts and Unitary Authorities",
)


def _local_authorities(rows: pd.DataFrame) -> pd.Series:
    return rows["area_type"].isin(LOCAL_AUTHORITIES)


def _districts_2023_with_restated_values(rows: pd.DataFrame) -> pd.Series:
    restated = {"E07000119", "E07000120", "E07000125", "E07000128"}
    return rows["area_code"].isin(restated) & (rows["year"] == 2023)


def _practices_2024_with_restated_values(rows: pd.DataFrame) -> pd.Series:
    restated = {"A82009", "A82068", "A82072", "A82629", "N81022"}
    return rows["area_code"].isin(restated) & (rows["year"] == 2024)


EXACT_ROW = ("E08000015", 2018)
"""The one 93124 row of 10 or more events published with exact limits, not Byar's."""


def _row_with_exact_limits(rows: pd.DataFrame) -> pd.Series:
    return (rows["area_code"] == EXACT_ROW[0]) & (rows["year"] == EXACT_ROW[1])


QOF_NOTE = (
    "local-authority rows are aggregated from practices (requires_geo_aggregation); "
    "their limits are narrower than Wilson's at the LA count (rel gap up to 1.5e-3)"
)
CASES = [
    Case(
        241,
        "Diabetes QOF prevalence, 17+",
        "proportion",
        excluded=_local_authorities,
        excluded_because=QOF_NOTE,
    ),
    Case(
        247,
        "Dementia QOF prevalence",
        "proportion",
        excluded=_local_authorities,
        excluded_because=QOF_NOTE,
    ),
    Case(30302, "Hepatitis B vaccination coverage, age 2", "proportion"),
    Case(91040, "NHS Health Checks offered", "proportion"),
    Case(91894, "Deaths in hospital, dementia 65+", "proportion"),
    Case(
        93085,
        "Smoking at time of delivery",
        "proportion",
        excluded=_districts_2023_with_restated_values,
        excluded_because="4 district rows of 2023 publish a value (1 dp) that is not "
        "count / denominator (gap up to 0.098); their limits do match",
    ),
    Case(93474, "Deaths in hospital", "proportion"),
    Case(94063, "Breast screening coverage, 53-70", "proportion"),
    Case(
        352,
        "Carers, 16+ (GPPS)",
        "proportion",
        limits=False,
        notes="no limits published: value only",
    ),
    Case(
        383,
        "People reporting dementia (GPPS)",
        "proportion",
        limits=False,
        excluded=_practices_2024_with_restated_values,
        excluded_because="5 practice rows of 2024 publish a value that is not the "
        "weighted count / weighted denominator",
        notes="no limits published: value only",
    ),
    Case(
        90453,
        "Former smokers (GPPS)",
        "proportion",
        limits=False,
        notes="no limits published: value only",
    ),
    Case(20401, "Under-18 conception rate", "crude_rate", multiplier=1000),
    Case(
        41203,
        "Preventable sight loss, diabetic eye disease",
        "crude_rate",
        multiplier=100000,
    ),
    Case(92266, "General fertility rate", "crude_rate", multiplier=1000),
    Case(
        92904,
        "Under-18 alcohol-specific admissions",
        "crude_rate",
        multiplier=100000,
        rounded_counts=True,
        notes="counts published rounded to 5; the limits come from the true count, "
        "recovered within 2 (value is the rounded count's)",
    ),
    Case(
        93124,
        "Acute hepatitis B incidence",
        "crude_rate",
        multiplier=100000,
        unscaled_rows=38,
        excluded=_row_with_exact_limits,
        excluded_because="Wirral 2018 (12 events) is published with exact Poisson "
        "limits where every other row of 10+ events has Byar's; checked separately",
        notes="38 rows (England deprivation deciles, two new unitary authorities) "
        "publish the count's Poisson limits without dividing by the denominator",
    ),
    Case(
        91344,
        "Urgent suspected cancer referrals",
        "isr",
        notes="denominator is the expected count; value = O / E x 100",
    ),
    Case(
        41101,
        "Emergency readmissions within 30 days",
        "isr_from_value",
        rounded_counts=True,
        notes="indirectly standardised proportion: expected count not published, "
        "limits checked as value x O_limit / O; 1 dp, counts rounded to 5",
    ),
    Case(
        22401,
        "Emergency admissions for falls, 65+",
        "dsr_limits",
        multiplier=100000,
        rounded_counts=True,
        notes="DSR not recomputable (no events by age); Dobson split checked; "
        "counts rounded to 5",
    ),
    Case(
        93763,
        "Alcohol-related mortality",
        "dsr_limits",
        multiplier=100000,
        notes="DSR not recomputable; Dobson split checked (fractional counts: "
        "attributable fractions)",
    ),
    Case(
        94035,
        "Cataract surgery, 65+",
        "dsr_limits",
        multiplier=100000,
        rounded_counts=True,
        notes="DSR not recomputable; Dobson split checked; counts rounded to 5",
    ),
]
NOT_RECOMPUTED = {
    337: "GP registered population by age: counts only, no interval",
    92708: "resident population by age: counts only, no interval",
    92026: "Reception obesity (NCMP): no counts or denominators in the extract",
    92033: "Year 6 obesity (NCMP): no counts or denominators in the extract",
    93088: "adult overweight (survey): no counts in the extract",
    93553: "IMD 2019 score: not a count-based statistic",
    93861: "PM2.5-attributable mortality: modelled, no counts",
    93015: "physical inactivity (Active Lives): survey-weighted, count / denominator "
    "is not the value (gap up to 34 points)",
    93701: "children in low-income families: limits 2-3x wider than Wilson's "
    "(method not published in the extract)",
    94103: "perinatal mental health: modelled prevalence, limits not Wilson's",
}
CASE_BY_ID = {case.indicator: case for case in CASES}


@pytest.fixture(scope="module")
def extract() -> pd.DataFrame:
    return read_extract()


@pytest.mark.parametrize(
    "indicator", list(CASE_BY_ID), ids=[f"{c.indicator}-{c.method}" for c in CASES]
)
def test_recomputed_from_counts_matches_what_fingertips_published(
    extract: pd.DataFrame, indicator: int
) -> None:
    case = CASE_BY_ID[indicator]
    result = compare(extract, case)
    assert result.rows >= 20
    assert result.agree.all(), str(result.offending)
    assert result.unscaled == case.unscaled_rows
    if not case.rounded_counts:
        assert result.recovered == 0


def test_every_indicator_of_the_extract_is_checked_or_says_why_not(
    extract: pd.DataFrame,
) -> None:
    published = set(extract["indicator_id"])
    assert len(published) == 31
    assert set(CASE_BY_ID) | set(NOT_RECOMPUTED) == published
    assert not set(CASE_BY_ID) & set(NOT_RECOMPUTED)


def test_the_methods_page_reports_every_indicator() -> None:
    page = Path(__file__).resolve().parents[2] / "docs" / "methods" / "indicators.md"
    section = page.read_text(encoding="utf-8").split("## Validation against Fingertips")
    assert len(section) == 2, "docs/methods/indicators.md lacks the validation section"
    for indicator in [*CASE_BY_ID, *NOT_RECOMPUTED]:
        assert f"| {indicator} |" in section[1]


def test_limits_of_counts_rounded_to_five_come_from_a_nearby_true_count(
    extract: pd.DataFrame,
) -> None:
    result = compare(extract, CASE_BY_ID[92904])
    assert result.recovered > 0


def test_the_one_hepatitis_b_row_left_out_has_exact_poisson_limits(
    extract: pd.DataFrame,
) -> None:
    rows = extract[extract["indicator_id"] == 93124]
    row = rows[_row_with_exact_limits(rows)].iloc[0]
    x, n = float(row["count"]), float(row["denominator"])
    assert x >= 10
    lower = float(exact_poisson_lower(x, 0.95)) / n * 100000
    upper = float(exact_poisson_upper(x, 0.95)) / n * 100000
    assert abs(lower - row["lower_ci_95"]) <= row["tol_lower_ci_95"]
    assert abs(upper - row["upper_ci_95"]) <= row["tol_upper_ci_95"]
