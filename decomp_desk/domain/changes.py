"""What an edit changed, in words for the audit trail: each changed field with its value before and
after ("phone: 555-0101 -> 555-0199"), so "update patient" says what was updated."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MAX_VALUE = 60  # a long note is cut, so one line of the audit trail stays one line


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    text = " ".join(str(getattr(value, "value", value)).split())
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE - 1] + "…"


def describe_changes(before: Mapping[str, Any], after: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    """'last name: Whit -> White; phone: 555-0101 -> 555-0199', in the order of `labels`; '' if nothing changed."""
    parts = [f"{label}: {_shown(before.get(name))} -> {_shown(after.get(name))}"
             for name, label in labels.items() if before.get(name) != after.get(name)]
    return "; ".join(parts)
