"""The appointment book: booking, moving, cancelling, arrivals, booking a whole course, the day and the
week as the desk and `day` show them, and recording a session from an appointment. Each action is one
unit of work; each returns plain data (services/book_dto.py)."""
from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.db.repositories import (
    check_version,
    course_rows,
    load_appointment,
    load_course,
    load_patient,
    session_count,
    settings_row,
)
from decomp_desk.db.schedule_models import Appointment
from decomp_desk.domain.appointments import (
    AppointmentStatus,
    BookError,
    validate_fields,
)
from decomp_desk.domain.booking import book_course
from decomp_desk.domain.care_plan import parse_plan, track
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.op_changes import Changes, with_changes
from decomp_desk.domain.types import CourseStatus, Role
from decomp_desk.domain.validation import SessionInput, validate_session
from decomp_desk.services import book_dto as bd
from decomp_desk.services import dto
from decomp_desk.services.book_rules import (
    check_slot,
    default_minutes,
    opening_hours,
    patient_label,
    slots_between,
    table_names,
    table_row,
    upcoming_for_course,
)
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.courses import active_course
from decomp_desk.services.row_mapping import appointment_view

BOOKERS = (Role.FRONT_DESK, Role.CLINICIAN, Role.ADMINISTRATOR)


def outcome_form_due(session_number: int, planned: int) -> bool:
    """DOMAIN.md's re-exam cadence: a form is due at session 1, every 10th and the last planned one."""
    return session_number == 1 or session_number % 10 == 0 or session_number == planned


def _sorted_views(rows) -> list[bd.AppointmentView]:
    return sorted((appointment_view(a) for a in rows), key=lambda v: (v.start_time, v.table, v.id))


def booked(a: Appointment) -> bd.AppointmentView:
    """The appointment a write left, with what it changed: the book, and the patient's attendance."""
    return with_changes(appointment_view(a), Changes(a.patient_id, appointments=True, ids=(a.id,)))


class AppointmentService:
    def __init__(self, ctx: ServiceContext):
        self.ctx = ctx

    # --- reading -----------------------------------------------------------------------------------------

    def day(self, day: date, *, detail: bool = False) -> bd.DayBook:
        """The day's appointments by time, then table. With `detail` (the desk's Today), each row also says
        whether its session is recorded, the visit tracker, whether an outcome form is due, the balance."""
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            return self._day(s, day, detail)

    def week(self, monday: date) -> list[bd.DayBook]:
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            return [self._day(s, monday + timedelta(days=i), False) for i in range(7)]

    def _day(self, s: Session, day: date, detail: bool) -> bd.DayBook:
        rows = s.scalars(select(m.Appointment).where(m.Appointment.date == day))
        views = _sorted_views(rows)
        tables = table_names(s)
        tables += sorted({v.table for v in views} - set(tables))  # a table since retired keeps its column
        today_rows = tuple(self._today_row(s, v) if detail else bd.TodayRow(v, v.session_id is not None, None,
                                                                              False, Decimal(0), False)
                           for v in views)
        return bd.DayBook(day, tuple(tables), opening_hours(s).on(day), today_rows)

    def _today_row(self, s: Session, v: bd.AppointmentView) -> bd.TodayRow:
        from decomp_desk.services.billing import BillingService  # the money rules only where they are shown

        patient = s.get(m.Patient, v.patient_id)
        course = s.get(m.Course, v.course_id) if v.course_id else active_course(s, v.patient_id)
        recorded_that_day = False
        tracker, due = None, False
        if course is not None:
            dates = list(s.scalars(select(m.TreatmentSession.date).where(m.TreatmentSession.course_id == course.id)))
            recorded_that_day = v.date in dates
            tracker = track(parse_plan(course.plan), course.start_date, dates, v.date)
            number = len([d for d in dates if d < v.date]) + 1
            due = outcome_form_due(number, course.planned_sessions)
        balance = BillingService(self.ctx)._account(s, patient).balance
        return bd.TodayRow(v, v.session_id is not None or recorded_that_day, tracker, due,
                           max(balance, Decimal(0)), bool(patient.email.strip()))

    def day_sheet(self, day: date):
        """(the day with every detail, the letterhead, the paper size) for the printed day sheet; audited."""
        from decomp_desk.services.billing import letterhead

        self.ctx.require_signed_in()
        with self.ctx.unit_of_work() as s:
            book = self._day(s, day, True)
            settings = settings_row(s)
            self.ctx.audit(s, "print", "day_sheet", None, "", day.isoformat())
            return book, letterhead(settings), settings.paper_size

    def clinic_attendance(self, first: date | None = None, last: date | None = None) -> dict[str, int]:
        """Appointments, no-shows and cancellations of the period (for the clinic's outcome report)."""
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            q = select(m.Appointment.status, func.count()).group_by(m.Appointment.status)
            if first is not None:
                q = q.where(m.Appointment.date >= first)
            if last is not None:
                q = q.where(m.Appointment.date <= last)
            counts = dict(s.execute(q).all())
        return {"appointments": sum(counts.values()), "no_shows": counts.get(AppointmentStatus.NO_SHOW, 0),
                "cancellations": counts.get(AppointmentStatus.CANCELLED, 0)}

    def for_patient(self, patient_id: int) -> list[bd.AppointmentView]:
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            rows = s.scalars(select(m.Appointment).where(m.Appointment.patient_id == patient_id)
                             .order_by(m.Appointment.date, m.Appointment.start_time))
            return [appointment_view(a) for a in rows]

    def get(self, appointment_id: int) -> bd.AppointmentView:
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            return appointment_view(load_appointment(s, appointment_id))

    def attendance(self, patient_id: int) -> bd.Attendance:
        """No-shows and cancellations of the patient, counted over all courses."""
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            counts = dict(s.execute(select(m.Appointment.status, func.count()).where(
                m.Appointment.patient_id == patient_id).group_by(m.Appointment.status)).all())
        return bd.Attendance(counts.get(AppointmentStatus.NO_SHOW, 0), counts.get(AppointmentStatus.CANCELLED, 0))

    def tracker(self, course_id: int, day: date | None = None):
        """The course's visit tracker on `day` (today by default); None without a care plan."""
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            course = load_course(s, course_id)
            dates = s.scalars(select(m.TreatmentSession.date).where(m.TreatmentSession.course_id == course_id))
            return track(parse_plan(course.plan), course.start_date, list(dates), day or self.ctx.today())

    # --- writing ------------------------------------------------------------------------------------------

    def book(self, patient_id: int, day: date, start: time, table: str | None = None,
             minutes: int | None = None) -> bd.AppointmentView:
        """Book one appointment; AppointmentRefused (naming the clashing appointment) when a rule says no."""
        self.ctx.require(*BOOKERS)
        with self.ctx.unit_of_work() as s:
            patient = load_patient(s, patient_id)
            table = table or table_names(s)[0]
            minutes = minutes if minutes is not None else default_minutes(s)
            validate_fields(start, minutes, table, table_names(s))
            course = check_slot(s, patient, day, start, minutes, table, AppointmentStatus.BOOKED)
            a = m.Appointment(patient_id=patient.id, course_id=course.id if course else None,
                              table_id=table_row(self.ctx, s, table).id, date=day, start_time=start, minutes=minutes,
                              status=AppointmentStatus.BOOKED, notes="")
            self.ctx.stamp(a, new=True)
            s.add(a)
            s.flush()
            self.ctx.audit(s, "create", "appointment", a.id, patient.chart_number,
                           f"{day.isoformat()} {start:%H:%M} {table}")
            return booked(a)

    def move(self, appointment_id: int, day: date, start: time, table: str, minutes: int | None = None,
             expected_version: int | None = None) -> bd.AppointmentView:
        self.ctx.require(*BOOKERS)
        with self.ctx.unit_of_work() as s:
            a = load_appointment(s, appointment_id)
            check_version(a, expected_version, "The appointment")
            if a.status not in (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED):
                raise ValidationError.single("status", f"a {a.status.label.lower()} appointment cannot be moved")
            minutes = minutes if minutes is not None else a.minutes
            validate_fields(start, minutes, table, table_names(s))
            check_slot(s, a.patient, day, start, minutes, table, a.status, a.id, course_required=False)
            before = f"{a.date.isoformat()} {a.start_time:%H:%M} {a.table.name}"
            a.date, a.start_time, a.minutes, a.table_id = day, start, minutes, table_row(self.ctx, s, table).id
            self.ctx.stamp(a)
            s.flush()
            s.refresh(a, ["table"])
            self.ctx.audit(s, "update", "appointment", a.id, a.patient.chart_number,
                           f"moved from {before} to {day.isoformat()} {start:%H:%M} {table}")
            return booked(a)

    def set_status(self, appointment_id: int, status: AppointmentStatus,
                   expected_version: int | None = None) -> bd.AppointmentView:
        """Arrived, cancelled, no-show, or back to booked (a cancelled one only where its slot is still free)."""
        self.ctx.require(*BOOKERS)
        with self.ctx.unit_of_work() as s:
            a = load_appointment(s, appointment_id)
            check_version(a, expected_version, "The appointment")
            if a.session_id is not None and status is not AppointmentStatus.DONE:
                raise ValidationError.single("status", "a session is recorded from this appointment; it stays done")
            if status in (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED, AppointmentStatus.DONE) \
                    and a.status in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW):
                check_slot(s, a.patient, a.date, a.start_time, a.minutes, a.table.name, status, a.id,
                           course_required=False)
            a.status = status
            self.ctx.stamp(a)
            s.flush()
            self.ctx.audit(s, f"appointment_{status.value}", "appointment", a.id, a.patient.chart_number,
                           f"{a.date.isoformat()} {a.start_time:%H:%M} {a.table.name}")
            return booked(a)

    def cancel(self, appointment_id: int, expected_version: int | None = None) -> bd.AppointmentView:
        return self.set_status(appointment_id, AppointmentStatus.CANCELLED, expected_version)

    def book_course(self, patient_id: int, first_day: date, weekdays: tuple[int, ...], at: time,
                    table: str | None = None, minutes: int | None = None) -> bd.CourseBookingResult:
        """Book the active course's remaining sessions (planned - recorded - already booked), one per chosen
        day, by the rule in DOMAIN.md; what could not be placed is returned with the reason."""
        self.ctx.require(*BOOKERS)
        with self.ctx.unit_of_work() as s:
            patient = load_patient(s, patient_id)
            course = active_course(s, patient.id)
            if course is None:
                raise BookError(f"{patient_label(patient)} has no active course; open a course before booking it.")
            tables = table_names(s)
            table = table or tables[0]
            minutes = minutes if minutes is not None else default_minutes(s)
            validate_fields(at, minutes, table, tables)
            remaining = max(0, course.planned_sessions - session_count(s, course.id)
                            - upcoming_for_course(s, course.id))
            existing = slots_between(s, first_day, first_day + timedelta(days=400))
            plan = book_course(patient=patient.chart_number, who=patient_label(patient), first_day=first_day,
                               weekdays=weekdays, at=at, minutes=minutes, preferred_table=table, tables=tables,
                               hours=opening_hours(s), existing=existing, remaining=remaining)
            booked = []
            for slot in plan.placed:
                a = m.Appointment(patient_id=patient.id, course_id=course.id,
                                  table_id=table_row(self.ctx, s, slot.table).id, date=slot.day,
                                  start_time=slot.start, minutes=slot.minutes, status=AppointmentStatus.BOOKED,
                                  notes="")
                self.ctx.stamp(a, new=True)
                s.add(a)
                booked.append(a)
            s.flush()
            self.ctx.audit(s, "book_course", "course", course.id, patient.chart_number,
                           f"{len(booked)} appointments from {first_day.isoformat()}")
            return bd.CourseBookingResult(tuple(appointment_view(a) for a in booked), plan.skipped, plan.unplaced,
                                          remaining, changes=Changes(patient.id, appointments=True,
                                                                     ids=tuple(a.id for a in booked)))

    def record_session(self, appointment_id: int, data: SessionInput) -> dto.SavedSession:
        """Record the session of an appointment (the desk's Ctrl+R on it): the session joins the patient's
        active course, and the appointment is marked done, both or neither."""
        from decomp_desk.services.row_mapping import session_view
        from decomp_desk.services.sessions import add_session, check_may_record, session_changed

        self.ctx.require(Role.CLINICIAN)
        flags = validate_session(data, self.ctx.today())
        with self.ctx.unit_of_work() as s:
            a = load_appointment(s, appointment_id)
            if a.session_id is not None:
                raise ValidationError.single("appointment", "a session is already recorded from this appointment")
            if a.status in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW):
                raise ValidationError.single("appointment", f"the appointment is {a.status.label.lower()}")
            # The course it was booked for while that is still active, else the patient's active course now.
            booked_for = s.get(m.Course, a.course_id) if a.course_id else None
            course = booked_for if booked_for is not None and booked_for.status is CourseStatus.ACTIVE \
                else active_course(s, a.patient_id)
            if course is None:
                raise ValidationError.single("course", f"{patient_label(a.patient)} has no active course")
            check_may_record(s, course, data)
            row = add_session(self.ctx, s, course, data)
            a.status, a.session_id, a.course_id = AppointmentStatus.DONE, row.id, course.id
            self.ctx.stamp(a)
            s.flush()
            self.ctx.audit(s, "appointment_done", "appointment", a.id, a.patient.chart_number, f"session {row.id}")
            number = [r.id for r in course_rows(s, course.id)].index(row.id) + 1
            changes = session_changed(a.patient_id, row) | Changes(a.patient_id, appointments=True, ids=(a.id,))
            return dto.SavedSession(session_view(row, number), flags, changes=changes)

