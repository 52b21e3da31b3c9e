"""Identity and access: accounts, roles, the policy table, sessions and API tokens."""

from __future__ import annotations

from tripleaim.access.models import ApiToken, LoginAttempt, User, UserSession
from tripleaim.access.policy import ROLES, allowed, policy, role_title
from tripleaim.access.principal import Principal
from tripleaim.access.service import (
    RateLimitedError,
    authenticate,
    create_token,
    create_user,
    end_session,
    list_users,
    resolve_session,
    resolve_token,
    start_session,
)

__all__ = [
    "ROLES",
    "ApiToken",
    "LoginAttempt",
    "Principal",
    "RateLimitedError",
    "User",
    "UserSession",
    "allowed",
    "authenticate",
    "create_token",
    "create_user",
    "end_session",
    "list_users",
    "policy",
    "resolve_session",
    "resolve_token",
    "role_title",
    "start_session",
]
