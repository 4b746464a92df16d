"""The appointment settings' field rules: the treatment tables' names and the e-mail server's address."""
from __future__ import annotations

from decomp_desk.domain.appointments import TABLE_NAME_LIMIT
from decomp_desk.domain.errors import ValidationError


def validate_tables(names: list[str]) -> list[str]:
    clean = [n.strip() for n in names]
    errors = {}
    if not [n for n in clean if n]:
        errors["tables"] = "name at least one table"
    elif any(not n for n in clean):
        errors["tables"] = "a table needs a name"
    elif len({n.casefold() for n in clean}) != len(clean):
        errors["tables"] = "two tables have the same name"
    elif any(len(n) > TABLE_NAME_LIMIT for n in clean):
        errors["tables"] = f"a table's name must be at most {TABLE_NAME_LIMIT} characters"
    if errors:
        raise ValidationError(errors)
    return clean


def smtp_errors(host: str, port: int, sender: str) -> dict[str, str]:
    errors = {}
    if host.strip() and any(c.isspace() for c in host.strip()):
        errors["smtp_host"] = "a server name has no spaces"
    if not 1 <= port <= 65535:
        errors["smtp_port"] = "must be from 1 to 65535"
    if sender.strip() and "@" not in sender:
        errors["smtp_sender"] = "must be an e-mail address"
    return errors
