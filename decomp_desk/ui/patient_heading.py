"""Whose chart is open, said so it cannot be missed: the name with the date of birth and the age (two
patients called James Whit... differ there), then the chart number."""
from __future__ import annotations

from datetime import date


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def heading(last_name: str, first_name: str, born: date | None, today: date) -> str:
    """`Whitaker, James · born Apr 3, 1961 (65)`; without a date of birth, `date of birth not recorded`."""
    when = (f"born {born:%b} {born.day}, {born.year} ({age_on(born, today)})" if born is not None
            else "date of birth not recorded")
    return f"{last_name}, {first_name} · {when}"
