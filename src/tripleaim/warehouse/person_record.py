"""Reads for the platform shell: organisations, and one identifiable record for direct care.

The identifiable read joins ``person_identity``; callers must check the legitimate
relationship and audit every read (the web layer does both).
"""

from __future__ import annotations

from typing import Any

from tripleaim.errors import NotFoundError
from tripleaim.settings import Settings
from tripleaim.warehouse.service import warehouse


def organisations(
    settings: Settings, *, org_type: str | None = None, parent_code: str | None = None
) -> list[dict[str, Any]]:
    """Organisations, optionally of one type or under one parent."""
    if not settings.warehouse_path.exists():
        return []
    sql = "SELECT org_code, org_name, org_type, parent_code, place_code FROM organisations WHERE true"
    params: list[Any] = []
    if org_type:
        sql += " AND org_type = ?"
        params.append(org_type)
    if parent_code:
        sql += " AND parent_code = ?"
        params.append(parent_code)
    with warehouse(settings, read_only=True) as con:
        cur = con.execute(sql + " ORDER BY org_type, org_code", params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def identifiable(settings: Settings, person_id: int) -> dict[str, Any]:
    """One person with NHS number and name; NotFoundError when absent."""
    if not settings.warehouse_path.exists():
        raise NotFoundError(f"There is no person {person_id}.")
    with warehouse(settings, read_only=True) as con:
        rows = con.execute(
            "SELECT p.person_id, i.nhs_number, i.given_name, i.family_name, p.sex, CAST(p.date_of_birth AS VARCHAR), "
            "p.practice_code, p.lsoa_code FROM persons p JOIN person_identity i USING (person_id) WHERE p.person_id = ?",
            [person_id],
        ).fetchall()
    if not rows:
        raise NotFoundError(f"There is no person {person_id}.")
    keys = (
        "person_id",
        "nhs_number",
        "given_name",
        "family_name",
        "sex",
        "date_of_birth",
        "practice_code",
        "lsoa_code",
    )
    return dict(zip(keys, rows[0], strict=True))
