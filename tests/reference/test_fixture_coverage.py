"""Every file of the reference set is used by some test: nothing is skipped.

Each reference module lists the output fixtures it compares (``FIXTURES``, its test
parameters) and the input and support files it reads (``INPUTS``). A new file in
``../shared/reference/pheindicatormethods/`` fails here until a test uses it. The
warnings R raised (``warnings.csv``) are checked too: each warning about the data
must be answered by a reason code in tripleaim's result for the same call.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.reference import (
    test_phe_funnels,
    test_phe_life_expectancy,
    test_phe_means_and_quantiles,
    test_phe_proportions_and_rates,
    test_phe_sii,
    test_phe_standardised_rates,
)
from tests.reference.support import FIXTURES, output_fixtures, read_fixture
from tripleaim.indicators import assign_quantiles, life_expectancy, means

MODULES = (
    test_phe_funnels,
    test_phe_life_expectancy,
    test_phe_means_and_quantiles,
    test_phe_proportions_and_rates,
    test_phe_sii,
    test_phe_standardised_rates,
)
SUPPORT = {"manifest.csv", "warnings.csv"}
"""Read by this module: the manifest names the outputs, the warnings are checked below."""
DOCUMENTS = {"README.md", "sessionInfo.txt"}


def test_every_output_fixture_has_a_test() -> None:
    covered = {name for module in MODULES for name in module.FIXTURES}
    assert output_fixtures() - covered == set()
    assert covered - output_fixtures() == set()


def test_every_file_of_the_reference_set_is_used_by_a_test() -> None:
    used = {name for module in MODULES for name in module.FIXTURES}
    used |= {name for module in MODULES for name in module.INPUTS}
    present = {path.name for path in FIXTURES.iterdir()} - DOCUMENTS
    assert present - used - SUPPORT == set(), "fixture files no test reads"
    assert used - present == set(), "tests name files that do not exist"


def test_the_manifest_lists_every_file() -> None:
    manifest = read_fixture("manifest.csv").columns["file"].text or []
    present = {path.name for path in FIXTURES.iterdir()} - DOCUMENTS
    assert present - {"manifest.csv"} <= set(manifest)


def _warnings() -> list[tuple[str, str]]:
    table = read_fixture("warnings.csv").frame()
    data = table[table["kind"] == "warning"]
    return [(str(f), str(t)) for f, t in zip(data["file"], data["text"], strict=True)]


NOT_ABOUT_DATA = ("was deprecated",)
MEAN_WARNING = "NaNs produced"
QUANTILE_WARNING = "too few small areas"


def _reasons(fixture: str) -> set[str]:
    """Reason codes of tripleaim's result for the call that made ``fixture``."""
    if fixture.startswith("phe_mean"):
        data = read_fixture("phe_mean_input.csv").frame()
        result = means(data, "x", by=["group", "case_kind"])
    elif fixture.startswith("phe_life_expectancy"):
        data = read_fixture("phe_life_expectancy_input.csv").frame()
        data = data.drop(columns="ageband")
        data = data.assign(startage=data["startage"].astype(int))
        result = life_expectancy(data, by=["area", "case_kind"])
    else:
        arguments = test_phe_means_and_quantiles.QUANTILE_CASES[fixture]
        data = read_fixture("phe_quantile_input.csv").frame().drop(columns="invert")
        result = assign_quantiles(data, "value", **arguments)
    return set(pd.Series(result["reason"]).dropna())


@pytest.mark.parametrize(("fixture", "text"), _warnings())
def test_every_warning_r_raised_has_a_reason_code(fixture: str, text: str) -> None:
    if any(phrase in text for phrase in NOT_ABOUT_DATA):
        return
    reasons = _reasons(fixture)
    if MEAN_WARNING in text:
        expected = {"single_observation"}
    elif QUANTILE_WARNING in text:
        expected = {"too_few_areas"}
    else:
        expected = next(
            codes
            for phrase, codes in test_phe_life_expectancy.WARNING_REASONS.items()
            if phrase in text
        )
    assert reasons & expected, f"R warned {text!r}; reasons were {reasons}"
