"""Postal addresses and phone numbers as the desk and the printed pages show them.

An address is kept in parts (street, city, state, ZIP) so that a statement prints where to send it
("44 Oak Ave" alone was not an address); the street may hold two lines (a suite). Records from before
the parts existed hold the whole address in the street, and print as they were.

Phone numbers are kept as typed (the import and the export hand them back unchanged) and shown in one
format: a ten-digit North American number as (217) 555-0142; anything else as typed."""
from __future__ import annotations

import re

STATE_MAX, CITY_MAX = 40, 100
_ZIP = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]{1,10}$")  # 62704, 62704-1234, or a postal code abroad
_DIGITS = re.compile(r"\d")


def address_lines(street: str, city: str = "", state: str = "", zip_code: str = "") -> list[str]:
    """['44 Oak Ave', 'Springfield, IL 62704']; only the parts given."""
    lines = [line.strip() for line in (street or "").splitlines() if line.strip()]
    place = ", ".join(p for p in ((city or "").strip(), " ".join(
        p for p in ((state or "").strip(), (zip_code or "").strip()) if p)) if p)
    if place:
        lines.append(place)
    return lines


def mailing_address(street: str, city: str = "", state: str = "", zip_code: str = "") -> str:
    """The address as lines separated by newlines (what the printed pages take)."""
    return "\n".join(address_lines(street, city, state, zip_code))


def address_errors(city: str, state: str, zip_code: str) -> dict[str, str]:
    """Each bad part, by its field name."""
    errors: dict[str, str] = {}
    if len(city.strip()) > CITY_MAX:
        errors["city"] = f"is longer than {CITY_MAX} characters"
    if len(state.strip()) > STATE_MAX:
        errors["state"] = f"is longer than {STATE_MAX} characters"
    if zip_code.strip() and not _ZIP.match(zip_code.strip()):
        errors["zip_code"] = f"{zip_code.strip()!r} is not a ZIP code (62704 or 62704-1234)"
    return errors


def display_phone(phone: str) -> str:
    """'(217) 555-0142' for 217-555-0142, 2175550142, +1 217 555 0142; an extension or a number from
    abroad as typed."""
    text = (phone or "").strip()
    digits = "".join(_DIGITS.findall(text))
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) == 10 and not re.search(r"[A-Za-z]", text):
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return text
