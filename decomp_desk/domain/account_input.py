"""What the account forms supply (a user name, a full name, roles, a password) and the rules they must
pass before any account is read: the desk's dialogs check them as they are typed, the services again on
save."""
from __future__ import annotations

import re
from collections.abc import Iterable

from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.passwords import password_problem
from decomp_desk.domain.types import Role

MAX_FULL_NAME = 200
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,79}$")


def normalize_username(username: str) -> str:
    return (username or "").strip().lower()


def parse_roles(roles: Iterable[Role | str], errors: dict[str, str]) -> frozenset[Role]:
    chosen = set()
    for r in roles or ():
        try:
            chosen.add(r if isinstance(r, Role) else Role.parse(str(r)))
        except ValueError as e:
            errors["roles"] = str(e)
    if not chosen and "roles" not in errors:
        errors["roles"] = "choose at least one: administrator, clinician or front desk"
    return frozenset(chosen)


def password_errors(password: str, username: str, field: str = "password") -> dict[str, str]:
    """The password rules (domain/passwords.py: at least 12 characters, not a common password, not the
    user name), the refusal naming the field."""
    problem = password_problem(password, normalize_username(username))
    return {field: problem} if problem else {}


def validate_account(username: str, full_name: str, roles: Iterable[Role | str] | None,
                     password: str | None) -> tuple[str, str, frozenset[Role]]:
    """Raise ValidationError naming every bad field; return (username, full name, roles) cleaned.
    `roles` None or `password` None: not being set, so not checked."""
    errors: dict[str, str] = {}
    name = normalize_username(username)
    if not name:
        errors["username"] = "is required"
    elif not _USERNAME.match(name):
        errors["username"] = "may hold letters, digits and . _ - @ (at most 80, starting with a letter or digit)"
    full = " ".join((full_name or "").split())
    if len(full) > MAX_FULL_NAME:
        errors["full_name"] = f"must be at most {MAX_FULL_NAME} characters"
    chosen = parse_roles(roles, errors) if roles is not None else frozenset()
    if password is not None:
        errors.update(password_errors(password, name))
    if errors:
        raise ValidationError(errors)
    return name, full, chosen
