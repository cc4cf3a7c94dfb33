"""Domain errors: each says, in the domain's words, why a move was refused."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every refusal by the domain."""

    def __init__(self, reason: str, *, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


class IllegalMove(DomainError):
    """The complaint's state does not allow this command (HTTP 409)."""


class InvalidCommand(DomainError):
    """The command's data breaks a rule of the domain (HTTP 422); names the field."""


class Forbidden(DomainError):
    """The caller's role or scope does not allow this command (HTTP 403)."""


class NotFound(DomainError):
    """No such complaint, or none the caller may see (HTTP 404)."""


class VersionConflict(DomainError):
    """The caller's expected version is not the current one (HTTP 409)."""

    def __init__(self, reason: str, *, current_version: int) -> None:
        super().__init__(reason)
        self.current_version = current_version


class StaleDecision(DomainError):
    """The directory changed between a decision and its saving: nothing was saved. The
    command is decided again on the new directory; if it keeps changing (a load in
    progress), the caller is asked to try again shortly (HTTP 503)."""
