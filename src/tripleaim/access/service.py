"""Accounts, sign-in with rate limiting, server-side sessions and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tripleaim.access.models import ApiToken, LoginAttempt, User, UserSession
from tripleaim.access.passwords import MIN_LENGTH, hash_password, verify_password
from tripleaim.access.policy import ROLES, policy
from tripleaim.access.principal import Principal
from tripleaim.errors import (
    AccessDeniedError,
    ConflictError,
    DefinitionError,
    UserError,
)
from tripleaim.settings import Settings
from tripleaim.warehouse.store import utcnow

LAST_SEEN_RESOLUTION = timedelta(minutes=1)


class RateLimitedError(AccessDeniedError):
    """Too many failed sign-ins for this account or address; try again later."""


def digest(token: str) -> str:
    """SHA-256 of a secret token: only digests are stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes; everything is stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=utcnow().tzinfo)


def create_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: str,
    org_code: str,
    password: str,
) -> User:
    """A new local account; the password is stored only as an argon2id hash."""
    if role not in ROLES:
        raise DefinitionError(
            f"Unknown role {role!r}; choose one of {', '.join(ROLES)}."
        )
    if len(password) < MIN_LENGTH:
        raise UserError(f"Passwords need at least {MIN_LENGTH} characters.")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise ConflictError(f"There is already an account called {username!r}.")
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        org_code=org_code,
        password_hash=hash_password(password),
        active=True,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(
    session: Session, settings: Settings, username: str, password: str, address: str
) -> User | None:
    """The user for correct credentials, or None; raises when rate-limited.

    Failed attempts are counted per account and per address over a sliding window;
    the message never says which of username or password was wrong.
    """
    since = utcnow() - timedelta(minutes=settings.login_window_minutes)
    recent = (
        session.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(
                LoginAttempt.at >= since,
                (LoginAttempt.username == username) | (LoginAttempt.address == address),
            )
        )
        or 0
    )
    if recent >= settings.login_attempts:
        raise RateLimitedError(
            f"Too many failed sign-ins. Try again in {settings.login_window_minutes} minutes."
        )
    user = session.scalar(
        select(User).where(User.username == username, User.active.is_(True))
    )
    if (
        verify_password(user.password_hash if user else None, password)
        and user is not None
    ):
        session.execute(delete(LoginAttempt).where(LoginAttempt.username == username))
        return user
    session.add(LoginAttempt(username=username, address=address))
    return None


def start_session(
    session: Session, user: User, address: str
) -> tuple[str, UserSession]:
    """A new server-side session; returns the cookie value (never stored) and the row."""
    token = secrets.token_urlsafe(32)
    row = UserSession(
        id_hash=digest(token),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        address=address,
    )
    session.add(row)
    session.flush()
    return token, row


def resolve_session(
    session: Session, settings: Settings, token: str
) -> Principal | None:
    """The principal of a live session; expires idle and over-age sessions."""
    row = session.get(UserSession, digest(token))
    if row is None or row.ended_at is not None:
        return None
    now = utcnow()
    idle = now - _aware(row.last_seen_at) > timedelta(
        minutes=settings.session_idle_minutes
    )
    old = now - _aware(row.created_at) > timedelta(hours=settings.session_max_hours)
    user = session.get(User, row.user_id)
    if idle or old or user is None or not user.active:
        row.ended_at = now
        return None
    if now - _aware(row.last_seen_at) > LAST_SEEN_RESOLUTION:
        row.last_seen_at = now  # written at most once a minute: a write per request would serialise SQLite
    return Principal(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        org_code=user.org_code,
        via="session",
        csrf_token=row.csrf_token,
    )


def end_session(session: Session, token: str) -> None:
    """Sign out: the session can never be used again."""
    row = session.get(UserSession, digest(token))
    if row is not None and row.ended_at is None:
        row.ended_at = utcnow()


def create_token(
    session: Session, user: User, name: str, scopes: list[str], days: int | None = 90
) -> str:
    """A bearer token for ``user`` limited to ``scopes`` ("capability:action"); shown once."""
    valid = {p.replace(".", ":") for p in policy().permissions}
    unknown = sorted(set(scopes) - valid)
    if unknown:
        raise DefinitionError(
            f"Unknown scope(s) {', '.join(unknown)}; scopes look like organisations:read."
        )
    token = "ta_" + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            name=name,
            token_hash=digest(token),
            user_id=user.id,
            scopes=" ".join(sorted(set(scopes))),
            expires_at=utcnow() + timedelta(days=days) if days else None,
        )
    )
    session.flush()
    return token


def resolve_token(session: Session, token: str) -> Principal | None:
    """The principal of a valid, unexpired, unrevoked bearer token."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
    if (
        row is None
        or row.revoked_at is not None
        or (row.expires_at and _aware(row.expires_at) < utcnow())
    ):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return Principal(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        org_code=user.org_code,
        via="token",
        scopes=frozenset(row.scopes.split()),
        token_name=row.name,
    )


def list_users(session: Session) -> list[User]:
    """Every account, by username."""
    return list(session.scalars(select(User).order_by(User.username)))
