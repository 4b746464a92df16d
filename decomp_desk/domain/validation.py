"""Field rules for what people type: refused (with the field named) versus merely flagged."""
from __future__ import annotations

import re
from dataclasses import field
from datetime import date, time
from decimal import Decimal, InvalidOperation

from decomp_desk.domain.addresses import address_errors
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.records import record
from decomp_desk.domain.types import (
    SCORE_NAMES,
    AdverseEvent,
    Position,
    Scores,
    TableMode,
)

USUAL_MIN_DURATION = 30
USUAL_MAX_DURATION = 45
MAX_DURATION = 120
MAX_SCORE = 10
MAX_FORCE_LB = 500  # no decompression table pulls more; larger is a typing slip
MAX_SETTING = 10_000  # seconds, steps or cycles


@record
class SessionInput:
    """Everything the session form (or an import row) supplies for one session."""

    date: date
    start_time: time | None
    duration_min: int
    position: Position
    before: Scores
    after: Scores | None = None
    harness: bool = True
    max_force_lb: Decimal | None = None
    mode: TableMode | None = None
    min_force_lb: Decimal | None = None
    hold_s: int | None = None
    rest_s: int | None = None
    progressive_steps: int | None = None
    regressive_steps: int | None = None
    cycles: int | None = None
    angle_deg: Decimal | None = None
    stop_button: bool = False
    stop_minute: int | None = None
    adverse_events: frozenset[AdverseEvent] = field(default_factory=frozenset)
    adverse_notes: str = ""
    notes: str = ""
    clinician: str = ""


def _check_score(errors: dict[str, str], name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        errors[name] = "must be a whole number from 0 to 10"
    elif not 0 <= value <= MAX_SCORE:
        errors[name] = f"must be from 0 to 10, not {value}"


def _finite(value: object) -> bool:
    """False for NaN and infinity, which would otherwise crash (NaN) or pass (inf) the range checks."""
    return not isinstance(value, (Decimal, float)) or Decimal(value).is_finite()


def validate_session(s: SessionInput, today: date) -> tuple[str, ...]:
    """Raise ValidationError naming every refused field; return the flags (allowed but unusual)."""
    errors: dict[str, str] = {}
    if s.date is None:
        errors["date"] = "is required"
    elif s.date > today:
        errors["date"] = f"{s.date.isoformat()} is in the future"
    if isinstance(s.duration_min, bool) or not isinstance(s.duration_min, int):
        errors["duration_min"] = "must be a whole number of minutes"
    elif s.duration_min <= 0:
        errors["duration_min"] = "must be more than 0 minutes"
    elif s.duration_min > MAX_DURATION:
        errors["duration_min"] = f"must be at most {MAX_DURATION} minutes, not {s.duration_min}"
    for name in SCORE_NAMES:
        _check_score(errors, f"{name}_before", getattr(s.before, name))
        if s.after is not None:
            _check_score(errors, f"{name}_after", getattr(s.after, name))
    for name in ("max_force_lb", "min_force_lb"):
        value = getattr(s, name)
        if value is not None and not _finite(value):
            errors[name] = "must be a number"
        elif value is not None and value < 0:
            errors[name] = "must not be negative"
        elif value is not None and value > MAX_FORCE_LB:
            errors[name] = f"must be at most {MAX_FORCE_LB} lb"
    if (s.max_force_lb is not None and s.min_force_lb is not None
            and "max_force_lb" not in errors and "min_force_lb" not in errors
            and s.min_force_lb > s.max_force_lb):
        errors["min_force_lb"] = "must not be more than the maximum force"
    for name in ("hold_s", "rest_s", "progressive_steps", "regressive_steps", "cycles"):
        value = getattr(s, name)
        if value is not None and value < 0:
            errors[name] = "must not be negative"
        elif value is not None and value > MAX_SETTING:
            errors[name] = f"must be at most {MAX_SETTING}"
    if s.angle_deg is not None and not (_finite(s.angle_deg) and Decimal(-90) <= s.angle_deg <= Decimal(90)):
        errors["angle_deg"] = "must be between -90 and 90 degrees"
    if s.stop_minute is not None:
        if not s.stop_button:
            errors["stop_minute"] = "is only recorded when the stop button was pressed"
        elif s.stop_minute < 0:
            errors["stop_minute"] = "must not be negative"
        elif isinstance(s.duration_min, int) and s.stop_minute > s.duration_min:
            errors["stop_minute"] = "must fall within the session's duration"
    if errors:
        raise ValidationError(errors)
    return session_flags(s)


def session_flags(s: SessionInput) -> tuple[str, ...]:
    flags = []
    if not USUAL_MIN_DURATION <= s.duration_min <= USUAL_MAX_DURATION:
        flags.append(f"duration {s.duration_min} min is outside the usual 30 to 45 minutes")
    return tuple(flags)


def duration_flagged(minutes: int) -> bool:
    return not USUAL_MIN_DURATION <= minutes <= USUAL_MAX_DURATION


# --- small parsers shared by the import, the command line and the desk's forms -------------

_CHART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_/.]{0,31}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+()\-.\s x]{7,25}$")


def parse_date(field_name: str, text: str) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise ValidationError.single(field_name, f"{text!r} is not a date like 2026-03-02") from None


def parse_time(field_name: str, text: str) -> time:
    t = (text or "").strip()
    if not re.fullmatch(r"\d{1,2}:\d{2}", t):
        raise ValidationError.single(field_name, f"{text!r} is not a time like 09:30")
    hh, mm = (int(x) for x in t.split(":"))
    if hh > 23 or mm > 59:
        raise ValidationError.single(field_name, f"{text!r} is not a time like 09:30")
    return time(hh, mm)


MAX_NUMBER_CHARS = 30  # no figure the clinic records is longer; thousands of digits are a slip, not a number


def _too_long_a_number(field_name: str, t: str) -> None:
    if len(t) > MAX_NUMBER_CHARS:
        raise ValidationError.single(field_name, f"{t[:12]}... ({len(t):,} characters) is not a number "
                                                 "the clinic could have recorded")


def parse_int(field_name: str, text: str) -> int:
    t = (text or "").strip()
    _too_long_a_number(field_name, t)
    if not re.fullmatch(r"-?\d+", t):
        raise ValidationError.single(field_name, f"{text!r} is not a whole number" if t else "is required")
    return int(t)


def parse_decimal(field_name: str, text: str) -> Decimal:
    t = (text or "").strip().replace(",", "")
    _too_long_a_number(field_name, t)
    try:
        value = Decimal(t)
    except InvalidOperation:
        raise ValidationError.single(field_name, f"{text!r} is not a number" if t else "is required") from None
    if not value.is_finite():
        raise ValidationError.single(field_name, f"{text!r} is not a number")
    return value


def parse_yes_no(field_name: str, text: str) -> bool:
    t = (text or "").strip().lower()
    if t in ("yes", "y", "true", "1"):
        return True
    if t in ("no", "n", "false", "0"):
        return False
    raise ValidationError.single(field_name, f"{text!r} is not yes or no")


@record
class PatientInput:
    chart_number: str
    first_name: str
    last_name: str
    date_of_birth: date | None = None
    sex: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    insurer: str = ""
    policy_number: str = ""
    notes: str = ""
    city: str = ""  # the address in parts: `address` is the street (domain/addresses.py)
    state: str = ""
    zip_code: str = ""


PATIENT_TEXT_LIMITS = {"first_name": 100, "last_name": 100, "email": 200, "address": 400, "insurer": 120,
                       "policy_number": 80}


def validate_patient(p: PatientInput, today: date) -> PatientInput:
    """Raise ValidationError naming every bad field; return the input with whitespace trimmed."""
    errors: dict[str, str] = {}
    chart = (p.chart_number or "").strip()
    if not chart:
        errors["chart_number"] = "is required"
    elif not _CHART.match(chart):
        errors["chart_number"] = "may hold letters, digits and - _ / . (at most 32)"
    if not (p.first_name or "").strip():
        errors["first_name"] = "is required"
    if not (p.last_name or "").strip():
        errors["last_name"] = "is required"
    if p.date_of_birth is not None:
        if p.date_of_birth > today:
            errors["date_of_birth"] = "is in the future"
        elif p.date_of_birth.year < 1900:
            errors["date_of_birth"] = "is before 1900"
    if p.sex and p.sex not in ("F", "M", "X"):
        errors["sex"] = "must be F, M, X or empty"
    if p.email.strip() and len(p.email.strip()) <= PATIENT_TEXT_LIMITS["email"] and not _EMAIL.match(p.email.strip()):
        errors["email"] = f"{p.email[:40]!r} is not an email address"
    if p.phone.strip() and not _PHONE.match(p.phone.strip()):
        errors["phone"] = f"{p.phone[:40]!r} is not a phone number"
    for name, most in PATIENT_TEXT_LIMITS.items():  # the database's column widths: refused, never a crash
        value = (getattr(p, name) or "").strip()
        if len(value) > most and name not in errors:
            errors[name] = f"is {len(value):,} characters long; at most {most} fit"
    errors.update(address_errors(p.city or "", p.state or "", p.zip_code or ""))
    if errors:
        raise ValidationError(errors)
    return PatientInput(
        chart_number=chart, first_name=p.first_name.strip(), last_name=p.last_name.strip(),
        date_of_birth=p.date_of_birth, sex=p.sex, phone=p.phone.strip(), email=p.email.strip(),
        address=p.address.strip(), insurer=p.insurer.strip(), policy_number=p.policy_number.strip(),
        notes=p.notes, city=(p.city or "").strip(), state=(p.state or "").strip(), zip_code=(p.zip_code or "").strip(),
    )
