"""Recording each session. The screening rules are enforced here, so no front end can bypass them."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.db.course_tallies import retally
from decomp_desk.db.repositories import check_version, course_rows, load_course, load_session
from decomp_desk.domain.clearance import not_cleared_sentence
from decomp_desk.domain.course_rules import may_start_earlier
from decomp_desk.domain.errors import NotCleared, ValidationError
from decomp_desk.domain.op_changes import Changes
from decomp_desk.domain.progress import Progress, chronological, compute_progress
from decomp_desk.domain.types import CourseStatus, Role
from decomp_desk.domain.validation import SessionInput, validate_session
from decomp_desk.services import dto
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.courses import course_span, course_spans
from decomp_desk.services.row_mapping import apply_session_input, session_point, session_view
from decomp_desk.services.screenings import patient_clearance


def check_may_record(s: Session, course: m.Course, data: SessionInput, own_id: int | None = None,
                     old_date: date | None = None) -> None:
    """Every rule a session must pass before it is written (the caller validated the fields).

    A session already on file keeps its place when only its notes, adverse events or after-session
    scores are corrected: clearance (for the course's region) and the course's dates are checked again
    only when its date changes, so a contraindication found later never locks the record."""
    patient = course.patient
    if patient.archived:
        raise ValidationError.single("patient", f"{patient.first_name} {patient.last_name} is archived")
    if own_id is None and course.status is not CourseStatus.ACTIVE:
        raise ValidationError.single("course", f"the course is {course.status.label.lower()}; "
                                               "open a new course to record more sessions")
    if own_id is None or data.date != old_date:
        clearance = patient_clearance(s, patient.id, data.date, course.region)
        if not clearance.cleared:
            raise NotCleared(clearance.reasons, data.date.isoformat(),
                             not_cleared_sentence(course.region, data.date, clearance))
        check_within_course(s, course, data.date)
    clash = s.scalar(select(m.TreatmentSession.id).where(
        m.TreatmentSession.course_id == course.id, m.TreatmentSession.date == data.date,
        m.TreatmentSession.start_time == data.start_time))
    if clash is not None and clash != own_id:
        raise ValidationError.single("start_time", f"another session of this course is already recorded on "
                                                   f"{data.date.isoformat()} at {data.start_time:%H:%M}")


def check_within_course(s: Session, course: m.Course, day: date) -> None:
    """A session lies within its course's dates. One dated before the start moves the start back to it
    (the course then still holds all its sessions), unless that would reach into another course of the
    region; one after a finished course's end is refused."""
    if course.end_date is not None and day > course.end_date:
        raise ValidationError.single("date", f"{day.isoformat()} is after the course ended "
                                             f"({course.end_date.isoformat()}); a session lies within its "
                                             "course's dates")
    if day < course.start_date:
        problem = may_start_earlier(course_span(course), course_spans(s, course.patient_id), day)
        if problem is not None:
            raise ValidationError.single("date", problem)


def stretch_course_to(course: m.Course, day: date) -> None:
    if day < course.start_date:
        course.start_date = day


def add_session(ctx: ServiceContext, s: Session, course: m.Course, data: SessionInput) -> m.TreatmentSession:
    """Write one checked session inside the caller's unit of work (the desk's form or the import)."""
    row = m.TreatmentSession(course_id=course.id, charge=course.fee_per_session)
    apply_session_input(row, data)
    if not row.clinician:
        row.clinician = ctx.actor.display_name
    stretch_course_to(course, data.date)
    ctx.stamp(row, new=True)
    s.add(row)
    s.flush()
    retally(s, (course.id,))
    ctx.audit(s, "create", "session", row.id, course.patient.chart_number)
    return row


def session_changed(patient_id: int, row: m.TreatmentSession) -> Changes:
    """What a session's write changes: the sessions of its course (and the course's count and dates), its
    charge, the progress, the re-exam forms due, and the day's book where it was booked."""
    return Changes(patient_id, sessions=True, course_id=row.course_id, ids=(row.id,))


class SessionService:
    def __init__(self, ctx: ServiceContext):
        self.ctx = ctx

    def record(self, course_id: int, data: SessionInput) -> dto.SavedSession:
        """Validate, check clearance on the session's date, save. Returns the session and its flags
        (allowed but unusual, e.g. a 25-minute stop-button session)."""
        self.ctx.require(Role.CLINICIAN)
        flags = validate_session(data, self.ctx.today())
        with self.ctx.unit_of_work() as s:
            course = load_course(s, course_id)
            check_may_record(s, course, data)
            row = add_session(self.ctx, s, course, data)
            number = [r.id for r in course_rows(s, course_id)].index(row.id) + 1
            return dto.SavedSession(session_view(row, number), flags, changes=session_changed(course.patient_id, row))

    def update(self, session_id: int, data: SessionInput, expected_version: int | None = None) -> dto.SavedSession:
        self.ctx.require(Role.CLINICIAN)
        flags = validate_session(data, self.ctx.today())
        with self.ctx.unit_of_work() as s:
            row = load_session(s, session_id)
            check_version(row, expected_version, "The session")
            check_may_record(s, row.course, data, own_id=row.id, old_date=row.date)
            stretch_course_to(row.course, data.date)
            apply_session_input(row, data)
            if not row.clinician:
                row.clinician = self.ctx.actor.display_name
            self.ctx.stamp(row)
            s.flush()
            retally(s, (row.course_id,))  # its day may have moved: the course's last day with it
            self.ctx.audit(s, "update", "session", row.id, row.course.patient.chart_number)
            number = [r.id for r in course_rows(s, row.course_id)].index(row.id) + 1
            return dto.SavedSession(session_view(row, number), flags,
                                    changes=session_changed(row.course.patient_id, row))

    def for_course(self, course_id: int) -> list[dto.SessionView]:
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            return [session_view(r, i) for i, r in enumerate(course_rows(s, course_id), start=1)]

    def starting_point(self, course_id: int) -> SessionInput | None:
        """The latest session's table settings, offered again by the next session's form."""
        sessions = self.for_course(course_id)
        return sessions[-1].as_input() if sessions else None

    def progress(self, course_id: int) -> Progress:
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            course = load_course(s, course_id)
            points = [session_point(r, i) for i, r in enumerate(course_rows(s, course_id), start=1)]
            return compute_progress(chronological(points), course.planned_sessions)
