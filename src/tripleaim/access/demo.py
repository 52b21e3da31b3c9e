"""Demo accounts, one per role, for `make demo` (development only)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tripleaim.access.models import User
from tripleaim.access.policy import ROLES, policy
from tripleaim.access.service import create_user

DEMO_PASSWORD_SUFFIX = "-demo-2026"  # noqa: S105  (development-only demo accounts, printed by make demo)


def demo_accounts(icb_code: str, practice_code: str) -> list[dict[str, str]]:
    """Username, role, organisation and password for each role."""
    out = []
    for role in ROLES:
        direct = policy().roles[role].direct_care
        out.append(
            {
                "username": role.replace("_", "."),
                "role": role,
                "org_code": practice_code if direct else icb_code,
                "password": role.replace("_", "-") + DEMO_PASSWORD_SUFFIX,
                "display_name": f"Demo {policy().roles[role].title.lower()}",
            }
        )
    return out


def ensure_demo_users(
    session: Session, icb_code: str, practice_code: str
) -> list[dict[str, str]]:
    """Create any missing demo account; returns every demo account with its password."""
    accounts = demo_accounts(icb_code, practice_code)
    for a in accounts:
        if session.scalar(select(User).where(User.username == a["username"])) is None:
            create_user(
                session,
                username=a["username"],
                display_name=a["display_name"],
                role=a["role"],
                org_code=a["org_code"],
                password=a["password"],
            )
    return accounts
