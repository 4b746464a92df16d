"""The care plan's visit tracker for the patient list: who is behind their plan today."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from decomp_desk.db import models as m


def behind_by_patient(conn, today: date) -> dict[int, int]:
    """patient id -> visits behind the care plan of their active course (with a plan) today: one query
    over the courses that have a plan (the patient list's column)."""
    from decomp_desk.domain.care_plan import parse_plan
    from decomp_desk.domain.types import CourseStatus

    c, ts = m.Course, m.TreatmentSession
    count = select(func.count()).where(ts.course_id == c.id, ts.date <= today).scalar_subquery()
    # plan > '': a plan neither missing nor empty, said as a range the care plans' index can answer.
    rows = conn.execute(select(c.patient_id, c.plan, c.start_date, count).where(
        c.status == CourseStatus.ACTIVE, c.plan > "").order_by(c.start_date, c.id)).all()
    out: dict[int, int] = {}
    for pid, plan, start, recorded in rows:
        parsed = parse_plan(plan)
        if parsed is not None:
            out[pid] = max(0, parsed.expected_by(start, today) - (recorded or 0))
    return out
