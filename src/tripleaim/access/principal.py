"""Who is acting: a signed-in person or a machine client's token."""

from __future__ import annotations

from dataclasses import dataclass

from tripleaim.access.policy import allowed


@dataclass(frozen=True)
class Principal:
    """The acting identity, with the permissions it carries."""

    user_id: int
    username: str
    display_name: str
    role: str
    org_code: str
    via: str  # "session" or "token"
    scopes: frozenset[str] | None = None  # token scopes as "capability:action"
    csrf_token: str = ""
    token_name: str = ""

    @property
    def actor(self) -> str:
        """How the audit trail names this principal."""
        return (
            f"{self.username} (token {self.token_name})"
            if self.via == "token"
            else self.username
        )

    def can(self, capability: str, action: str) -> bool:
        """Role grant, narrowed to the token's scopes for machine clients."""
        if not allowed(self.role, capability, action):
            return False
        return self.scopes is None or f"{capability}:{action}" in self.scopes
