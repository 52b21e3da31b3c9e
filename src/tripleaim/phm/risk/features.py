"""Features and outcome of the emergency-admission model as Ibis expressions.

One row per person registered (and alive) on the index date. Every feature comes
from rows dated strictly before the index date; the outcome from rows on or after
it. The expressions use the warehouse's engine-neutral queries (``age_at``,
``registered_persons``) and the phm score pipelines, so they run unchanged on
DuckDB and Spark.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import ibis
import ibis.expr.types as ir

from tripleaim.phm.catalogue import catalogue
from tripleaim.phm.pipelines import ScoreOptions, person_scores
from tripleaim.warehouse import queries

SOURCE_TABLES = (
    "persons",
    "deaths",
    "lsoas",
    "conditions",
    "inpatient_spells",
    "ae_attendances",
    "outpatient_appointments",
    "prescribing",
)

LOOKBACK_YEARS = 1
"""Activity and scores look back one year: the synthetic data start in April 2021,
so a 1 April 2022 training index has exactly one year behind it, as scoring has."""

ETHNIC_GROUPS = {
    "white": "ABC",
    "mixed": "DEFG",
    "asian": "HJKL",
    "black": "MNP",
    "other": "RS",
    "not_stated": "Z",
}
"""NHS Data Dictionary ETHNIC CATEGORY (2001 census) codes by their five groups."""

SCORE_COLUMNS = (
    "charlson_score",
    "elixhauser_score",
    "hfrs_score",
    "efi_score",
    "ltc_count",
)
ACTIVITY_COLUMNS = (
    "emergency_admissions",
    "elective_admissions",
    "ae_attendances",
    "outpatient_attendances",
    "outpatient_dnas",
    "prescribing_items",
    "bnf_sections",
)


def ltc_columns() -> tuple[str, ...]:
    """``ltc_<slug>`` flag columns, one per long-term condition of the catalogue."""
    return tuple(f"ltc_{s}" for s in catalogue().long_term_conditions.conditions)


def years_before(day: date, years: int) -> date:
    """``day`` moved back ``years`` years (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def years_after(day: date, years: int) -> date:
    """``day`` moved on ``years`` years (29 February falls back to the 28th)."""
    return years_before(day, -years)


def ethnic_group(code: ir.StringValue) -> ir.StringValue:
    """The five-group ethnicity of an ETHNIC CATEGORY code; unknown codes ``not_stated``."""
    cases = [
        (code.isin(list(letters)), name)
        for name, letters in ETHNIC_GROUPS.items()
        if name != "not_stated"
    ]
    return ibis.cases(*cases, else_="not_stated")


def cohort(tables: Mapping[str, ir.Table], index_date: date) -> ir.Table:
    """People registered and alive on the index date, with demographics.

    Returns:
        ``person_id``, ``age``, ``sex``, ``ethnic_group``, ``imd_decile`` and
        ``imd_quintile`` (null when the LSOA is unknown).
    """
    registered = queries.registered_persons(tables["persons"], index_date)
    deaths = tables["deaths"]
    died = deaths.filter(deaths.date_of_death <= index_date).select(
        dead_person_id=deaths.person_id
    )
    alive = registered.anti_join(died, registered.person_id == died.dead_person_id)
    lsoas = tables["lsoas"].select(area_lsoa="lsoa_code", area_imd="imd_decile")
    joined = alive.left_join(lsoas, alive.lsoa_code == lsoas.area_lsoa)
    decile = joined.area_imd.cast("int64")
    return joined.select(
        "person_id",
        age=joined.age.cast("int64"),
        sex=joined.sex,
        ethnic_group=ethnic_group(joined.ethnic_group),
        imd_decile=decile,
        imd_quintile=((decile + 1) / 2).floor().cast("int64"),
    )


def _window(column: ir.Value, start: date, end: date) -> ir.BooleanValue:
    day = queries.as_date(column)
    return (day >= start) & (day < end)


def activity(tables: Mapping[str, ir.Table], start: date, end: date) -> list[ir.Table]:
    """Per source, per person with activity in ``[start, end)``: the activity counts."""
    spells = tables["inpatient_spells"]
    spells = spells.filter(_window(spells.admission_date, start, end))
    ae = tables["ae_attendances"]
    ae = ae.filter(_window(ae.arrival_time, start, end))
    op = tables["outpatient_appointments"]
    op = op.filter(_window(op.appointment_date, start, end))
    rx = tables["prescribing"]
    rx = rx.filter(_window(rx.period_start, start, end))
    one, zero = ibis.literal(1, "int64"), ibis.literal(0, "int64")

    def count(flag: ir.BooleanValue) -> ir.IntegerScalar:
        return flag.ifelse(one, zero).sum().cast("int64")

    parts = [
        spells.group_by("person_id").aggregate(
            emergency_admissions=count(spells.admission_method == "emergency"),
            elective_admissions=count(spells.admission_method == "elective"),
        ),
        ae.group_by("person_id").aggregate(ae_attendances=ae.count().cast("int64")),
        op.group_by("person_id").aggregate(
            outpatient_attendances=count(op.attendance_status == "attended"),
            outpatient_dnas=count(op.attendance_status == "did_not_attend"),
        ),
        rx.group_by("person_id").aggregate(
            prescribing_items=rx["items"].sum().cast("int64"),
            bnf_sections=rx.bnf_section.nunique().cast("int64"),
        ),
    ]
    return parts


def condition_flags(conditions: ir.Table, index_date: date) -> ir.Table:
    """Per person with a condition recorded before the index date: ``ltc_<slug>`` 0/1."""
    recorded = conditions.filter(conditions.diagnosis_date < index_date)
    slugs = catalogue().long_term_conditions.conditions
    return recorded.group_by("person_id").aggregate(
        **{
            f"ltc_{slug}": (recorded.condition == slug).ifelse(1, 0).max().cast("int64")
            for slug in slugs
        }
    )


def risk_features(tables: Mapping[str, ir.Table], index_date: date) -> ir.Table:
    """One row per person in the cohort: demographics, conditions, scores, activity.

    Args:
        tables: The tables named in :data:`SOURCE_TABLES`.
        index_date: Features use rows dated strictly before this date.

    Returns:
        ``person_id``, the demographic columns of :func:`cohort`, the ``ltc_*``
        flags, :data:`SCORE_COLUMNS` and :data:`ACTIVITY_COLUMNS` (zeros where a
        person had no activity).
    """
    options = ScoreOptions(index_date=index_date, lookback_years=LOOKBACK_YEARS)
    scores = person_scores(tables, options).select("person_id", *SCORE_COLUMNS)
    start = years_before(index_date, LOOKBACK_YEARS)
    parts = [
        scores,
        condition_flags(tables["conditions"], index_date),
        *activity(tables, start, index_date),
    ]
    result = cohort(tables, index_date)
    for number, part in enumerate(parts):
        key = f"p{number}_person_id"
        renamed = part.rename({key: "person_id"})
        result = result.left_join(renamed, result.person_id == renamed[key]).drop(key)
    zero = ibis.literal(0, "int64")
    filled = {
        name: result[name].coalesce(zero)
        for name in (*ltc_columns(), *ACTIVITY_COLUMNS, "charlson_score")
    }
    filled["elixhauser_score"] = result.elixhauser_score.coalesce(zero)
    filled["ltc_count"] = result.ltc_count.coalesce(zero)
    for name in ("hfrs_score", "efi_score"):
        filled[name] = result[name].coalesce(ibis.literal(0.0, "float64"))
    return result.mutate(**filled).order_by("person_id")


def outcome(tables: Mapping[str, ir.Table], index_date: date) -> ir.Table:
    """``person_id`` and ``admitted`` (0/1): an emergency admission in the next year.

    Counts spells admitted on or after the index date and before its anniversary.
    Only people with such a spell have a row; the caller fills the rest with 0.
    """
    spells = tables["inpatient_spells"]
    end = years_after(index_date, 1)
    emergency = spells.filter(
        spells.admission_method == "emergency",
        _window(spells.admission_date, index_date, end),
    )
    return (
        emergency.select(outcome_person_id=emergency.person_id)
        .distinct()
        .mutate(admitted=ibis.literal(1, "int64"))
    )


def labelled(tables: Mapping[str, ir.Table], index_date: date) -> ir.Table:
    """:func:`risk_features` with the outcome ``admitted`` (0/1) joined on."""
    features = risk_features(tables, index_date)
    events = outcome(tables, index_date)
    joined = features.left_join(
        events, features.person_id == events.outcome_person_id
    ).drop("outcome_person_id")
    return joined.mutate(admitted=joined.admitted.coalesce(0)).order_by("person_id")
