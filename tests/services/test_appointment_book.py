"""The appointment book through its services, on SQLite and PostgreSQL: booking and its refusals,
moving, cancelling, booking the course, recording a session from an appointment, the day's read model,
the care plan's tracker and the attendance counts."""
from datetime import time, timedelta

import pytest

from decomp_desk.domain.appointments import AppointmentRefused, AppointmentStatus, BookError, Hours
from decomp_desk.domain.errors import PermissionDenied, ValidationError
from decomp_desk.domain.types import Role
from decomp_desk.services.context import Actor
from tests.factories import DAY0, cleared_patient_with_course, patient, session

MON = DAY0  # 2026-03-02, a Monday


@pytest.fixture
def book(services):
    services.book_settings.set_tables(["Table 1", "Table 2"])
    ann, course = cleared_patient_with_course(services, "1001", first="Ann", last="Lee")
    bob, _ = cleared_patient_with_course(services, "1002", first="Bob", last="Ray")
    return services, ann, bob, course


def test_book_and_read_the_day_sorted_by_time_then_table(book):
    sv, ann, bob, _ = book
    sv.appointments.book(bob.id, MON, time(10), "Table 2")
    sv.appointments.book(ann.id, MON, time(10), "Table 1")
    sv.appointments.book(bob.id, MON, time(9), "Table 1", minutes=30)
    day = sv.appointments.day(MON)
    assert day.as_json() == {"date": "2026-03-02", "appointments": [
        {"chart_number": "1002", "start_time": "09:00", "minutes": 30, "table": "Table 1", "status": "booked"},
        {"chart_number": "1001", "start_time": "10:00", "minutes": 45, "table": "Table 1", "status": "booked"},
        {"chart_number": "1002", "start_time": "10:00", "minutes": 45, "table": "Table 2", "status": "booked"}]}
    assert day.tables == ("Table 1", "Table 2") and day.hours == Hours(time(8), time(19))


def test_refusals_name_the_clashing_appointment(book):
    sv, ann, bob, _ = book
    sv.appointments.book(bob.id, MON, time(9), "Table 1")
    with pytest.raises(AppointmentRefused) as e:
        sv.appointments.book(ann.id, MON, time(9, 30), "Table 1")
    assert "Table 1 is taken" in str(e.value) and "Bob Ray (chart 1002)" in str(e.value)
    with pytest.raises(AppointmentRefused, match="already has an appointment then: Bob Ray"):
        sv.appointments.book(bob.id, MON, time(9, 15), "Table 2")
    with pytest.raises(AppointmentRefused, match="outside the opening hours"):
        sv.appointments.book(ann.id, MON + timedelta(days=6), time(9), "Table 1")  # Sunday
    with pytest.raises(ValidationError, match="not one of the clinic's tables"):
        sv.appointments.book(ann.id, MON, time(11), "Table 9")
    carl = patient(sv, "1003", "Carl", "Moe")
    with pytest.raises(AppointmentRefused, match="no active course"):
        sv.appointments.book(carl.id, MON, time(11), "Table 1")
    assert len(sv.appointments.day(MON).appointments) == 1


def test_move_cancel_and_a_cancelled_slot_is_free(book):
    sv, ann, bob, _ = book
    a = sv.appointments.book(ann.id, MON, time(9), "Table 1")
    b = sv.appointments.book(bob.id, MON, time(10), "Table 1")
    with pytest.raises(AppointmentRefused, match="Ann Lee"):
        sv.appointments.move(b.id, MON, time(9, 30), "Table 1")
    moved = sv.appointments.move(b.id, MON, time(9), "Table 2")
    assert (moved.start_time, moved.table) == (time(9), "Table 2")
    sv.appointments.cancel(a.id)
    again = sv.appointments.move(b.id, MON, time(9), "Table 1")  # the cancelled one holds nothing
    assert again.table == "Table 1"
    with pytest.raises(AppointmentRefused):  # and cannot come back onto a taken slot
        sv.appointments.set_status(a.id, AppointmentStatus.BOOKED)
    sv.appointments.set_status(b.id, AppointmentStatus.NO_SHOW)
    assert sv.appointments.attendance(ann.id).cancellations == 1
    assert sv.appointments.attendance(bob.id).no_shows == 1


def test_book_the_course_fills_the_remaining_sessions_without_clashes(book):
    sv, ann, bob, course = book
    sv.sessions.record(course.id, session(MON - timedelta(days=0), time(8)))  # 1 recorded of 30
    sv.appointments.book(bob.id, MON + timedelta(days=2), time(9), "Table 1")  # Wednesday: Table 1 taken
    sv.appointments.book(bob.id, MON + timedelta(days=4), time(9), "Table 2", minutes=30)
    sv.appointments.book(patient_with_course(sv, "1004").id, MON + timedelta(days=4), time(9), "Table 1")  # Friday full
    result = sv.appointments.book_course(ann.id, MON + timedelta(days=1), (0, 2, 4), time(9), "Table 1")
    assert result.remaining_before == 29 and result.count == 29 and result.unplaced == 0
    first = result.booked[:3]
    assert [(a.date, a.table) for a in first] == [(MON + timedelta(days=2), "Table 2"), (MON + timedelta(days=7), "Table 1"),
                                                 (MON + timedelta(days=9), "Table 1")]
    assert [s.day for s in result.skipped] == [MON + timedelta(days=4)]
    again = sv.appointments.book_course(ann.id, MON, (0, 2, 4), time(9), "Table 1")
    assert again.count == 0  # nothing left: the course's sessions are all booked
    for d in {a.date for a in result.booked}:
        slots = sv.appointments.day(d).appointments
        for x in slots:
            for y in slots:
                if x.id < y.id and x.table == y.table:
                    assert x.end_minute <= y.start_time.hour * 60 + y.start_time.minute or \
                        y.end_minute <= x.start_time.hour * 60 + x.start_time.minute


def patient_with_course(sv, chart):
    p, _ = cleared_patient_with_course(sv, chart, first="Dee", last="Fox")
    return p


def test_book_the_course_needs_an_active_course(book):
    sv = book[0]
    carl = patient(sv, "1003", "Carl", "Moe")
    with pytest.raises(BookError, match="no active course"):
        sv.appointments.book_course(carl.id, MON, (0,), time(9))


def test_recording_a_session_from_an_appointment_marks_it_done(book):
    sv, ann, _, course = book
    a = sv.appointments.book(ann.id, MON, time(9, 30), "Table 2")
    saved = sv.appointments.record_session(a.id, session(MON, time(9, 30)))
    assert saved.session.date == MON
    done = sv.appointments.get(a.id)
    assert done.status is AppointmentStatus.DONE and done.session_id == saved.session.id
    assert sv.courses.get(course.id).sessions_completed == 1
    with pytest.raises(ValidationError, match="already recorded"):
        sv.appointments.record_session(a.id, session(MON, time(10)))
    with pytest.raises(ValidationError, match="stays done"):
        sv.appointments.cancel(a.id)


def test_today_rows_tell_session_recorded_behind_form_due_and_balance(book):
    sv, ann, bob, course = book
    sv.courses.set_plan(course.id, "3x4,2x3")
    assert sv.courses.get(course.id).planned_sessions == 18
    sv.sessions.record(course.id, session(MON, time(8)))
    day = MON + timedelta(days=14)  # two weeks finished: 6 expected, 1 recorded
    a = sv.appointments.book(ann.id, day, time(9), "Table 1")
    sv.appointments.book(bob.id, day, time(9), "Table 2")
    rows = sv.appointments.day(day, detail=True).rows
    mine = next(r for r in rows if r.appointment.id == a.id)
    assert mine.tracker.expected == 6 and mine.behind == 5 and not mine.session_recorded
    assert mine.balance_due > 0 and not mine.outcome_form_due  # session 2 of 18
    bobs = next(r for r in rows if r.appointment.id != a.id)
    assert bobs.tracker is None and bobs.outcome_form_due  # Bob's first session: the baseline form
    assert sv.appointments.tracker(course.id, day).behind == 5


def test_settings_tables_hours_length(services):
    assert services.book_settings.get().tables == ("Table 1",)
    services.book_settings.set_tables(["North", "South"])
    services.book_settings.set_hours({5: None, 0: Hours(time(7), time(12))})
    services.book_settings.set_appointment_minutes(30)
    view = services.book_settings.get()
    assert view.tables == ("North", "South") and view.hours[0] == Hours(time(7), time(12)) and view.hours[5] is None
    assert view.hours[1] == Hours(time(8), time(19)) and view.appointment_minutes == 30
    with pytest.raises(ValidationError, match="same name"):
        services.book_settings.set_tables(["A", "a"])
    with pytest.raises(ValidationError):
        services.book_settings.set_appointment_minutes(0)


def test_front_desk_books_but_only_an_administrator_changes_the_book_settings(book):
    sv, ann, _, _ = book
    sv.act_as(Actor("desk", "Desk", frozenset({Role.FRONT_DESK})))
    sv.appointments.book(ann.id, MON, time(9), "Table 1")
    with pytest.raises(PermissionDenied):
        sv.book_settings.set_tables(["X"])


def test_a_session_recorded_on_the_patients_page_is_not_counted_twice_when_booking(book):
    sv, ann, _, course = book
    sv.appointments.book(ann.id, MON, time(9), "Table 1")
    sv.sessions.record(course.id, session(MON, time(9)))  # recorded on the patient's page, not from the book
    result = sv.appointments.book_course(ann.id, MON + timedelta(days=1), (1, 3), time(10), "Table 1")
    assert result.remaining_before == 29 and result.count == 29
