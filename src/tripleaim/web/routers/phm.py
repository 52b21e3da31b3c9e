"""Population health management pages: segments, risk, cohort builder, case-finding.

Lists are pseudonymised. Staff in a direct-care role see NHS number and name only
for their own practice's list, by a deliberate form post that is audited as
``phm.reidentify`` (with the cohort, practice and number of people), as are exports.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from tripleaim.access import Principal, policy
from tripleaim.errors import NotFoundError, UserError
from tripleaim.phm.cohorts.builder import OPS, Condition, build_cohort
from tripleaim.phm.cohorts.spec import CohortSpec, cohort, cohort_fields, cohorts
from tripleaim.phm.overview import LEVEL_TITLES, SegmentsNotComputedError, overview
from tripleaim.phm.segmenting import CohortList, cohort_list, export_cohort
from tripleaim.phm.segments.methods import RISK_BAND_TITLES
from tripleaim.settings import Settings
from tripleaim.warehouse import person_record
from tripleaim.web import phm_charts
from tripleaim.web.deps import audit_now, csrf_protected, require, settings_of
from tripleaim.web.errors import ForbiddenError
from tripleaim.web.navigation import navigation
from tripleaim.web.templating import render

router = APIRouter(include_in_schema=False)

Viewer = Annotated[Principal, Depends(require("phm", "view"))]
Exporter = Annotated[Principal, Depends(require("phm", "export"))]
Code = Annotated[str, Query(max_length=12, pattern=r"^[A-Za-z0-9]*$")]
Texts = Annotated[list[str], Query(max_length=10)]
PAGE_ROWS = 100
MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _base(principal: Principal, current: str) -> dict[str, Any]:
    return {"principal": principal, "nav": navigation(principal, current)}


@router.get("/population-health")
def population(
    request: Request,
    principal: Viewer,
    level: Literal["system", "place", "pcn", "practice"] = "system",
    code: Code = "",
) -> Response:
    """People and spend by segment, risk bands and the segment x risk matrix."""
    base = _base(principal, "/population-health")
    try:
        view = overview(settings_of(request), level, code)
    except SegmentsNotComputedError as exc:
        return render(request, "phm/not_computed.jinja", {**base, "message": str(exc)})
    name = view.area.name
    return render(
        request,
        "phm/overview.jinja",
        {
            **base,
            "view": view,
            "levels": LEVEL_TITLES,
            "areas": _area_options(settings_of(request)),
            "band_titles": list(RISK_BAND_TITLES.values()),
            "segment_svg": phm_charts.segment_chart(view.segments, name),
            "risk_svg": phm_charts.risk_histogram(view.histogram, name),
        },
    )


def _area_options(settings: Settings) -> dict[str, list[dict[str, Any]]]:
    return {
        level: person_record.organisations(settings, org_type=level)
        for level in ("place", "pcn", "practice")
    }


@router.get("/population-health/cohorts")
def cohort_builder(request: Request, principal: Viewer) -> Response:
    """The shipped cohorts and a builder for a cohort of one's own."""
    practices = person_record.organisations(settings_of(request), org_type="practice")
    return render(
        request,
        "phm/cohorts.jinja",
        {
            **_base(principal, "/population-health"),
            "cohorts": list(cohorts().values()),
            "fields": cohort_fields(),
            "ops": OPS,
            "practices": practices,
            "own_practice": _own_practice(principal, practices),
        },
    )


def _spec(
    cohort_id: str,
    fields: list[str],
    ops: list[str],
    values: list[str],
    rank_by: str,
    title: str,
) -> CohortSpec | None:
    """The shipped cohort named, or the one built from the form's rows, or none."""
    if cohort_id and cohort_id != "custom":
        return cohort(cohort_id)
    if not any(fields):
        return None
    padded = [*values, *[""] * len(fields)]
    conditions = [
        Condition(f, o, v) for f, o, v in zip(fields, ops, padded, strict=False)
    ]
    return build_cohort(
        conditions, rank_by or conditions[0].field, descending=True, title=title
    )


def _form(
    field: list[str], op: list[str], value: list[str], rank_by: str, title: str
) -> dict[str, Any]:
    """The builder's fields, carried as hidden inputs to the next request."""
    return {
        "field": field,
        "op": op,
        "value": value,
        "rank_by": rank_by,
        "title": title,
    }


def _own_practice(principal: Principal, practices: list[dict[str, Any]]) -> str:
    """The practice a direct-care role works in, or ``""`` for everyone else."""
    direct = policy().roles[principal.role].direct_care
    codes = {p["org_code"] for p in practices}
    return principal.org_code if direct and principal.org_code in codes else ""


def _can_identify(principal: Principal, practice: str) -> bool:
    return (
        bool(practice)
        and principal.org_code == practice
        and policy().roles[principal.role].direct_care
        and principal.can("person_record", "read")
    )


def _list(
    settings: Settings, spec: CohortSpec, practice: str, pcn: str, limit: int | None
) -> CohortList:
    return cohort_list(settings, spec, practice or None, pcn or None, limit)


@router.get("/population-health/case-finding")
def case_finding(
    request: Request,
    principal: Viewer,
    cohort_id: Annotated[str, Query(alias="cohort", max_length=60)] = "",
    practice: Annotated[
        str | None, Query(max_length=12, pattern=r"^[A-Za-z0-9]*$")
    ] = None,
    pcn: Code = "",
    field: Texts = [],  # noqa: B006  (FastAPI reads the default; never mutated)
    op: Texts = [],  # noqa: B006
    value: Texts = [],  # noqa: B006
    rank_by: Annotated[str, Query(max_length=60)] = "",
    title: Annotated[str, Query(max_length=120)] = "",
) -> Response:
    """A cohort's ranked, pseudonymised list for a practice or PCN, with reasons.

    Staff in a direct-care role start on their own practice's list; choosing
    "Every practice" sends an empty ``practice``.
    """
    settings = settings_of(request)
    practices = person_record.organisations(settings, org_type="practice")
    if practice is None:
        practice = "" if pcn else _own_practice(principal, practices)
    context: dict[str, Any] = {
        **_base(principal, "/population-health"),
        "cohorts": list(cohorts().values()),
        "practices": practices,
        "chosen": {"cohort": cohort_id, "practice": practice, "pcn": pcn},
        "query": request.url.query,
        "form": _form(field, op, value, rank_by, title),
        "can_export": principal.can("phm", "export"),
        "can_identify": _can_identify(principal, practice),
    }
    try:
        spec = _spec(cohort_id, field, op, value, rank_by, title)
        if spec is not None:
            context["result"] = _list(settings, spec, practice, pcn, PAGE_ROWS)
    except (UserError, NotFoundError) as exc:
        context["error"] = str(exc)
        return render(request, "phm/case_finding.jinja", context, status=422)
    return render(request, "phm/case_finding.jinja", context)


def _export(
    request: Request,
    principal: Principal,
    result: CohortList,
    fmt: str,
    action: str,
    practice: str,
) -> Response:
    content = export_cohort(result, fmt)
    name = f"cohort-{result.cohort.id}-{practice or 'all'}.{fmt}"
    audit_now(
        request,
        principal,
        action,
        "success",
        object_type="cohort",
        object_id=result.cohort.id,
        detail={"practice": practice, "format": fmt, "persons": len(result.rows)},
    )
    return Response(
        content,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/population-health/case-finding.{fmt}")
def case_finding_export(
    request: Request,
    principal: Exporter,
    fmt: Literal["xlsx", "csv"],
    cohort_id: Annotated[
        str, Query(alias="cohort", max_length=60)
    ] = "three_emergency_admissions",
    practice: Code = "",
    pcn: Code = "",
    field: Texts = [],  # noqa: B006
    op: Texts = [],  # noqa: B006
    value: Texts = [],  # noqa: B006
    rank_by: Annotated[str, Query(max_length=60)] = "",
    title: Annotated[str, Query(max_length=120)] = "",
) -> Response:
    """The whole pseudonymised list as a workbook or CSV for the practice (audited)."""
    spec = _spec(cohort_id, field, op, value, rank_by, title)
    if spec is None:
        raise UserError("Choose a cohort, or add a condition, to export a list.")
    result = _list(settings_of(request), spec, practice, pcn, None)
    return _export(request, principal, result, fmt, "phm.export", practice)


@router.post(
    "/population-health/case-finding/identify", dependencies=[Depends(csrf_protected)]
)
def identify(
    request: Request,
    principal: Annotated[Principal, Depends(require("person_record", "read"))],
    practice: Annotated[str, Form(max_length=12)] = "",
    cohort_id: Annotated[str, Form(alias="cohort", max_length=60)] = "",
    field: Annotated[list[str], Form()] = [],  # noqa: B006
    op: Annotated[list[str], Form()] = [],  # noqa: B006
    value: Annotated[list[str], Form()] = [],  # noqa: B006
    rank_by: Annotated[str, Form(max_length=60)] = "",
    title: Annotated[str, Form(max_length=120)] = "",
    fmt: Annotated[Literal["html", "xlsx"], Form(alias="format")] = "html",
) -> Response:
    """The practice's own list with NHS number and name, for direct care (audited)."""
    if not _can_identify(principal, practice):
        audit_now(
            request,
            principal,
            "phm.reidentify",
            "denied",
            object_type="cohort",
            object_id=cohort_id or "custom",
            detail={"practice": practice, "reason": "no direct-care relationship"},
        )
        raise ForbiddenError(
            "You can see NHS numbers and names only on lists of your own practice."
        )
    spec = _spec(cohort_id, field, op, value, rank_by, title)
    if spec is None:
        raise UserError("Choose a cohort, or add a condition, to see a list.")
    settings = settings_of(request)
    result = _list(settings, spec, practice, "", None if fmt == "xlsx" else PAGE_ROWS)
    found = person_record.identities(
        settings, [int(r["person_id"]) for r in result.rows], practice
    )
    for row in result.rows:
        row.update(found.get(int(row["person_id"]), {"nhs_number": "", "name": ""}))
    if fmt == "xlsx":
        return _export(request, principal, result, "xlsx", "phm.reidentify", practice)
    audit_now(
        request,
        principal,
        "phm.reidentify",
        "success",
        object_type="cohort",
        object_id=spec.id,
        detail={"practice": practice, "format": "html", "persons": len(result.rows)},
    )
    return render(
        request,
        "phm/case_finding.jinja",
        {
            **_base(principal, "/population-health"),
            "cohorts": list(cohorts().values()),
            "practices": person_record.organisations(settings, org_type="practice"),
            "chosen": {"cohort": cohort_id, "practice": practice, "pcn": ""},
            "form": _form(field, op, value, rank_by, title),
            "result": result,
            "identified": True,
            "can_export": False,
            "can_identify": True,
        },
    )
