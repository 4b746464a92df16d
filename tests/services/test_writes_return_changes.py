"""Every write the desk calls returns what it changed (inside the value it returns: `.changes`); what a
read returns carries none, and two values that differ only in it are equal (the command line's output
and every comparison are as before)."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from decomp_desk.domain.billing import Insurance
from decomp_desk.domain.outcomes import FormInput, Instrument
from decomp_desk.domain.types import CourseStatus, Coverage
from decomp_desk.domain.validation import PatientInput
from tests.factories import DAY0, cleared_patient_with_course, screening, session
from tests.services.billing_helpers import pay


def test_each_write_names_the_patient_and_the_parts_it_changed(services):
    p, course = cleared_patient_with_course(services, "9001", on=DAY0)
    assert course.changes.courses and course.changes.patient_id == p.id and course.changes.course_id == course.id
    assert p.changes.patient and not p.changes.sessions

    saved = services.sessions.record(course.id, session(on=DAY0 + timedelta(days=1)))
    c = saved.changes
    assert c.sessions and c.course_id == course.id and c.ids == (saved.session.id,) and c.patient_id == p.id
    assert not (c.screenings or c.billing or c.patient)
    edited = services.sessions.update(saved.session.id, session(on=DAY0 + timedelta(days=2)), saved.session.version)
    assert edited.changes.sessions and edited.changes.course_id == course.id

    paid = pay(services, p.id, "50.00")
    assert paid.changes.billing and paid.changes.ids == (paid.id,)
    assert services.billing.void_payment(paid.id, "typed twice", paid.version).changes.billing
    insured = services.billing.set_insurance(p.id, Insurance(coverage=Coverage.NOT_COVERED))
    assert insured.changes.patient and insured.changes.billing

    screened = services.screenings.record(p.id, screening(DAY0 + timedelta(days=3)))
    assert screened.changes.screenings and screened.changes.clearance and not screened.changes.account

    form = services.outcomes.record(p.id, FormInput(DAY0 + timedelta(days=2), Instrument.ODI, (2,) * 10))
    assert form.changes.outcomes and form.changes.patient_id == p.id
    assert services.outcomes.delete(form.id, form.version).outcomes

    ended = services.courses.set_status(course.id, CourseStatus.COMPLETED)
    assert ended.changes.courses and ended.changes.course_id == course.id
    detail = services.patients.update(p.id, PatientInput("9001", "Ann", "Leigh"), insured.version)
    assert detail.changes.patient and detail.changes.list_row and not detail.changes.progress

    settings = services.settings.update(replace(services.settings.get(), name="Riverside Spine"))
    assert settings.changes.settings and settings.changes.patient_id is None


def test_what_a_read_returns_carries_no_changes_and_compares_as_before(services):
    p, course = cleared_patient_with_course(services, "9002", on=DAY0)
    read = services.courses.get(course.id)
    assert not read.changes and read == course  # the write's value and the read's are the same course
    assert not services.patients.get(p.id).changes
    assert "changes" not in repr(course)
    assert services.settings.get().default_fee >= Decimal(0)


def test_accounts_and_the_books_settings_say_what_they_changed(services):
    user = services.accounts.create_user("front.desk", "Fran Desk", ["front_desk"], "a long enough pass phrase 1")
    assert user.changes.users and user.changes.ids == (user.id,) and user.changes.patient_id is None
    assert services.accounts.set_active("front.desk", False, user.version).changes.users
    book = services.book_settings.save(minutes=30)
    assert book.changes.appointments and book.changes.today and not book.changes.about(1)
