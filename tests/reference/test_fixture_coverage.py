"""Every output fixture of the reference set is compared by some test: nothing is skipped."""

from __future__ import annotations

from tests.reference import (
    test_phe_funnels,
    test_phe_life_expectancy,
    test_phe_means_and_quantiles,
    test_phe_proportions_and_rates,
    test_phe_sii,
    test_phe_standardised_rates,
)
from tests.reference.support import output_fixtures

MODULES = (
    test_phe_funnels,
    test_phe_life_expectancy,
    test_phe_means_and_quantiles,
    test_phe_proportions_and_rates,
    test_phe_sii,
    test_phe_standardised_rates,
)


def test_every_output_fixture_has_a_test() -> None:
    covered = {name for module in MODULES for name in module.FIXTURES}
    assert output_fixtures() - covered == set()
    assert covered - output_fixtures() == set()
