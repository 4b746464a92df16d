"""The appointment book's rules: opening hours, a table taken at any minute, the same patient twice,
an active course; cancelled and no-show appointments hold nothing."""
from datetime import date, time

import pytest

from decomp_desk.domain.appointments import (
    DEFAULT_HOURS,
    AppointmentRefused,
    AppointmentStatus,
    Hours,
    OpeningHours,
    Slot,
    check_appointment,
    parse_hours,
    parse_weekdays,
    validate_fields,
)
from decomp_desk.domain.errors import ValidationError

MON = date(2026, 3, 2)
HOURS = OpeningHours(tuple([Hours(time(8), time(18))] * 5 + [Hours(time(9), time(12)), None]))


def slot(h, m=0, minutes=45, table="Table 1", patient="1001", status=AppointmentStatus.BOOKED, day=MON, id=None):
    return Slot(day, time(h, m), minutes, table, patient, status, f"Pat {patient} (chart {patient})", id)


def refusal(candidate, existing=(), course=True) -> AppointmentRefused:
    with pytest.raises(AppointmentRefused) as e:
        check_appointment(candidate, existing, HOURS, course)
    return e.value


def test_a_free_slot_within_hours_is_accepted():
    check_appointment(slot(9), [slot(9, table="Table 2", patient="1002"), slot(9, 45, patient="1003")], HOURS, True)


@pytest.mark.parametrize("candidate", [slot(7, 30), slot(17, 30), slot(17, 16), slot(10, day=date(2026, 3, 8)),
                                       slot(12, day=date(2026, 3, 7))])
def test_outside_opening_hours_is_refused(candidate):
    r = refusal(candidate)
    assert "outside the opening hours" in str(r) and list(r.errors) == ["start_time"]


def test_closing_time_itself_is_allowed_as_the_end():
    check_appointment(slot(17, 15), [], HOURS, True)
    check_appointment(slot(8, 0), [], HOURS, True)


@pytest.mark.parametrize("h, m, minutes", [(8, 30, 45), (9, 44, 10), (8, 0, 300), (9, 0, 1)])
def test_a_table_taken_at_any_minute_is_refused_naming_the_clash(h, m, minutes):
    taken = slot(9, patient="2002", id=7)
    r = refusal(slot(h, m, minutes), [taken])
    assert r.clash == taken and list(r.errors) == ["table"]
    assert "Pat 2002 (chart 2002) on Table 1, Mon 2026-03-02 09:00-09:45" in str(r)


def test_back_to_back_is_not_a_clash():
    check_appointment(slot(9, 45), [slot(9, patient="2002")], HOURS, True)
    check_appointment(slot(8, 15), [slot(9, patient="2002")], HOURS, True)


def test_same_patient_overlapping_on_another_table_is_refused():
    r = refusal(slot(9, 30, table="Table 2"), [slot(9)])
    assert list(r.errors) == ["start_time"] and "already has an appointment" in str(r)


@pytest.mark.parametrize("status", [AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW])
def test_cancelled_and_no_show_hold_no_slot(status):
    check_appointment(slot(9), [slot(9, patient="2002", status=status), slot(9, status=status, table="T2")], HOURS, True)
    # and are never refused themselves (they hold nothing)
    check_appointment(slot(22, status=status), [slot(22, patient="2")], HOURS, False)


def test_an_appointment_is_not_its_own_clash():
    check_appointment(slot(9, 15, id=3), [slot(9, id=3)], HOURS, True)


def test_without_an_active_course_is_refused():
    r = refusal(slot(9), course=False)
    assert list(r.errors) == ["chart_number"] and "no active course" in str(r)


def test_parse_hours_and_weekdays():
    assert parse_hours("mon", "08:00-18:30") == Hours(time(8), time(18, 30))
    assert parse_hours("sun", "closed") is None and parse_hours("sun", " ") is None
    for bad in ("8-18", "18:00-08:00", "25:00-26:00", "08:00-08:00"):
        with pytest.raises(ValidationError) as e:
            parse_hours("tue", bad)
        assert list(e.value.errors) == ["tue"]
    assert parse_weekdays("days", "mon,wed,fri") == (0, 2, 4)
    assert parse_weekdays("days", "Friday, mon,MON") == (0, 4)
    for bad in ("", "mon,xyz"):
        with pytest.raises(ValidationError) as e:
            parse_weekdays("days", bad)
        assert list(e.value.errors) == ["days"]


def test_fields_are_named():
    with pytest.raises(ValidationError) as e:
        validate_fields(None, 0, "Table 9", ["Table 1"])
    assert set(e.value.errors) == {"start_time", "minutes", "table"}
    validate_fields(time(9), 45, "Table 1", ["Table 1"])


def test_default_hours_open_weekdays_and_close_sunday():
    assert DEFAULT_HOURS.on(MON) is not None and DEFAULT_HOURS.on(date(2026, 3, 8)) is None
    assert DEFAULT_HOURS.as_texts()["sun"] == "closed"
