"""What a rule says when it refuses: plain sentences a person can act on."""
from __future__ import annotations


class DomainError(Exception):
    """A clinic rule refused an action. str(error) is a sentence fit for a message box."""


class ValidationError(DomainError):
    """One or more fields are wrong; `errors` maps each field name to what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{name.replace('_', ' ')}: {msg}" for name, msg in self.errors.items()))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationError:
        return cls({field: message})


class NotCleared(DomainError):
    """A session was asked for a patient whom the screening rules do not clear on that date."""

    def __init__(self, reasons: tuple[str, ...], when: object = None, message: str | None = None):
        self.reasons = tuple(reasons)
        on = f" on {when}" if when else ""
        super().__init__(message or
                         f"The patient is not cleared for decompression{on}: " + "; ".join(self.reasons) + ".")


class NotFound(DomainError):
    pass


class Conflict(DomainError):
    """Someone else saved the same record first; nothing was overwritten."""


class PermissionDenied(DomainError):
    pass


class AuthenticationFailed(DomainError):
    pass
