"""Book the course (DOMAIN.md, "Care plan and appointment book"): from a first day, on the chosen
weekdays at one time, on a preferred table, the course's remaining sessions are booked one per chosen
day; where that table is taken, another free table at the same time (in the clinic's order); where none
is free, or the clinic is closed, the next chosen day. Nothing is double-booked: each placement joins the
appointments the next one is checked against. Plain Python: no Qt, no database."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, time, timedelta

from decomp_desk.domain.appointments import (
    WEEKDAY_NAMES,
    AppointmentRefused,
    AppointmentStatus,
    OpeningHours,
    Slot,
    clash_of,
)
from decomp_desk.domain.records import record

HORIZON_DAYS = 366  # a course never runs past a year: what is not placed by then is reported, not booked


@record
class Skipped:
    day: date
    reason: str

    def describe(self) -> str:
        return f"{self.day:%a} {self.day.isoformat()}: {self.reason}"


@record
class CourseBooking:
    placed: tuple[Slot, ...]
    skipped: tuple[Skipped, ...]  # chosen days on which nothing could be placed, and why
    unplaced: int  # sessions left over when the horizon was reached

    @property
    def count(self) -> int:
        return len(self.placed)


def book_course(*, patient: str, who: str, first_day: date, weekdays: Iterable[int], at: time, minutes: int,
                preferred_table: str, tables: Sequence[str], hours: OpeningHours, existing: Iterable[Slot],
                remaining: int, horizon_days: int = HORIZON_DAYS) -> CourseBooking:
    """Where the course's `remaining` sessions go. `existing` are the appointments on file (the book's
    and the patient's); those that hold no slot are ignored. A day on which the patient already has an
    appointment that holds a slot is skipped (one visit per chosen day)."""
    chosen = frozenset(weekdays)
    order = [preferred_table] + [t for t in tables if t != preferred_table]
    booked = [e for e in existing if e.holds_slot]
    placed: list[Slot] = []
    skipped: list[Skipped] = []
    day = first_day
    last = first_day + timedelta(days=horizon_days)
    while len(placed) < remaining and day <= last:
        if day.weekday() in chosen:
            slot, reason = _place(patient, who, day, at, minutes, order, hours, booked)
            if slot is None:
                skipped.append(Skipped(day, reason))
            else:
                placed.append(slot)
                booked.append(slot)
        day += timedelta(days=1)
    return CourseBooking(tuple(placed), tuple(skipped), max(0, remaining - len(placed)))


def _place(patient: str, who: str, day: date, at: time, minutes: int, order: list[str], hours: OpeningHours,
           booked: list[Slot]) -> tuple[Slot | None, str]:
    if not hours.holds(day, at, minutes):
        h = hours.on(day)
        return None, (f"the clinic is open {h.text} on {WEEKDAY_NAMES[day.weekday()]}s" if h
                      else f"the clinic is closed on {WEEKDAY_NAMES[day.weekday()]}s")
    own = next((b for b in booked if b.patient == patient and b.day == day), None)
    if own is not None:
        return None, f"the patient already has an appointment that day ({own.describe()})"
    refusals: list[AppointmentRefused] = []
    for table in order:
        slot = Slot(day, at, minutes, table, patient, AppointmentStatus.BOOKED, who)
        refused = clash_of(slot, booked)
        if refused is None:
            return slot, ""
        refusals.append(refused)
    taken = "; ".join(r.clash.describe() if r.clash else str(r) for r in refusals)
    return None, f"every table is taken at {at:%H:%M} ({taken})"
