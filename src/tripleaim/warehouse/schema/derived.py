"""Tables the capabilities derive from the warehouse and store back in it.

They are written whole by their capability (``tripleaim indicators compute``), never
loaded from files; both engines read them like any other table.
"""

from __future__ import annotations

from tripleaim.warehouse.schema.model import Column, Table

AREA_LEVELS = ("practice", "pcn", "place", "icb")
"""Area levels of a profile: GP practice, primary care network, place, system (ICB)."""

NOT_COMPARED = "not_compared"
COMPARISONS = ("better", "similar", "worse", "higher", "lower", NOT_COMPARED)
"""Outcomes of comparing an area with its benchmark (research/indicators.md)."""

TRENDS = ("increasing", "decreasing", "no_significant_change", "cannot_be_calculated")
"""Trend markers over consecutive periods (Fingertips' chi-squared test for trend)."""

INDICATOR_VALUES = Table(
    name="indicator_values",
    group="derived",
    description=(
        "Every indicator definition for every area, area level and financial year: value "
        "with 95% and 99.8% limits, comparison with its benchmark, excess count, ranks, "
        "trend and the inequality gap across deprivation deciles (tripleaim.indicators)."
    ),
    primary_key=("indicator_id", "area_level", "area_code", "period"),
    columns=(
        Column(
            "indicator_id",
            "string",
            "Indicator definition id (indicators/definitions).",
        ),
        Column(
            "indicator_version", "int", "Version of the definition used.", minimum=1
        ),
        Column(
            "domain",
            "string",
            "Triple-aim domain.",
            allowed=(
                "health_and_wellbeing",
                "care_and_quality",
                "finance_and_efficiency",
            ),
        ),
        Column("area_level", "string", "Area level.", allowed=AREA_LEVELS),
        Column(
            "area_code", "string", "ODS code (practice, PCN, ICB) or GSS code (place)."
        ),
        Column("period", "string", "Financial year, e.g. 2023/24."),
        Column(
            "numerator",
            "float",
            "Events counted (or pounds, bed days, items).",
            minimum=0,
        ),
        Column("denominator", "float", "Population or other denominator.", minimum=0),
        Column(
            "value", "float", "Indicator value; empty with a reason.", nullable=True
        ),
        Column("lower_95", "float", "Lower 95% confidence limit.", nullable=True),
        Column("upper_95", "float", "Upper 95% confidence limit.", nullable=True),
        Column("lower_99_8", "float", "Lower 99.8% confidence limit.", nullable=True),
        Column("upper_99_8", "float", "Upper 99.8% confidence limit.", nullable=True),
        Column(
            "method",
            "string",
            "Confidence limit method (Wilson, Byars ...).",
            nullable=True,
        ),
        Column(
            "value_reason", "string", "Why value or limits are missing.", nullable=True
        ),
        Column(
            "benchmark",
            "string",
            "What the area is compared with.",
            allowed=("england", "system"),
        ),
        Column(
            "benchmark_code", "string", "Area code of the benchmark.", nullable=True
        ),
        Column(
            "benchmark_value", "float", "Benchmark value in the period.", nullable=True
        ),
        Column(
            "compared_95",
            "string",
            "Significance against the benchmark at 95% (single overlapping CI).",
            allowed=COMPARISONS,
        ),
        Column("compared_99_8", "string", "The same at 99.8%.", allowed=COMPARISONS),
        Column(
            "expected",
            "float",
            "Numerator expected at the benchmark's rates.",
            nullable=True,
        ),
        Column(
            "excess",
            "float",
            "Numerator minus expected (negative: a shortfall).",
            nullable=True,
        ),
        Column(
            "rank", "int", "Rank among areas of the level (1 = best).", nullable=True
        ),
        Column("rank_of", "int", "Areas of the level ranked.", nullable=True),
        Column(
            "national_rank",
            "int",
            "Rank among the 152 upper-tier authorities (places) or 42 ICBs (system).",
            nullable=True,
        ),
        Column("national_rank_of", "int", "Comparator areas ranked.", nullable=True),
        Column("england_value", "float", "England value in the period.", nullable=True),
        Column(
            "trend",
            "string",
            "Trend marker over the periods to this one.",
            allowed=TRENDS,
        ),
        Column(
            "trend_assessment",
            "string",
            "getting_better, getting_worse or no_significant_change (by polarity).",
            nullable=True,
        ),
        Column(
            "trend_chi_squared",
            "float",
            "Chi-squared statistic of the trend test.",
            nullable=True,
        ),
        Column(
            "sii",
            "float",
            "Slope index of inequality across IMD deciles.",
            nullable=True,
        ),
        Column("sii_lower_95", "float", "Lower 95% limit of the SII.", nullable=True),
        Column("sii_upper_95", "float", "Upper 95% limit of the SII.", nullable=True),
        Column(
            "sii_quantiles", "int", "Deprivation groups used: 10 or 5.", nullable=True
        ),
        Column("sii_reason", "string", "Why the SII is missing.", nullable=True),
    ),
)


PERSON_SCORES = Table(
    name="person_scores",
    group="derived",
    description=(
        "Comorbidity, frailty and multimorbidity scores for every person born by the "
        "index date, from inpatient diagnoses in the lookback window and conditions "
        "recorded before the index date (tripleaim.phm; docs/methods/phm-scores.md)."
    ),
    primary_key=("person_id", "index_date"),
    columns=(
        Column(
            "person_id",
            "int",
            "Pseudonymised person identifier.",
            references=("persons", "person_id"),
        ),
        Column("index_date", "date", "Scores use activity before this date."),
        Column(
            "lookback_start", "date", "First admission date of the lookback window."
        ),
        Column("age", "int", "Age in whole years on the index date.", minimum=0),
        Column(
            "has_inpatient_history",
            "bool",
            "True when the person had a spell in the window; false: scored as zeros.",
        ),
        Column("inpatient_spells", "int", "Spells admitted in the window.", minimum=0),
        Column(
            "charlson_score",
            "int",
            "Charlson comorbidity index (Quan 2005 ICD-10 mapping, 1987 weights, "
            "hierarchy applied).",
            minimum=0,
        ),
        Column(
            "charlson_age_adjusted",
            "int",
            "Charlson score plus a point a decade over 40 (at most 4).",
            minimum=0,
        ),
        Column(
            "elixhauser_score",
            "int",
            "Elixhauser score, van Walraven weights (can be negative).",
        ),
        Column(
            "hfrs_score",
            "float",
            "Hospital Frailty Risk Score (Gilbert 2018), each category once.",
            minimum=0,
        ),
        Column(
            "hfrs_band",
            "string",
            "HFRS band: low < 5, intermediate 5-15, high > 15.",
            allowed=("low", "intermediate", "high"),
        ),
        Column(
            "has_condition_history",
            "bool",
            "True when a condition was recorded before the index date.",
        ),
        Column(
            "efi_deficits",
            "int",
            "eFI deficits recorded (of 36).",
            minimum=0,
            maximum=36,
        ),
        Column(
            "efi_score",
            "float",
            "Electronic frailty index: deficits / 36.",
            minimum=0,
            maximum=1,
        ),
        Column(
            "efi_category",
            "string",
            "eFI category: fit <= 0.12 < mild <= 0.24 < moderate <= 0.36 < severe.",
            allowed=("fit", "mild", "moderate", "severe"),
        ),
        Column("ltc_count", "int", "Long-term conditions recorded.", minimum=0),
        Column("multimorbidity", "bool", "Two or more long-term conditions."),
        Column("complex_multimorbidity", "bool", "Four or more long-term conditions."),
    ),
)


PERSON_RISK = Table(
    name="person_risk",
    group="derived",
    description=(
        "Risk of an emergency admission in the 12 months after the index date for "
        "everyone registered and alive on it, from the current trained model, with the "
        "features that raised each person's risk most (tripleaim.phm; "
        "docs/methods/phm-risk-model.md)."
    ),
    primary_key=("person_id", "index_date"),
    columns=(
        Column(
            "person_id",
            "int",
            "Pseudonymised person identifier.",
            references=("persons", "person_id"),
        ),
        Column("index_date", "date", "Features use activity before this date."),
        Column(
            "risk",
            "float",
            "Predicted probability of an emergency admission in the next 12 months.",
            minimum=0,
            maximum=1,
        ),
        Column(
            "risk_percentile",
            "int",
            "Percentile of risk in the scored population (100 = highest; ties share).",
            minimum=1,
            maximum=100,
        ),
        Column(
            "model_version",
            "string",
            "Version of the model artifact (training index date and content hash).",
        ),
        Column(
            "model_kind",
            "string",
            "The model chosen at training.",
            allowed=("logistic", "boosting"),
        ),
        Column(
            "reasons",
            "string",
            "Up to three features that raised the person's risk most, '; '-separated; "
            "empty when none raised it.",
            nullable=True,
        ),
    ),
)


PERSON_SEGMENTS = Table(
    name="person_segments",
    group="derived",
    description=(
        "Bridges to Health segment of everyone registered and alive on the index date "
        "(rules in phm/definitions/segments.yaml, first match wins), with the year's "
        "activity and spend before the index date (tripleaim.phm; "
        "docs/methods/phm-segmentation.md)."
    ),
    primary_key=("person_id", "index_date"),
    columns=(
        Column(
            "person_id",
            "int",
            "Pseudonymised person identifier.",
            references=("persons", "person_id"),
        ),
        Column("index_date", "date", "Segments use activity before this date."),
        Column("segment", "string", "Segment id (segments.yaml)."),
        Column(
            "segment_order", "int", "Position of the segment in the rules.", minimum=1
        ),
        Column(
            "segment_rule",
            "string",
            "The part of the rule that fired ('otherwise' for the last segment).",
        ),
        Column(
            "practice_code",
            "string",
            "ODS code of the registered GP practice.",
            code="ods_practice",
            references=("organisations", "org_code"),
        ),
        Column("age", "int", "Age in whole years on the index date.", minimum=0),
        Column(
            "emergency_admissions",
            "int",
            "Emergency admissions in the 12 months before the index date.",
            minimum=0,
        ),
        Column(
            "ae_attendances",
            "int",
            "A&E attendances in the 12 months before the index date.",
            minimum=0,
        ),
        Column(
            "outpatient_attendances",
            "int",
            "Outpatient appointments attended in the 12 months.",
            minimum=0,
        ),
        Column(
            "inpatient_cost",
            "float",
            "Cost of spells admitted in the 12 months, pounds.",
            minimum=0,
        ),
        Column(
            "outpatient_cost",
            "float",
            "Cost of outpatient appointments in the 12 months, pounds.",
            minimum=0,
        ),
        Column(
            "prescribing_cost",
            "float",
            "Net ingredient cost of prescribing in the 12 months, pounds.",
            minimum=0,
        ),
        Column(
            "total_cost",
            "float",
            "Inpatient + outpatient + prescribing cost in the 12 months, pounds.",
            minimum=0,
        ),
    ),
)


TABLES = (INDICATOR_VALUES, PERSON_SCORES, PERSON_RISK, PERSON_SEGMENTS)
