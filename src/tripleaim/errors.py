"""One error hierarchy; each user error maps to a CLI exit code.

Modelled on ehrQL's split between user errors (shown without a traceback) and bugs.
"""

from __future__ import annotations


class TripleaimError(Exception):
    """Base of every error tripleaim raises on purpose."""

    exit_code = 1


class UserError(TripleaimError):
    """A problem the user can fix; shown without a traceback."""

    exit_code = 2


class DefinitionError(UserError):
    """A definition file (YAML) or argument is invalid."""

    exit_code = 10


class LoadError(UserError):
    """An input file was rejected whole (unreadable, wrong header, wrong encoding)."""

    exit_code = 11


class AccessDeniedError(UserError):
    """The caller's role does not allow the action."""

    exit_code = 12


class EngineNotSupportedError(UserError):
    """An engine cannot run an operation; the gap is listed in ``engines/gaps.py``."""

    exit_code = 13


class ConflictError(UserError):
    """The action conflicts with the current state (for example a version mismatch)."""

    exit_code = 14


class NotFoundError(UserError):
    """A named object (table, file, area, quarantine batch) does not exist."""

    exit_code = 15
