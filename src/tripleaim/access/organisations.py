"""Accounts belong to organisations of the footprint (the warehouse's ODS list)."""

from __future__ import annotations

from tripleaim.errors import NotFoundError
from tripleaim.settings import Settings
from tripleaim.warehouse.person_record import organisations


def require_known_organisation(settings: Settings, org_code: str) -> None:
    """Refuse an organisation code the warehouse does not know (when it has organisations)."""
    known = {o["org_code"] for o in organisations(settings)}
    if known and org_code not in known:
        raise NotFoundError(
            f"{org_code} is not an organisation of this footprint; use an ODS code from the "
            "organisations list (for example the ICB, a trust or a GP practice)."
        )
