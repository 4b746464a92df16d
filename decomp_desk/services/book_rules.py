"""What the appointment book's rules need from the database, inside the caller's unit of work: the
clinic's tables, its opening hours, the default length, the appointments of a day as the rules see
them, and the checks every appointment passes before it is written (the desk, `book`, the import)."""
from __future__ import annotations

from datetime import date, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.db.repositories import book_settings_row
from decomp_desk.domain.appointments import (
    DEFAULT_HOURS,
    DEFAULT_MINUTES,
    DEFAULT_TABLE,
    UPCOMING,
    AppointmentStatus,
    Hours,
    OpeningHours,
    Slot,
    check_appointment,
)
from decomp_desk.domain.errors import ValidationError
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.courses import active_course


def table_rows(s: Session) -> list[m.ClinicTable]:
    return list(s.scalars(select(m.ClinicTable).where(m.ClinicTable.active.is_(True))
                          .order_by(m.ClinicTable.position, m.ClinicTable.id)))


def table_names(s: Session) -> list[str]:
    """The clinic's tables in its order; a clinic that never named them has one, 'Table 1'."""
    names = [t.name for t in table_rows(s)]
    return names or [DEFAULT_TABLE]


def table_row(ctx: ServiceContext, s: Session, name: str, *, add_unknown: bool = False) -> m.ClinicTable:
    """The table called `name`. The default table of a clinic that never named its tables is made when
    first used; with `add_unknown` (the import of a clinic moving over) any new name is added."""
    row = s.scalar(select(m.ClinicTable).where(m.ClinicTable.name == name))
    if row is not None and row.active:
        return row
    if row is None and (add_unknown or (name == DEFAULT_TABLE and not table_rows(s))):
        position = (s.scalar(select(func.max(m.ClinicTable.position))) or 0) + 1
        row = m.ClinicTable(name=name, position=position, active=True)
        ctx.stamp(row, new=True)
        s.add(row)
        s.flush()
        ctx.audit(s, "create", "table", row.id, "", name)
        return row
    raise ValidationError.single("table", f"'{name}' is not one of the clinic's tables ({', '.join(table_names(s))})")


def opening_hours(s: Session) -> OpeningHours:
    rows = {r.weekday: r for r in s.scalars(select(m.OpeningHoursRow))}
    if not rows:
        return DEFAULT_HOURS
    return OpeningHours(tuple(Hours(r.opens, r.closes) if r is not None and r.opens and r.closes else None
                              for r in (rows.get(i) for i in range(7))))


def default_minutes(s: Session) -> int:
    row = book_settings_row(s)
    return row.appointment_minutes if row is not None else DEFAULT_MINUTES


def patient_label(p: m.Patient) -> str:
    return f"{p.first_name} {p.last_name} (chart {p.chart_number})"


def slot_of(a: m.Appointment) -> Slot:
    return Slot(a.date, a.start_time, a.minutes, a.table.name, a.patient.chart_number, a.status,
                patient_label(a.patient), a.id)


def slots_on(s: Session, day: date) -> list[Slot]:
    rows = s.scalars(select(m.Appointment).where(m.Appointment.date == day)
                     .order_by(m.Appointment.start_time, m.Appointment.id))
    return [slot_of(a) for a in rows]


def slots_between(s: Session, first: date, last: date) -> list[Slot]:
    rows = s.scalars(select(m.Appointment).where(m.Appointment.date >= first, m.Appointment.date <= last))
    return [slot_of(a) for a in rows]


def check_slot(s: Session, patient: m.Patient, day: date, start: time, minutes: int, table: str,
               status: AppointmentStatus, own_id: int | None = None, *, course_required: bool = True) -> m.Course | None:
    """Every rule of the book against what is on file; returns the patient's active course (or None)."""
    course = active_course(s, patient.id)
    candidate = Slot(day, start, minutes, table, patient.chart_number, status, patient_label(patient), own_id)
    check_appointment(candidate, slots_on(s, day), opening_hours(s), course is not None or not course_required)
    return course


def upcoming_for_course(s: Session, course_id: int) -> int:
    """Appointments of the course still to happen: they count against its remaining sessions. One whose
    day already has a session of the course (recorded from the patient's page rather than from the
    appointment) is not counted twice."""
    a, ts = m.Appointment, m.TreatmentSession
    recorded = select(ts.id).where(ts.course_id == course_id, ts.date == a.date).exists()
    return s.scalar(select(func.count()).select_from(a).where(
        a.course_id == course_id, a.status.in_(list(UPCOMING)), ~recorded)) or 0

