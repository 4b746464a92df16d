"""`appointments.csv` (DOMAIN.md): chart_number,date,start_time,minutes,table,status. Each row passes the
book's rules (opening hours, a table taken, the same patient twice, an active course for what is still to
happen) against the appointments on file and the file's own earlier rows, so a bad row names what it
clashes with. A row whose patient, date and start time are already on file is skipped when identical and
is a bad row when it differs (a changed appointment is never dropped silently). A table the clinic has not
named yet is added: the clinic brings its tables along when it moves over. Called by services/imports/importing.py
inside the import's one unit of work."""
from __future__ import annotations

from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.domain.appointments import (
    MAX_MINUTES,
    MIN_MINUTES,
    TABLE_NAME_LIMIT,
    AppointmentStatus,
    Slot,
    check_appointment,
)
from decomp_desk.domain.errors import ValidationError
from decomp_desk.services.book_rules import default_minutes, opening_hours, slot_of, table_row
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.courses import active_course


class AppointmentImport:
    def __init__(self, ctx: ServiceContext, s: Session):
        self.ctx, self.s = ctx, s
        self.hours = opening_hours(s)
        self.minutes = default_minutes(s)
        self.by_day: dict[date, list[Slot]] = {}
        self.on_file: dict[tuple[str, date, time], Slot] = {}
        self.courses: dict[int, int | None] = {}

    def _day(self, day: date) -> list[Slot]:
        if day not in self.by_day:
            rows = self.s.scalars(select(m.Appointment).where(m.Appointment.date == day))
            self.by_day[day] = [slot_of(a) for a in rows]
            for slot in self.by_day[day]:
                self.on_file[(slot.patient, slot.day, slot.start)] = slot
        return self.by_day[day]

    def _course(self, patient_id: int) -> int | None:
        if patient_id not in self.courses:
            c = active_course(self.s, patient_id)
            self.courses[patient_id] = c.id if c else None
        return self.courses[patient_id]

    def take(self, line: int, chart: str, patient_id: int | None, row: tuple) -> tuple | None:
        """The row to write (or None: already on file); ValidationError naming the field otherwise.
        `patient_id` is None when an earlier bad row kept the patient from being written: the rules that
        need the patient's course are then left unjudged."""
        day, start, minutes, table, status = row
        minutes = minutes if minutes is not None else self.minutes
        existing = self._day(day)
        same = self.on_file.get((chart, day, start))
        if same is not None:
            if (same.minutes, same.table, same.status) == (minutes, table, status):
                return None
            raise ValidationError.single("start_time", f"chart {chart} already has an appointment on {day.isoformat()} "
                                                       f"at {start:%H:%M} ({same.table}, {same.minutes} minutes, "
                                                       f"{same.status.value}) that differs from this row")
        slot = Slot(day, start, minutes, table, chart, status, f"chart {chart} (line {line})")
        has_course = True if patient_id is None else self._course(patient_id) is not None
        check_appointment(slot, existing, self.hours, has_course)
        existing.append(slot)
        self.on_file[(chart, day, start)] = slot
        return (chart, day, start, minutes, table, status)

    def write(self, rows: list[tuple], patient_ids: dict[str, int]) -> None:
        for chart, day, start, minutes, table, status in rows:
            pid = patient_ids[chart]
            a = m.Appointment(patient_id=pid, course_id=self._course(pid),
                              table_id=table_row(self.ctx, self.s, table, add_unknown=True).id, date=day,
                              start_time=start, minutes=minutes, status=status, notes="")
            self.ctx.stamp(a, new=True)
            self.s.add(a)
        self.s.flush()


def appointment_row(cells: dict[str, str], parse_date, parse_time, parse_int, status_choice) -> tuple:
    """(date, start_time, minutes or None, table, status) of one row; every bad cell named."""
    errors: dict[str, str] = {}
    values = {}
    for name, parse in (("date", parse_date), ("start_time", parse_time)):
        try:
            values[name] = parse(name, cells[name])
        except ValidationError as e:
            errors.update(e.errors)
    minutes = None
    if cells["minutes"].strip():
        try:
            minutes = parse_int("minutes", cells["minutes"])
            if not MIN_MINUTES <= minutes <= MAX_MINUTES:
                errors["minutes"] = f"must be from {MIN_MINUTES} to {MAX_MINUTES}"
        except ValidationError as e:
            errors.update(e.errors)
    table = cells["table"].strip()
    if not table:
        errors["table"] = "is required"
    elif len(table) > TABLE_NAME_LIMIT:
        errors["table"] = f"must be at most {TABLE_NAME_LIMIT} characters"
    status = AppointmentStatus.BOOKED
    if cells["status"].strip():
        try:
            status = status_choice("status", cells["status"])
        except ValidationError as e:
            errors.update(e.errors)
    if not cells.get("chart_number", "").strip():
        errors["chart_number"] = "is required"
    if errors:
        raise ValidationError(errors)
    return values["date"], values["start_time"], minutes, table, status
