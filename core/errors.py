"""Domain errors.

Each error carries a message a person can act on and, where it applies, the
field it concerns. The HTTP layer turns them into RFC 9457 problem responses
and the CLI into one plain line; neither needs to know the details.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the core raises on purpose."""

    title = "Domain rule violated"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InvalidValue(DomainError, ValueError):
    """A value does not have the form the domain requires (a CPR, a KLE number, ...).

    It is also a :class:`ValueError`, so pydantic validators can raise it directly.
    """

    title = "Invalid value"


class NotFound(DomainError):
    """A referenced entity does not exist in the caller's municipality."""

    title = "Not found"


class Conflict(DomainError):
    """The request contradicts what is already stored (a reused idempotency key, ...)."""

    title = "Conflict"


class NotAllowed(DomainError):
    """The caller may not do this (wrong municipality, missing scope, ...)."""

    title = "Not allowed"


class PayloadRejected(DomainError):
    """Submitted content was refused: too large, hostile, or not what it claims to be."""

    title = "Payload rejected"
