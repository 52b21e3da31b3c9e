"""The warehouse's queries: pure functions from Ibis tables to Ibis expressions.

Every query runs unchanged on every engine in ``ENGINE_NAMES``; the spec tests in
``tests/spec`` run each one on DuckDB and on Spark and require identical results.
"""

from __future__ import annotations

from tripleaim.warehouse.queries.activity import (
    LOW_BIRTH_WEIGHT_GRAMS,
    ae_activity,
    birth_counts,
    death_counts,
    emergency_admissions,
    inpatient_activity,
    outpatient_activity,
)
from tripleaim.warehouse.queries.aggregates import any_bits, count_by, count_if
from tripleaim.warehouse.queries.areas import (
    AREA_LEVELS,
    AreaLevel,
    activity_by_area,
    area_column,
    person_areas,
)
from tripleaim.warehouse.queries.conditions import recorded_prevalence
from tripleaim.warehouse.queries.coverage import (
    DATE_COLUMNS,
    table_coverage,
    warehouse_coverage,
)
from tripleaim.warehouse.queries.dates import (
    ESP2013_AGE_BANDS,
    PERIODS,
    DateLike,
    Period,
    age_at,
    age_band,
    as_date,
    financial_year,
    financial_year_midpoint,
    financial_year_start,
    month_start,
    reporting_period,
)
from tripleaim.warehouse.queries.population import (
    mid_year_population,
    registered_persons,
    registered_population,
    registered_population_by_area,
)

__all__ = [
    "AREA_LEVELS",
    "DATE_COLUMNS",
    "ESP2013_AGE_BANDS",
    "LOW_BIRTH_WEIGHT_GRAMS",
    "PERIODS",
    "AreaLevel",
    "DateLike",
    "Period",
    "activity_by_area",
    "ae_activity",
    "age_at",
    "age_band",
    "any_bits",
    "area_column",
    "as_date",
    "birth_counts",
    "count_by",
    "count_if",
    "death_counts",
    "emergency_admissions",
    "financial_year",
    "financial_year_midpoint",
    "financial_year_start",
    "inpatient_activity",
    "mid_year_population",
    "month_start",
    "outpatient_activity",
    "person_areas",
    "recorded_prevalence",
    "registered_persons",
    "registered_population",
    "registered_population_by_area",
    "reporting_period",
    "table_coverage",
    "warehouse_coverage",
]
