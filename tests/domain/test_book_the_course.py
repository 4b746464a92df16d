"""Book the course, exactly as DOMAIN.md says."""
from datetime import date, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from decomp_desk.domain.appointments import AppointmentStatus, Hours, OpeningHours, Slot
from decomp_desk.domain.booking import book_course

MON = date(2026, 3, 2)
HOURS = OpeningHours(tuple([Hours(time(8), time(18))] * 5 + [None, None]))
TABLES = ("A", "B")


def other(day, h, table, patient="2002", minutes=45, status=AppointmentStatus.BOOKED):
    return Slot(day, time(h), minutes, table, patient, status, f"chart {patient}")


def book(existing=(), remaining=6, days=(0, 2, 4), table="A", tables=TABLES, first=MON, at=time(9), **kw):
    return book_course(patient="1001", who="Pat (chart 1001)", first_day=first, weekdays=days, at=at, minutes=45,
                       preferred_table=table, tables=tables, hours=HOURS, existing=existing, remaining=remaining, **kw)


def test_one_per_chosen_day_from_the_first_day_on_the_preferred_table():
    b = book(remaining=5)
    assert [(s.day, s.table, s.start) for s in b.placed] == [
        (MON, "A", time(9)), (MON + timedelta(2), "A", time(9)), (MON + timedelta(4), "A", time(9)),
        (MON + timedelta(7), "A", time(9)), (MON + timedelta(9), "A", time(9))]
    assert b.count == 5 and b.unplaced == 0 and b.skipped == ()


def test_first_day_need_not_be_a_chosen_day():
    b = book(first=MON + timedelta(1), remaining=2)
    assert [s.day for s in b.placed] == [MON + timedelta(2), MON + timedelta(4)]


def test_taken_preferred_table_moves_to_another_table_at_the_same_time():
    b = book(existing=[other(MON, 9, "A")], remaining=2)
    assert [(s.day, s.table) for s in b.placed] == [(MON, "B"), (MON + timedelta(2), "A")]


def test_no_free_table_moves_to_the_next_chosen_day():
    b = book(existing=[other(MON, 9, "A"), other(MON, 8, "B", "3003", minutes=90)], remaining=2)
    assert [s.day for s in b.placed] == [MON + timedelta(2), MON + timedelta(4)]
    assert b.skipped[0].day == MON and "every table is taken at 09:00" in b.skipped[0].reason
    assert "chart 2002 on A" in b.skipped[0].reason and "chart 3003 on B" in b.skipped[0].reason


def test_closed_days_move_to_the_next_chosen_day():
    b = book(days=(0, 5), remaining=2)  # Saturdays are closed
    assert [s.day for s in b.placed] == [MON, MON + timedelta(7)]
    assert "closed on Saturdays" in b.skipped[0].reason
    late = book(at=time(17, 30), remaining=1)  # 17:30 + 45 min runs past 18:00 every day
    assert late.placed == () and late.unplaced == 1 and "open 08:00-18:00" in late.skipped[0].reason


def test_cancelled_and_no_show_do_not_block():
    b = book(existing=[other(MON, 9, "A", status=AppointmentStatus.CANCELLED),
                       other(MON, 9, "B", status=AppointmentStatus.NO_SHOW)], remaining=1)
    assert [(s.day, s.table) for s in b.placed] == [(MON, "A")]


def test_a_day_the_patient_is_already_booked_is_skipped():
    b = book(existing=[other(MON, 14, "B", patient="1001")], remaining=1)
    assert [s.day for s in b.placed] == [MON + timedelta(2)]
    assert "already has an appointment that day" in b.skipped[0].reason


def test_stops_when_the_remaining_sessions_are_booked_and_reports_what_it_could_not_place():
    assert book(remaining=0).placed == ()
    b = book(tables=("A",), existing=[other(MON + timedelta(d), 9, "A") for d in range(0, 400)], remaining=3,
             horizon_days=20)
    assert b.placed == () and b.unplaced == 3 and len(b.skipped) == 9


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(8, 16), st.sampled_from(TABLES), st.integers(15, 90)),
                max_size=40),
       st.integers(0, 20), st.sets(st.integers(0, 6), min_size=1))
def test_nothing_is_ever_double_booked(busy, remaining, days):
    existing = [Slot(MON + timedelta(d), time(h), m, t, f"p{i}") for i, (d, h, t, m) in enumerate(busy)]
    b = book(existing=existing, remaining=remaining, days=tuple(days), horizon_days=60)
    assert b.count + b.unplaced == remaining
    placed = list(b.placed)
    assert len({s.day for s in placed}) == len(placed)  # one per chosen day
    for s in placed:
        assert s.day.weekday() in days and s.start == time(9) and HOURS.holds(s.day, s.start, s.minutes)
        assert not any(s.table == e.table and s.overlaps(e) for e in existing)
    assert [s.day for s in placed] == sorted(s.day for s in placed)
