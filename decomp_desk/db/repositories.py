"""The one place that loads rows: each record by its id (or chart number, or user name), a course's
sessions, a patient's current course, the clinic's settings row, and the check that a save was made
from the record as it is now.

The services call these inside their unit of work and never query a record by hand. A record that is
not there is a NotFound (domain/errors.py) with the sentence a person sees, so the database layer needs
nothing from the services above it."""
from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.db.base import Tracked
from decomp_desk.db.outcome_models import OutcomeForm
from decomp_desk.db.schedule_models import Appointment, BookSettings
from decomp_desk.domain.account_input import normalize_username
from decomp_desk.domain.errors import Conflict, NotFound
from decomp_desk.domain.types import CourseStatus

# --- one record, or NotFound ------------------------------------------------------------------------

Row = TypeVar("Row")


def _found(row: Row | None, sentence: str) -> Row:
    if row is None:
        raise NotFound(sentence)
    return row


def load_patient(s: Session, patient_id: int) -> m.Patient:
    return _found(s.get(m.Patient, patient_id), f"There is no patient with id {patient_id}.")


def load_by_chart(s: Session, chart_number: str) -> m.Patient:
    return _found(s.scalar(select(m.Patient).where(m.Patient.chart_number == chart_number.strip())),
                  f"There is no patient with chart number {chart_number}.")


def load_course(s: Session, course_id: int) -> m.Course:
    return _found(s.get(m.Course, course_id), f"There is no treatment course with id {course_id}.")


def load_session(s: Session, session_id: int) -> m.TreatmentSession:
    return _found(s.get(m.TreatmentSession, session_id), f"There is no session with id {session_id}.")


def load_appointment(s: Session, appointment_id: int) -> Appointment:
    return _found(s.get(Appointment, appointment_id), f"There is no appointment with id {appointment_id}.")


def load_payment(s: Session, payment_id: int) -> m.Payment:
    return _found(s.get(m.Payment, payment_id), f"There is no payment with id {payment_id}.")


def load_outcome_form(s: Session, form_id: int) -> OutcomeForm:
    return _found(s.get(OutcomeForm, form_id), f"There is no outcome form with id {form_id}.")


def load_account(s: Session, username: str) -> m.User:
    """`username` as typed: matched as the accounts store it (trimmed, lower case); named as typed."""
    return _found(s.scalar(select(m.User).where(m.User.username == normalize_username(username))),
                  f"There is no account {username!r}.")


# --- rows that may be missing ---------------------------------------------------------------------

def current_course(s: Session, patient_id: int) -> m.Course | None:
    """The active course, else the newest: the one `progress`, the summary and the outcomes are about
    unless another is named; None for a patient with no course."""
    courses = s.scalars(select(m.Course).where(m.Course.patient_id == patient_id)
                        .order_by(m.Course.start_date.desc(), m.Course.id.desc())).all()
    active = [c for c in courses if c.status is CourseStatus.ACTIVE]
    return active[0] if active else courses[0] if courses else None


def course_rows(s: Session, course_id: int) -> list[m.TreatmentSession]:
    """The course's sessions by date then start time."""
    return list(s.scalars(select(m.TreatmentSession).where(m.TreatmentSession.course_id == course_id)
                          .order_by(m.TreatmentSession.date, m.TreatmentSession.start_time, m.TreatmentSession.id)))


def session_count(s: Session, course_id: int) -> int:
    """The course's sessions, as the count it keeps (db/course_tallies.py: every session write counts
    them again), so a course read never counts its sessions a second time."""
    return load_course(s, course_id).session_count


def settings_row(s: Session) -> m.ClinicSettings:
    """The clinic's one settings row (the schema creates it)."""
    row = s.get(m.ClinicSettings, 1)
    assert row is not None, "the clinic_settings row is made with the schema"
    return row


def book_settings_row(s: Session) -> BookSettings | None:
    return s.get(BookSettings, 1)


# --- saving over a stale copy -----------------------------------------------------------------------

def check_version(record: Tracked, expected: int | None, what: str) -> None:
    """Refuse a save made from a stale copy, naming who changed the record since."""
    if expected is not None and record.version != expected:
        raise Conflict(f"{what} was changed by {record.updated_by or 'someone else'} at "
                       f"{record.updated_at:%Y-%m-%d %H:%M} after you opened it; nothing was overwritten. "
                       f"Reopen it to see their change.")
