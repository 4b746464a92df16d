"""The appointment book's rules (DOMAIN.md, "Care plan and appointment book"). An appointment is refused
outside the opening hours, on a table already taken at any minute of it, when it overlaps another
appointment of the same patient, and (a decompression appointment) without an active course. Cancelled
and no-show appointments hold no slot. Plain Python: no Qt, no database."""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, time

from decomp_desk.domain.errors import DomainError, ValidationError
from decomp_desk.domain.records import record
from decomp_desk.domain.types import Labelled

DEFAULT_MINUTES = 45
MIN_MINUTES, MAX_MINUTES = 5, 240
DEFAULT_TABLE = "Table 1"  # the clinic's one table until it names its own
TABLE_NAME_LIMIT = 60
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class AppointmentStatus(Labelled):
    BOOKED = "booked", "Booked"
    ARRIVED = "arrived", "Arrived"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


# A cancelled or missed appointment leaves its table (and the patient) free.
HOLDS_SLOT = frozenset({AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED, AppointmentStatus.DONE})
# Still to happen: counted against the course's remaining sessions, and reminded.
UPCOMING = frozenset({AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED})


def minute_of(t: time) -> int:
    return t.hour * 60 + t.minute


def clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@record
class Hours:
    opens: time
    closes: time

    def holds(self, start: time, minutes: int) -> bool:
        return minute_of(self.opens) <= minute_of(start) and minute_of(start) + minutes <= minute_of(self.closes)

    @property
    def text(self) -> str:
        return f"{self.opens:%H:%M}-{self.closes:%H:%M}"


@record
class OpeningHours:
    """Hours for Monday .. Sunday; None: closed that day."""

    days: tuple[Hours | None, ...]

    def on(self, day: date) -> Hours | None:
        return self.days[day.weekday()]

    def holds(self, day: date, start: time, minutes: int) -> bool:
        hours = self.on(day)
        return hours is not None and hours.holds(start, minutes)

    def describe_day(self, weekday: int) -> str:
        hours = self.days[weekday]
        return f"{WEEKDAY_NAMES[weekday]} {hours.text if hours else 'closed'}"

    def as_texts(self) -> dict[str, str]:
        """{'mon': '08:00-19:00', ..., 'sun': 'closed'}."""
        return {WEEKDAYS[i]: (h.text if h else "closed") for i, h in enumerate(self.days)}


def _t(text: str) -> time:
    return time.fromisoformat(text)


DEFAULT_HOURS = OpeningHours(tuple([Hours(_t("08:00"), _t("19:00"))] * 5 + [Hours(_t("09:00"), _t("13:00")), None]))
_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def parse_hours(field: str, text: str) -> Hours | None:
    """'08:00-19:00' -> Hours; 'closed' or empty -> None; ValidationError naming `field`."""
    if not text.strip() or text.strip().lower() == "closed":
        return None
    match = _HOURS.match(text)
    if not match:
        raise ValidationError.single(field, f"'{text.strip()}' is not opening hours like 08:00-19:00 (or closed)")
    h1, m1, h2, m2 = map(int, match.groups())
    if not (0 <= h1 <= 23 and 0 <= m1 <= 59 and 0 <= h2 <= 24 and 0 <= m2 <= 59 and (h2 < 24 or m2 == 0)):
        raise ValidationError.single(field, f"'{text.strip()}' is not a time of day")
    opens, closes = time(h1, m1), (time(23, 59) if h2 == 24 else time(h2, m2))
    if closes <= opens:
        raise ValidationError.single(field, f"closes ({closes:%H:%M}) before it opens ({opens:%H:%M})")
    return Hours(opens, closes)


def parse_weekdays(field: str, text: str) -> tuple[int, ...]:
    """'mon,wed,fri' -> (0, 2, 4) (full names accepted too); ValidationError naming `field`."""
    days: list[int] = []
    for part in (p.strip().lower() for p in text.split(",")):
        if not part:
            continue
        index = next((i for i, d in enumerate(WEEKDAYS) if part in (d, WEEKDAY_NAMES[i].lower())), None)
        if index is None:
            raise ValidationError.single(field, f"'{part}' is not a weekday (mon, tue, wed, thu, fri, sat, sun)")
        if index not in days:
            days.append(index)
    if not days:
        raise ValidationError.single(field, "name at least one weekday, e.g. mon,wed,fri")
    return tuple(sorted(days))


@record
class Slot:
    """One appointment as the rules see it. `who` names the patient in a refusal ('Jane Doe (chart 1001)')."""

    day: date
    start: time
    minutes: int
    table: str
    patient: str  # the chart number: who it is, for the same-patient rule
    status: AppointmentStatus = AppointmentStatus.BOOKED
    who: str = ""
    id: int | None = None

    @property
    def first_minute(self) -> int:
        return minute_of(self.start)

    @property
    def end_minute(self) -> int:
        return minute_of(self.start) + self.minutes

    @property
    def span(self) -> str:
        return f"{self.start:%H:%M}-{clock(self.end_minute)}"

    @property
    def holds_slot(self) -> bool:
        return self.status in HOLDS_SLOT

    def overlaps(self, other: Slot) -> bool:
        return (self.day == other.day and self.first_minute < other.end_minute
                and other.first_minute < self.end_minute)

    def describe(self) -> str:
        """'Jane Doe (chart 1001) on Table 1, Mon 2026-03-02 09:00-09:45'."""
        return f"{self.who or 'chart ' + self.patient} on {self.table}, {self.day:%a} {self.day.isoformat()} {self.span}"


class AppointmentRefused(ValidationError):
    """An appointment breaks a rule of the book; `clash` is the appointment it collides with, if any."""

    def __init__(self, field: str, message: str, clash: Slot | None = None):
        super().__init__({field: message})
        self.clash = clash


def validate_fields(start: time | None, minutes: int | None, table: str, tables: Iterable[str]) -> None:
    """The appointment's own fields; every bad one named at once."""
    errors: dict[str, str] = {}
    if start is None:
        errors["start_time"] = "is required"
    if minutes is None or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        errors["minutes"] = f"must be from {MIN_MINUTES} to {MAX_MINUTES}"
    if not table.strip():
        errors["table"] = "is required"
    elif table not in set(tables):
        errors["table"] = f"'{table}' is not one of the clinic's tables ({', '.join(tables)})"
    if errors:
        raise ValidationError(errors)


def clash_of(candidate: Slot, existing: Iterable[Slot]) -> AppointmentRefused | None:
    """The first rule of the book the candidate breaks against the appointments on file (its own record,
    by id, and those that hold no slot are left out), or None."""
    if not candidate.holds_slot:
        return None
    others = [e for e in existing if e.holds_slot and (candidate.id is None or e.id != candidate.id)]
    for other in others:
        if other.table == candidate.table and candidate.overlaps(other):
            return AppointmentRefused("table", f"{candidate.table} is taken: {other.describe()}", other)
    for other in others:
        if other.patient == candidate.patient and candidate.overlaps(other):
            return AppointmentRefused("start_time", f"the patient already has an appointment then: "
                                                    f"{other.describe()}", other)
    return None


def check_appointment(candidate: Slot, existing: Iterable[Slot], hours: OpeningHours,
                      has_active_course: bool) -> None:
    """Raise AppointmentRefused for the first rule broken (hours, table, patient, course), else return.
    A cancelled or no-show appointment is only checked for its fields: it holds nothing."""
    if not candidate.holds_slot:
        return
    if not hours.holds(candidate.day, candidate.start, candidate.minutes):
        day_hours = hours.on(candidate.day)
        when = (f"the clinic is open {day_hours.text} on {WEEKDAY_NAMES[candidate.day.weekday()]}s" if day_hours
                else f"the clinic is closed on {WEEKDAY_NAMES[candidate.day.weekday()]}s")
        raise AppointmentRefused("start_time", f"{candidate.span} on {candidate.day.isoformat()} is outside the "
                                               f"opening hours: {when}")
    clash = clash_of(candidate, existing)
    if clash is not None:
        raise clash
    if not has_active_course and candidate.status is not AppointmentStatus.DONE:
        raise AppointmentRefused("chart_number", f"{candidate.who or 'chart ' + candidate.patient} has no active "
                                                 "course; open a course before booking decompression")


class BookError(DomainError):
    """Booking the course cannot begin (no course, nothing left to book)."""
