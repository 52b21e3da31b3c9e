"""Indicators in words and numbers for people: units, counts, filters and reasons.

Values are formatted with their units (1 decimal for rates and percentages, 2 for
ratios, thousands separators, % and pounds), counts and filters of a definition are
put into words, and reason codes into sentences. Pages, exports and the CLI share them.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from tripleaim.indicators.counts import AnyCount, PopulationCount
from tripleaim.indicators.labels import unit_of
from tripleaim.indicators.spec import IndicatorSpec

DOMAIN_TITLES = {
    "health_and_wellbeing": "Health and wellbeing",
    "care_and_quality": "Care and quality",
    "finance_and_efficiency": "Finance and efficiency",
}
POLARITY_TITLES = {
    "higher_is_better": "Higher is better",
    "lower_is_better": "Lower is better",
    "neither": "No better direction",
}
COMPARISON_TITLES = {
    "better": "Better",
    "similar": "Similar",
    "worse": "Worse",
    "higher": "Higher",
    "lower": "Lower",
    "not_compared": "Not compared",
}
METHOD_TITLES = {
    "proportion": "Proportion with Wilson score limits",
    "crude_rate": "Crude rate: exact Poisson limits below 10 events, Byar's from 10",
    "dsr": "Directly standardised rate (2013 European Standard Population), Dobson limits",
    "life_expectancy": "Life expectancy at birth (Chiang II life table), Silcocks limits",
    "ratio": "Ratio without confidence limits (not compared for significance)",
}
TABLE_TITLES = {
    "registered_population": "Registered population",
    "inpatient_spells": "Hospital inpatient spells",
    "deaths": "Registered deaths",
    "births": "Births",
    "ae_attendances": "A&E attendances",
    "outpatient_appointments": "Outpatient appointments",
    "prescribing": "Prescription items dispensed",
}
NOUNS = {
    "registered_population": "people",
    "inpatient_spells": "admissions",
    "deaths": "deaths",
    "births": "births",
    "ae_attendances": "attendances",
    "outpatient_appointments": "appointments",
    "prescribing": "items",
    "bed_days": "bed days",
}
REASONS = {
    "small_count": "a count of 1 to {threshold} is withheld (disclosure control)",
    "population_not_positive": "the area has no population in this group",
    "total_count_below_10": "fewer than 10 events in total",
    "events_below_10": "fewer than 10 events",
    "total_population_5000_or_less": "a population of 5,000 or less",
    "denominator_missing": "no denominator",
    "numerator_missing": "no numerator",
    "level_not_covered": "the gap is computed for the system and places only",
    "incomplete_quantiles": (
        "not every deprivation decile or quintile of the area has a value, so no "
        "gradient can be fitted"
    ),
    "no_confidence_limits": "the indicator has no confidence limits",
}


def reason_text(code: object, threshold: int = 7) -> str:
    """A reason code (``value_reason``, ``sii_reason``) as words."""
    if code is None or (isinstance(code, float) and math.isnan(code)) or code is pd.NA:
        return ""
    text = REASONS.get(str(code), str(code).replace("_", " "))
    return text.format(threshold=threshold)


def missing(value: object) -> bool:
    """True for None, NA and NaN."""
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and math.isnan(value))
    )


def is_money(spec: IndicatorSpec) -> bool:
    """True when the numerator is a sum of pounds."""
    return getattr(spec.numerator, "measure", None) == "cost_gbp"


def number(value: object, spec: IndicatorSpec) -> str:
    """A value for people: 1 decimal (2 for ratios), thousands separators, % or £."""
    if missing(value):
        return ""
    v = float(value)  # type: ignore[arg-type]
    if is_money(spec):
        return f"£{v:,.2f}"
    text = f"{v:,.2f}" if spec.method.kind == "ratio" else f"{v:,.1f}"
    return text + "%" if unit_of(spec) == "%" else text


def with_unit(value: object, spec: IndicatorSpec) -> str:
    """``number`` followed by the unit, unless it is % or pounds."""
    text = number(value, spec)
    if not text or text.endswith("%") or is_money(spec):
        return text
    return f"{text} {unit_of(spec)}"


def interval(lower: object, upper: object, spec: IndicatorSpec) -> str:
    """``lower to upper``, or empty without both."""
    if missing(lower) or missing(upper):
        return ""
    return f"{number(lower, spec)} to {number(upper, spec)}"


def noun_of(spec: IndicatorSpec) -> str:
    """What the numerator counts: admissions, deaths, bed days ..."""
    measure = getattr(spec.numerator, "measure", None)
    return NOUNS.get(str(measure), NOUNS.get(spec.numerator.table, "events"))


def count_gap(adverse: object, spec: IndicatorSpec) -> str:
    """The count gap in words: "an additional 30 admissions", "12 fewer admissions"."""
    if missing(adverse):
        return "No count gap (the value is not a count per person)"
    n = abs(float(adverse))  # type: ignore[arg-type]
    amount = f"£{n:,.0f}" if is_money(spec) else f"{n:,.0f} {noun_of(spec)}"
    if spec.polarity == "higher_is_better":
        return f"{amount} fewer than at the benchmark's rate"
    return f"An additional {amount} above the benchmark's rate"


def count_in_words(count: AnyCount) -> dict[str, Any]:
    """A numerator or denominator as a table and its filters in words."""
    filters = []
    where = count.where.model_dump(exclude_defaults=True)
    low, high = where.pop("age_min", None), where.pop("age_max", None)
    if low is not None and high is not None:
        filters.append(f"aged {low} to {high}")
    elif low is not None:
        filters.append(f"aged {low} and over")
    elif high is not None:
        filters.append(f"aged {high} and under")
    sex = where.pop("sex", None)
    if sex:
        filters.append({"F": "female", "M": "male"}[sex])
    for key, value in where.items():
        if isinstance(value, bool):
            text = "yes" if value else "no"
        elif isinstance(value, list | tuple):
            text = ", ".join(str(v) for v in value)
        else:
            text = str(value)
        filters.append(f"{key.replace('_', ' ')}: {text}")
    if isinstance(count, PopulationCount):
        filters.append("on 30 September" if count.at == "mid_year" else "on 31 March")
    measure = getattr(count, "measure", None)
    if measure in ("spells", "appointments", "items"):
        measure = None  # the default measure: the rows themselves
    return {
        "table": TABLE_TITLES.get(count.table, count.table),
        "table_id": count.table,
        "measure": str(measure).replace("_", " ") if measure else "",
        "filters": filters,
    }


def describe(spec: IndicatorSpec) -> dict[str, Any]:
    """The definition in words: everything the metadata table shows."""
    return {
        "id": spec.id,
        "title": spec.title,
        "description": spec.description,
        "domain": DOMAIN_TITLES[spec.domain],
        "domain_id": spec.domain,
        "unit": unit_of(spec),
        "method": METHOD_TITLES[spec.method.kind],
        "multiplier": f"{spec.multiplier:,.0f}",
        "polarity": POLARITY_TITLES[spec.polarity],
        "benchmark": "England" if spec.benchmark == "england" else "The system (ICB)",
        "source": spec.source,
        "fingertips_id": spec.fingertips_id,
        "version": spec.version,
        "numerator": count_in_words(spec.numerator),
        "denominator": count_in_words(spec.denominator),
    }


SMALL_COUNT = "small_count"


def _rank(rank: object, of: object) -> str:
    if missing(rank) or missing(of):
        return ""
    return f"{int(float(rank)):,} of {int(float(of)):,}"  # type: ignore[arg-type]


def _signed(value: object) -> str:
    return "" if missing(value) else f"{float(value):+,.1f}"  # type: ignore[arg-type]


def row_view(row: Any, spec: IndicatorSpec, threshold: int = 7) -> dict[str, Any]:
    """One stored indicator row (a mapping) formatted for a table and a chart marker.

    A value withheld by disclosure control reads ``suppressed`` with its reason; a
    value missing for another reason is empty with its reason.
    """
    reason = row.get("value_reason")
    suppressed = not missing(reason) and str(reason) == SMALL_COUNT
    value = with_unit(row.get("value"), spec)
    comparison = str(row.get("compared_95") or "not_compared")
    shown = "suppressed" if suppressed else value or "not available"
    return {
        "indicator_id": spec.id,
        "title": spec.title,
        "unit": unit_of(spec),
        "area_level": row.get("area_level"),
        "area_code": row.get("area_code"),
        "area_name": row.get("area_name"),
        "period": row.get("period"),
        "value": value,
        "shown": shown,
        "suppressed": suppressed,
        "reason": "" if value else reason_text(reason, threshold),
        "ci": interval(row.get("lower_95"), row.get("upper_95"), spec),
        "benchmark": number(row.get("benchmark_value"), spec),
        "england": number(row.get("england_value"), spec),
        "comparison": comparison,
        "comparison_title": COMPARISON_TITLES.get(comparison, comparison),
        "rank": _rank(row.get("rank"), row.get("rank_of")),
        "excess": _signed(row.get("excess")),
        "trend": str(row.get("trend") or "").replace("_", " "),
        "description": f"{spec.title}: {shown} ({COMPARISON_TITLES.get(comparison, comparison).lower()})",
    }


def sii_view(row: Any, threshold: int = 7) -> dict[str, Any]:
    """The life-expectancy gap across the deprivation gradient (SII), or why there is none."""
    sii = row.get("sii")
    if missing(sii):
        why = reason_text(row.get("sii_reason"), threshold) or "it was not computed"
        return {"available": False, "text": f"Not available: {why}."}
    groups = row.get("sii_quantiles")
    kind = "deciles" if not missing(groups) and int(groups) == 10 else "quintiles"
    limits = ""
    if not missing(row.get("sii_lower_95")) and not missing(row.get("sii_upper_95")):
        limits = f" (95% limits {float(row['sii_lower_95']):,.1f} to {float(row['sii_upper_95']):,.1f})"
    return {
        "available": True,
        "text": f"{float(sii):,.1f} years{limits}, fitted across deprivation {kind}.",
    }
