"""Password hashing with argon2id (OWASP Password Storage Cheat Sheet's first choice)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash("timing-equaliser-not-a-password")

MIN_LENGTH = 12


def hash_password(password: str) -> str:
    """An argon2id hash with a fresh salt."""
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check ``password``; an unknown user still costs one verification (no timing oracle)."""
    try:
        return (
            _HASHER.verify(password_hash or _DUMMY, password)
            and password_hash is not None
        )
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
