"""The per-person fields segment rules may use, as one Ibis expression.

One row per person registered and alive on the index date (the risk model's
cohort). Conditions and eFI use records before the index date; activity and spend
use the 12 months before it: inpatient spells by admission date, outpatient
appointments by appointment date, prescribing by month dispensed.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date

import ibis
import ibis.expr.types as ir

from tripleaim.phm.catalogue import catalogue
from tripleaim.phm.pipelines import ScoreOptions, person_scores
from tripleaim.phm.risk.features import cohort, condition_flags, years_before
from tripleaim.phm.segments.predicates import FieldInfo
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

ACTIVITY = {
    "emergency_admissions": "Emergency admissions in the 12 months before the index date.",
    "elective_admissions": "Elective admissions in the 12 months before the index date.",
    "maternity_admissions": "Maternity admissions in the 12 months before the index date.",
    "ae_attendances": "A&E attendances in the 12 months before the index date.",
    "outpatient_attendances": "Outpatient appointments attended in the 12 months.",
}
SPEND = {
    "inpatient_cost": "Cost of spells admitted in the 12 months, pounds.",
    "outpatient_cost": "Cost of outpatient appointments in the 12 months, pounds.",
    "prescribing_cost": "Net ingredient cost of prescribing in the 12 months, pounds.",
    "total_cost": "Inpatient + outpatient + prescribing cost in the 12 months, pounds.",
}


@functools.cache
def segment_fields() -> dict[str, FieldInfo]:
    """Every field a segment rule may name (documented in phm-segmentation.md)."""
    fields: dict[str, FieldInfo] = {
        "age": FieldInfo("int", "Age in whole years on the index date."),
        "sex": FieldInfo("string", "Sex, F or M.", ("F", "M")),
        "efi_category": FieldInfo(
            "string",
            "Electronic frailty index category.",
            ("fit", "mild", "moderate", "severe"),
        ),
        "efi_score": FieldInfo("float", "Electronic frailty index, 0 to 1."),
        "ltc_count": FieldInfo("int", "Long-term conditions recorded."),
    }
    for slug in catalogue().long_term_conditions.conditions:
        fields[slug] = FieldInfo(
            "bool", f"Condition {slug} recorded before the index date."
        )
    fields.update({name: FieldInfo("int", text) for name, text in ACTIVITY.items()})
    fields.update({name: FieldInfo("float", text) for name, text in SPEND.items()})
    return fields


def _in_window(column: ir.Value, start: date, end: date) -> ir.BooleanValue:
    day = queries.as_date(column)
    return (day >= start) & (day < end)


def activity_and_spend(
    tables: Mapping[str, ir.Table], start: date, end: date
) -> list[ir.Table]:
    """Per source, per person with activity in ``[start, end)``: counts and cost."""
    spells = tables["inpatient_spells"]
    spells = spells.filter(_in_window(spells.admission_date, start, end))
    ae = tables["ae_attendances"]
    ae = ae.filter(_in_window(ae.arrival_time, start, end))
    op = tables["outpatient_appointments"]
    op = op.filter(_in_window(op.appointment_date, start, end))
    rx = tables["prescribing"]
    rx = rx.filter(_in_window(rx.period_start, start, end))

    def count(flag: ir.BooleanValue) -> ir.IntegerScalar:
        return flag.ifelse(1, 0).sum().cast("int64")

    return [
        spells.group_by("person_id").aggregate(
            emergency_admissions=count(spells.admission_method == "emergency"),
            elective_admissions=count(spells.admission_method == "elective"),
            maternity_admissions=count(spells.admission_method == "maternity"),
            inpatient_cost=spells.cost_gbp.sum().cast("float64"),
        ),
        ae.group_by("person_id").aggregate(ae_attendances=ae.count().cast("int64")),
        op.group_by("person_id").aggregate(
            outpatient_attendances=count(op.attendance_status == "attended"),
            outpatient_cost=op.cost_gbp.sum().cast("float64"),
        ),
        rx.group_by("person_id").aggregate(
            prescribing_cost=rx.cost_gbp.sum().cast("float64")
        ),
    ]


def person_fields(tables: Mapping[str, ir.Table], index_date: date) -> ir.Table:
    """``person_id``, ``practice_code`` and every field of :func:`segment_fields`.

    Args:
        tables: The tables named in :data:`SOURCE_TABLES`.
        index_date: Fields use rows dated strictly before this date.
    """
    options = ScoreOptions(index_date=index_date, lookback_years=1)
    scores = person_scores(tables, options).select(
        "person_id", "efi_category", "efi_score", "ltc_count"
    )
    persons = tables["persons"].select("person_id", "practice_code")
    parts = [
        persons,
        scores,
        condition_flags(tables["conditions"], index_date),
        *activity_and_spend(tables, years_before(index_date, 1), index_date),
    ]
    result = cohort(tables, index_date).select("person_id", "age", "sex")
    for number, part in enumerate(parts):
        key = f"p{number}_person_id"
        renamed = part.rename({key: "person_id"})
        result = result.left_join(renamed, result.person_id == renamed[key]).drop(key)
    zero, none = ibis.literal(0, "int64"), ibis.literal(0.0, "float64")
    filled: dict[str, ir.Value] = {
        slug: result[f"ltc_{slug}"].coalesce(zero) == 1
        for slug in catalogue().long_term_conditions.conditions
    }
    filled |= {name: result[name].coalesce(zero) for name in (*ACTIVITY, "ltc_count")}
    filled |= {
        name: result[name].coalesce(none)
        for name in ("inpatient_cost", "outpatient_cost", "prescribing_cost")
    }
    filled["efi_category"] = result.efi_category.coalesce("fit")
    filled["efi_score"] = result.efi_score.coalesce(none)
    result = result.mutate(**filled)
    result = result.mutate(
        total_cost=result.inpatient_cost
        + result.outpatient_cost
        + result.prescribing_cost
    )
    return result.select("person_id", "practice_code", *segment_fields())
