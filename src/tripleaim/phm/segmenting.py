"""What the CLI and web call for segmentation and case-finding.

``segment_population`` assigns every person registered and alive on the index date
to one segment (``definitions/segments.yaml``), replaces ``person_segments`` and
summarises persons and spend by segment and area, the reduction in variance of
spend and, with ``person_risk``, the segment x risk band matrix. ``cohort_list``
returns a cohort's ranked, pseudonymised list (docs/methods/phm-segmentation.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis
import pyarrow as pa

from tripleaim.errors import NotFoundError, UserError
from tripleaim.phm.cohorts.export import to_csv, to_xlsx
from tripleaim.phm.cohorts.listing import cohort_query, needed_tables, reasons
from tripleaim.phm.cohorts.spec import CohortSpec, cohort
from tripleaim.phm.results import ARROW_TYPES
from tripleaim.phm.segments.fields import SOURCE_TABLES, person_fields
from tripleaim.phm.segments.methods import reduction_in_variance, risk_band
from tripleaim.phm.segments.rules import assign_segments, default_rules
from tripleaim.phm.service import default_index_date
from tripleaim.settings import Settings
from tripleaim.warehouse import TABLES, Engine, connect
from tripleaim.warehouse.queries import person_areas

PERSON_SEGMENTS = TABLES["person_segments"]
AREA_LEVELS = ("practice", "pcn", "place")
HINTS = {
    "person_segments": "run `tripleaim phm segment` first",
    "person_scores": "run `tripleaim phm score` first",
    "person_risk": "run `tripleaim phm train` and `tripleaim phm score` first",
}


@dataclass(frozen=True)
class SegmentRow:
    """One segment's people and spend (or one area's, within a segment)."""

    segment: str
    title: str
    persons: int
    share: float
    spend: float
    mean_spend: float


@dataclass(frozen=True)
class SegmentSummary:
    """What segmenting did: counts and spend only, no person-level values."""

    index_date: date
    persons: int
    segments: tuple[SegmentRow, ...]
    by_area: dict[str, list[dict[str, Any]]]
    reduction_in_variance: float | None
    risk_matrix: dict[str, dict[str, int]] | None
    seconds: float


def segment_table(engine: Engine, index_date: date) -> pa.Table:
    """``person_segments`` rows (typed), computed on ``engine``."""
    tables = {name: engine.table(name) for name in SOURCE_TABLES}
    assigned = assign_segments(person_fields(tables, index_date), default_rules())
    assigned = assigned.mutate(index_date=ibis.literal(index_date, "date"))
    data = engine.execute(assigned.select(*PERSON_SEGMENTS.column_names))
    schema = pa.schema(
        [
            pa.field(c.name, ARROW_TYPES[c.type], nullable=c.nullable)
            for c in PERSON_SEGMENTS.columns
        ]
    )
    return pa.Table.from_arrays(
        [data.column(f.name).cast(f.type) for f in schema], schema=schema
    )


def segment_population(
    settings: Settings, index_date: date | None = None
) -> SegmentSummary:
    """Segment everyone, replace ``person_segments`` and summarise.

    Args:
        settings: Where the warehouse is.
        index_date: By default the day after the latest admission, as risk scoring.
    """
    start = time.perf_counter()
    store = connect(settings, "duckdb")
    try:
        chosen = index_date or default_index_date(store)
        table = segment_table(store, chosen)
        store.create_table(PERSON_SEGMENTS.name, table)
        by_area = _by_area(store)
        matrix = _risk_matrix(store) if "person_risk" in store.list_tables() else None
    finally:
        store.close()
    frame = table.select(["segment", "total_cost"]).to_pandas()
    return SegmentSummary(
        index_date=chosen,
        persons=table.num_rows,
        segments=_segment_rows(frame),
        by_area=by_area,
        reduction_in_variance=reduction_in_variance(
            frame["total_cost"].to_numpy(), frame["segment"].to_numpy()
        ),
        risk_matrix=matrix,
        seconds=time.perf_counter() - start,
    )


def _segment_rows(frame: Any) -> tuple[SegmentRow, ...]:
    total = len(frame)
    rows = []
    for segment in default_rules().segments:
        spend = frame.loc[frame["segment"] == segment.id, "total_cost"]
        persons = int(spend.size)
        rows.append(
            SegmentRow(
                segment=segment.id,
                title=segment.title,
                persons=persons,
                share=persons / total if total else 0.0,
                spend=float(spend.sum()),
                mean_spend=float(spend.mean()) if persons else 0.0,
            )
        )
    return tuple(rows)


def _by_area(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    segments = engine.table("person_segments")
    areas = person_areas(
        engine.table("persons"), engine.table("organisations"), engine.table("lsoas")
    ).select(a_person_id="person_id", pcn="pcn_code", place="place_code")
    joined = segments.left_join(areas, segments.person_id == areas.a_person_id)
    columns = {"practice": "practice_code", "pcn": "pcn", "place": "place"}
    result = {}
    for level in AREA_LEVELS:
        query = (
            joined.group_by(area_code=joined[columns[level]], segment=joined.segment)
            .aggregate(
                persons=joined.count().cast("int64"),
                spend=joined.total_cost.sum().cast("float64"),
            )
            .order_by(["area_code", "segment"])
        )
        result[level] = engine.execute(query).to_pylist()
    return result


def _risk_matrix(engine: Engine) -> dict[str, dict[str, int]] | None:
    segments, risk = engine.table("person_segments"), engine.table("person_risk")
    joined = segments.join(risk, segments.person_id == risk.person_id)
    counts = engine.execute(
        joined.group_by(["segment", "risk_percentile"]).aggregate(
            persons=joined.count().cast("int64")
        )
    ).to_pylist()
    matrix: dict[str, dict[str, int]] = {}
    for row in counts:
        band = risk_band(int(row["risk_percentile"]))
        cell = matrix.setdefault(row["segment"], {})
        cell[band] = cell.get(band, 0) + int(row["persons"])
    return matrix or None


def _ranked(rows: list[dict[str, Any]], spec: CohortSpec) -> list[dict[str, Any]]:
    """Rows in rank order (engines need not keep the order of a subquery)."""
    sign = -1 if spec.rank_by.descending else 1
    present = [r for r in rows if r["rank_key"] is not None]
    missing = [r for r in rows if r["rank_key"] is None]
    present.sort(key=lambda r: (sign * float(r["rank_key"]), r["person_id"]))
    return present + sorted(missing, key=lambda r: r["person_id"])


@dataclass(frozen=True)
class CohortList:
    """A cohort's ranked, pseudonymised members."""

    cohort: CohortSpec
    index_date: date | None
    rows: list[dict[str, Any]]


def cohort_list(
    settings: Settings,
    cohort_id: str | CohortSpec,
    practice_code: str | None = None,
    pcn_code: str | None = None,
    limit: int | None = None,
) -> CohortList:
    """The ranked list of cohort ``cohort_id`` (or a built spec), within a practice or PCN.

    Rows carry ``rank``, ``person_id`` (pseudonymised), ``practice_code``,
    ``pcn_code``, ``age_band``, ``segment`` (title), ``risk`` (or ``None``) and
    ``reasons`` (the cohort's reason fields in words).

    Raises:
        UserError: If the cohort is unknown.
        NotFoundError: If a table the cohort needs has not been computed.
    """
    spec = cohort_id if isinstance(cohort_id, CohortSpec) else cohort(cohort_id)
    engine = connect(settings, "duckdb", read_only=True)
    try:
        present = set(engine.list_tables())
        for name in sorted({"person_segments", *needed_tables(spec)}):
            if name in present and engine.scalar(engine.table(name).count()):
                continue
            raise NotFoundError(
                f"Cohort {spec.id} needs the table {name}: {HINTS[name]}."
            )
        names = ["person_segments", "organisations", "person_scores", "person_risk"]
        tables = {n: engine.table(n) for n in names if n in present}
        query = cohort_query(tables, spec, practice_code, pcn_code, limit)
        found = _ranked(engine.execute(query).to_pylist(), spec)
        index = engine.scalar(tables["person_segments"].index_date.max())
    finally:
        engine.close()
    titles = {s.id: s.title for s in default_rules().segments}
    rows = [
        {
            "rank": rank,
            "person_id": row["person_id"],
            "practice_code": row["practice_code"],
            "pcn_code": row["pcn_code"],
            "age_band": row["age_band"],
            "segment": titles.get(row["segment"], row["segment"]),
            "risk": row.get("risk"),
            "reasons": reasons(spec, row),
        }
        for rank, row in enumerate(found, start=1)
    ]
    return CohortList(cohort=spec, index_date=index, rows=rows)


def export_cohort(result: CohortList, fmt: str) -> bytes:
    """``result`` as ``xlsx`` or ``csv`` bytes.

    Raises:
        UserError: If ``fmt`` is neither.
    """
    if fmt == "xlsx":
        return to_xlsx(result.cohort.title, result.rows)
    if fmt == "csv":
        return to_csv(result.rows)
    raise UserError(f"Cannot export to {fmt!r}; write a .xlsx or .csv file name.")
