"""The demo clinic's appointment book: two tables, opening hours, care plans on the courses under way,
and a realistic week of appointments around today (the sessions already recorded this week as done
appointments; today's and the rest of the week's visits booked, a couple arrived, a no-show and a
cancellation), every one placed by the book's own rules, so nothing clashes. Called from services/demo/loading.py."""
from __future__ import annotations

from collections import Counter
from datetime import date, time, timedelta
from random import Random

from sqlalchemy import select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.domain.appointments import AppointmentStatus, Hours, OpeningHours, Slot, clash_of
from decomp_desk.domain.care_plan import parse_plan
from decomp_desk.domain.types import CourseStatus
from decomp_desk.services.context import ServiceContext

TABLES = ("Table 1", "Table 2")
HOURS = OpeningHours(tuple([Hours(time(8), time(18))] * 5 + [Hours(time(8), time(12)), None]))
PLANS = {30: "3x6,2x6", 24: "3x4,2x6", 20: "3x4,2x4", 36: "3x8,2x6", 18: "3x4,2x3"}
SEED = 1414


def add_demo_book(ctx: ServiceContext, s: Session) -> int:
    """Fill the book; returns the number of appointments made."""
    rnd = Random(SEED)
    today = ctx.today()
    tables = {}
    for position, name in enumerate(TABLES, start=1):
        row = m.ClinicTable(name=name, position=position, active=True)
        ctx.stamp(row, new=True)
        s.add(row)
        tables[name] = row
    for day, h in enumerate(HOURS.days):
        s.add(m.OpeningHoursRow(weekday=day, opens=h.opens if h else None, closes=h.closes if h else None))
    s.flush()

    monday = today - timedelta(days=today.weekday())
    week = [monday + timedelta(days=i) for i in range(6)]
    placed: list[Slot] = []
    made = 0

    def place(patient: m.Patient, course: m.Course, day: date, at: time, minutes: int, status: AppointmentStatus,
              session_id: int | None = None) -> bool:
        nonlocal made
        for shift in (0, 45, -45, 90, -90):
            start = (day.toordinal(), at.hour * 60 + at.minute + shift)
            minute = start[1]
            if minute < 0:
                continue
            begin = time(minute // 60, minute % 60) if minute < 24 * 60 else None
            if begin is None or (status is not AppointmentStatus.DONE and not HOURS.holds(day, begin, minutes)):
                continue
            for table in TABLES:
                slot = Slot(day, begin, minutes, table, patient.chart_number, status)
                if clash_of(slot, placed) is None:
                    placed.append(slot)
                    a = m.Appointment(patient_id=patient.id, course_id=course.id, table_id=tables[table].id, date=day,
                                      start_time=begin, minutes=minutes, status=status, session_id=session_id, notes="")
                    ctx.stamp(a, new=True)
                    s.add(a)
                    made += 1
                    return True
            if session_id is not None:
                return False  # a recorded session keeps its own time
        return False

    courses = s.scalars(select(m.Course).where(m.Course.status == CourseStatus.ACTIVE).order_by(m.Course.id)).all()
    for course in courses:
        patient = course.patient
        plan = PLANS.get(course.planned_sessions)
        if plan and rnd.random() < 0.8:
            course.plan = parse_plan(plan).text
        sessions = sorted(course.sessions, key=lambda t: (t.date, t.start_time))
        # This week's sessions so far: their appointments are done.
        for t in sessions:
            if monday <= t.date <= today:
                place(patient, course, t.date, t.start_time, 45, AppointmentStatus.DONE, t.id)
        if len(sessions) >= course.planned_sessions:
            continue
        usual = Counter(t.date.weekday() for t in sessions[-9:]) or Counter({0: 1, 2: 1, 4: 1})
        days = sorted(d for d, _ in usual.most_common(3))
        at = sessions[-1].start_time if sessions else time(9)
        at = time(at.hour, (at.minute // 15) * 15)
        recorded_days = {t.date for t in sessions}
        for day in week:
            if day.weekday() not in days or day in recorded_days:
                continue
            if day < today:  # a usual day this week without a session: mostly never booked; now and then
                roll = rnd.random()  # a missed visit or one called off
                if roll > 0.25:
                    continue
                status = AppointmentStatus.NO_SHOW if roll < 0.12 else AppointmentStatus.CANCELLED
            elif day == today and at < time(11):  # the morning's patients are in
                status = AppointmentStatus.ARRIVED
            else:
                status = AppointmentStatus.BOOKED
            place(patient, course, day, at, 45, status)
    s.flush()
    ctx.audit(s, "load_demo", "appointment", None, "", f"{made} appointments, tables {', '.join(TABLES)}")
    return made
