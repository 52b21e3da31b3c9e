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


def identities(
    settings: Settings, person_ids: list[int], practice_code: str
) -> dict[int, dict[str, str]]:
    """NHS number and name of those of ``person_ids`` registered at ``practice_code``.

    For re-identifying a case-finding list for direct care: the practice filter is
    applied here as well as by the caller, so a list can never reveal people of
    another practice. Callers audit every call.
    """
    if not person_ids or not settings.warehouse_path.exists():
        return {}
    with warehouse(settings, read_only=True) as con:
        rows = con.execute(
            "SELECT p.person_id, i.nhs_number, i.given_name, i.family_name "
            "FROM persons p JOIN person_identity i USING (person_id) "
            "WHERE p.practice_code = ? AND list_contains(?, p.person_id)",
            [practice_code, [int(i) for i in person_ids]],
        ).fetchall()
    return {
        int(pid): {"nhs_number": str(nhs), "name": f"{given} {family}"}
        for pid, nhs, given, family in rows
    }
