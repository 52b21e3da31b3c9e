"""A cohort's ranked, pseudonymised list as an Ibis expression, and reasons in words.

People come from ``person_segments``; ``person_scores`` and ``person_risk`` are
joined on ``person_id`` when the cohort needs them (or, for the risk column, when
they exist). No identifiable detail is read: rows carry the pseudonymised
``person_id``, practice, PCN and five-year age band only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis.expr.types as ir

from tripleaim.phm.cohorts.spec import CohortField, CohortSpec, cohort_fields
from tripleaim.phm.segments.predicates import compile_predicate
from tripleaim.warehouse import queries

RENAMES = {"person_risk": {"reasons": "risk_reasons"}}


def needed_tables(spec: CohortSpec) -> set[str]:
    """The derived tables the cohort's fields come from."""
    fields = cohort_fields()
    return {fields[name].table for name in spec.field_names()}


def cohort_query(
    tables: Mapping[str, ir.Table],
    spec: CohortSpec,
    practice_code: str | None = None,
    pcn_code: str | None = None,
    limit: int | None = None,
) -> ir.Table:
    """The cohort's members, ranked (``rank`` 1 first), within a practice or PCN.

    Args:
        tables: ``person_segments`` and ``organisations``, plus ``person_scores``
            and ``person_risk`` when present.
        spec: The cohort definition.
        practice_code: Only people registered with this practice.
        pcn_code: Only people whose practice is in this PCN.
        limit: At most this many, after ranking.
    """
    base = tables["person_segments"]
    for name in ("person_scores", "person_risk"):
        if name not in tables:
            continue
        wanted = [f for f, info in cohort_fields().items() if info.table == name]
        source = tables[name].rename(
            {new: old for old, new in RENAMES.get(name, {}).items()}
        )
        part = source.select(
            j_person_id=source.person_id, **{f: source[f] for f in wanted}
        )
        base = base.left_join(part, base.person_id == part.j_person_id).drop(
            "j_person_id"
        )
    orgs = tables["organisations"]
    practices = orgs.filter(orgs.org_type == "practice").select(
        j_practice=orgs.org_code, pcn_code=orgs.parent_code
    )
    base = base.left_join(practices, base.practice_code == practices.j_practice).drop(
        "j_practice"
    )
    chosen = base.filter(compile_predicate(spec.predicate, base))
    if practice_code is not None:
        chosen = chosen.filter(chosen.practice_code == practice_code)
    if pcn_code is not None:
        chosen = chosen.filter(chosen.pcn_code == pcn_code)
    key = chosen[spec.rank_by.field]
    order = [key.desc(nulls_first=False) if spec.rank_by.descending else key.asc()]
    ranked = chosen.order_by([*order, chosen.person_id])
    if limit is not None:
        ranked = ranked.limit(limit)
    extra = [c for c in ("risk",) if c in ranked.columns and c not in spec.reasons]
    return ranked.select(
        "person_id",
        "practice_code",
        "pcn_code",
        "segment",
        *extra,
        *sorted(set(spec.reasons) - {"segment"}),
        age_band=queries.age_band(ranked.age),
        rank_key=key,
    )


def reason_text(field: CohortField, value: Any) -> str | None:
    """``value`` of ``field`` in words: ``Emergency admissions in the year: 3``."""
    if value is None or value == "":
        return None
    shown: str
    if field.format == "percent":
        shown = f"{100 * float(value):.1f}%"
    elif field.format == "money":
        shown = f"£{float(value):,.0f}"
    elif field.format == "number":
        shown = f"{float(value):.2f}"
    elif field.format == "yes_no":
        shown = "yes" if value else "no"
    else:
        shown = str(value)
    return f"{field.label}: {shown}"


def reasons(spec: CohortSpec, row: Mapping[str, Any]) -> str:
    """The cohort's reason fields of one row, in words, ``'; '``-separated."""
    fields = cohort_fields()
    parts = [reason_text(fields[name], row.get(name)) for name in spec.reasons]
    return "; ".join(p for p in parts if p)
