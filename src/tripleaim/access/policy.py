"""Authorisation decided in one place: the role x capability x action table, default deny.

The table is data (``definitions/policy.yaml``), validated on load; every route declares
the capability and action it needs and ``allowed`` is the only function that answers.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from tripleaim.errors import DefinitionError

DEFINITIONS = Path(__file__).resolve().parent / "definitions"


class RoleSpec(BaseModel):
    """A role: its title and whether it gives direct care (sees identities)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    title: str
    direct_care: bool


class CapabilitySpec(BaseModel):
    """A capability and the actions on it."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    title: str
    actions: tuple[str, ...]


class Policy(BaseModel):
    """The whole policy table."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    roles: dict[str, RoleSpec]
    capabilities: dict[str, CapabilitySpec]
    grants: dict[str, tuple[str, ...]]

    @model_validator(mode="after")
    def _grants_name_known_things(self) -> Policy:
        known = {
            f"{c}.{a}" for c, spec in self.capabilities.items() for a in spec.actions
        }
        for role, permissions in self.grants.items():
            if role not in self.roles:
                raise ValueError(f"grants: unknown role {role!r}")
            unknown = sorted(set(permissions) - known)
            if unknown:
                raise ValueError(
                    f"grants.{role}: unknown permission(s) {', '.join(unknown)}"
                )
        return self

    @property
    def permissions(self) -> tuple[str, ...]:
        """Every ``capability.action`` pair."""
        return tuple(
            f"{c}.{a}" for c, spec in self.capabilities.items() for a in spec.actions
        )


@functools.cache
def policy() -> Policy:
    """The validated policy table."""
    path = DEFINITIONS / "policy.yaml"
    try:
        return Policy(**yaml.safe_load(path.read_text(encoding="utf-8")))
    except ValueError as exc:
        raise DefinitionError(f"{path.name}: {exc}") from exc


ROLES = tuple(policy().roles)


def allowed(role: str, capability: str, action: str) -> bool:
    """True only when the table grants ``capability.action`` to ``role``."""
    return f"{capability}.{action}" in policy().grants.get(role, ())


def role_title(role: str) -> str:
    """Display title of a role."""
    return policy().roles[role].title
