"""What services raise when a request cannot be carried out. They know nothing of HTTP: errors.py
maps each kind to an answer, so a domain's own exceptions subclass one of these and need no
handler of their own."""

from __future__ import annotations

from collections.abc import Sequence


class ServiceError(Exception):
    """A failure the caller can act on. `facts` travel to the client beside the message."""

    def __init__(self, message: str, **facts: str | int) -> None:
        super().__init__(message)
        self.facts = facts


class NotFoundError(ServiceError):
    """The resource the caller named does not exist (or not in its tenant)."""

    def __init__(self, resource: str, key: object) -> None:
        super().__init__(f"{resource} {key} not found")


class ConflictError(ServiceError):
    """The request is valid but the resource's current state does not allow it."""


class InvalidInputError(ServiceError):
    """The request is well-formed but a value breaks a rule that only the service can check;
    `location` names the value as FastAPI's validation errors do (`("body", "lines")`)."""

    def __init__(self, message: str, *, location: Sequence[str | int] = ("body",)) -> None:
        super().__init__(message)
        self.location = tuple(location)
