"""Why a value is missing (reason codes) and small-number suppression for publication.

Every method returns a ``reason`` column: ``None`` where the row is complete, else a
:class:`ReasonCode` saying why a value or limit is missing or not a number. A
missing value never appears without one.

:func:`suppress_small_counts` applies disclosure control before results leave the
platform. The default rule hides counts from 1 to 7 and every value computed from
them: NHS England's disclosure control for Hospital Episode Statistics (replacing
1 to 7 with ``*`` since September 2018) and OpenSAFELY's output checking use the
same threshold, and our indicators are built from the same patient-level sources.
Zero is shown (it discloses nothing about an individual) unless configured. Optional
rounding of the remaining counts to the nearest 5 completes the HES rule.

References:
    NHS Digital. Disclosure control methodology for HES and ECDS (September 2018).
    https://digital.nhs.uk/data-and-information/data-tools-and-services/data-services/hospital-episode-statistics/change-to-disclosure-control-methodology-for-hes-and-ecds-from-september-2018
    OpenSAFELY. Applying statistical disclosure control (counts <= 7 redacted).
    https://docs.opensafely.org/sdc/
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from tripleaim.indicators.methods.frames import float_column, reason_column
from tripleaim.indicators.methods.inputs import MethodInputError, numeric_column


class ReasonCode(StrEnum):
    """Why a result is missing (NA) or not a number (NaN); one per row, first cause wins."""

    NUMERATOR_MISSING = "numerator_missing"
    DENOMINATOR_MISSING = "denominator_missing"
    OBSERVATION_MISSING = "observation_missing"
    VALUE_MISSING = "value_missing"
    OBSERVED_MISSING = "observed_missing"
    TOTAL_COUNT_BELOW_10 = "total_count_below_10"
    EXPECTED_ZERO = "expected_zero"
    SINGLE_OBSERVATION = "single_observation"
    LIMIT_UNDEFINED = "limit_undefined"
    NEGATIVE_DEATHS = "negative_deaths"
    POPULATION_NOT_POSITIVE = "population_not_positive"
    WRONG_AGE_BANDS = "wrong_age_bands"
    DEATHS_EXCEED_POPULATION = "deaths_exceed_population"
    TOTAL_POPULATION_5000_OR_LESS = "total_population_5000_or_less"
    NO_DEATHS_IN_FINAL_BAND = "no_deaths_in_final_band"
    LIFE_TABLE_UNDEFINED = "life_table_undefined"
    CI_WIDER_THAN_20_YEARS = "ci_wider_than_20_years"
    TOO_FEW_AREAS = "too_few_areas"
    INCOMPLETE_QUANTILES = "incomplete_quantiles"
    EVENTS_BELOW_10 = "events_below_10"
    SMALL_COUNT = "small_count"


@dataclass(frozen=True)
class SuppressionRule:
    """A small-number rule.

    Attributes:
        threshold: Counts from 1 to ``threshold`` (inclusive) are suppressed.
        suppress_zero: Also suppress counts of 0.
        round_to: Round the counts that remain to the nearest multiple (for example
            5, as HES does); ``None`` leaves them exact.
    """

    threshold: int = 7
    suppress_zero: bool = False
    round_to: int | None = None


DEFAULT_RULE = SuppressionRule()
"""Counts 1 to 7 hidden with their derived values; zeros shown; no rounding."""


def _as_float_array(frame: pd.DataFrame, name: str) -> pd.api.extensions.ExtensionArray:
    column = frame[name]
    values = numeric_column(frame, name)
    missing = column.isna().to_numpy()
    return float_column(values, missing)


def suppress_small_counts(
    frame: pd.DataFrame,
    counts: Sequence[str],
    values: Sequence[str] = (),
    rule: SuppressionRule = DEFAULT_RULE,
) -> pd.DataFrame:
    """Hide small counts and what is computed from them, recording ``small_count``.

    Args:
        frame: A method's result (any frame with the named columns).
        counts: Columns holding counts of people or events (numerators; also the
            denominator of a proportion when it counts people).
        values: Columns computed from those counts (value and limits) to hide with them.
        rule: The rule to apply; :data:`DEFAULT_RULE` unless configured.

    Returns:
        A copy: suppressed cells are missing (NA) and ``reason`` says ``small_count``
        (an existing reason is kept, as the first cause).

    Raises:
        MethodInputError: A named column is missing, or a count is negative.
    """
    for name in [*counts, *values]:
        if name not in frame.columns:
            raise MethodInputError(f"column {name!r} is not in the frame", field=name)
    result = frame.copy()
    hide = np.zeros(len(frame), dtype=bool)
    for name in counts:
        raw = numeric_column(frame, name)
        if bool(np.any(raw < 0)):
            raise MethodInputError(f"field {name!r} has negative counts", field=name)
        small = (raw >= 1) & (raw <= rule.threshold)
        if rule.suppress_zero:
            small |= raw == 0
        hide |= small
    for name in [*counts, *values]:
        column = _as_float_array(result, name)
        raw = column.to_numpy(dtype=np.float64, na_value=np.nan)
        missing = np.asarray(column.isna()) | hide
        if rule.round_to and name in counts:
            raw = np.round(raw / rule.round_to) * rule.round_to
        result[name] = float_column(np.where(missing, 0.0, raw), missing)
    existing = (
        result["reason"].astype(object).where(result["reason"].notna(), None).to_numpy()
        if "reason" in result.columns
        else np.full(len(result), None, dtype=object)
    )
    reasons = np.where(
        hide & pd.isna(existing), ReasonCode.SMALL_COUNT.value, existing
    ).astype(object)
    result["reason"] = reason_column(reasons)
    return result
