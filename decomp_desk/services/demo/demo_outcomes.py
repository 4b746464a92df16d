"""The demo clinic's outcome forms: an ODI (lumbar) or NDI (cervical) at the re-exam sessions of every
course (session 1, every 10th, the last planned), following the course's pain, with a blank section here
and there, one re-exam left missing in a few active courses, and a PSFS with the patient's own activities
for about a third of them. Seeded, so every run is the same; written through the same rules as the desk."""
from __future__ import annotations

from random import Random

from sqlalchemy import select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.domain.outcomes import COURSE_INSTRUMENT, Activity, FormInput, Instrument, is_due, validate_form
from decomp_desk.domain.types import CourseStatus, Region
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.outcomes import add_form

SEED = 13
ACTIVITIES = {
    Region.LUMBAR: ("tie shoes", "walk 30 minutes", "lift grandchild", "sit through a film", "garden for an hour",
                    "drive to work"),
    Region.CERVICAL: ("check blind spot driving", "read for an hour", "work at the computer", "sleep through the night",
                      "carry groceries", "swim laps"),
}


def _answers(rnd: Random, percent: int) -> tuple[int | None, ...]:
    """Ten 0-5 answers whose score is near `percent`, with a blank now and then."""
    total = round(percent / 100 * 50)
    answers = [0] * 10
    for _ in range(total):
        i = rnd.choice([k for k in range(10) if answers[k] < 5])
        answers[i] += 1
    blanks = rnd.choice((0, 0, 0, 1, 1, 2))
    for i in rnd.sample(range(10), blanks):
        answers[i] = None
    return tuple(answers)


def add_demo_outcomes(ctx: ServiceContext, s: Session) -> int:
    """Add the forms to every course of the demo clinic; returns how many."""
    rnd = Random(SEED)
    added = 0
    today = ctx.today()
    courses = s.scalars(select(m.Course).order_by(m.Course.id)).all()
    for course in courses:
        sessions = s.execute(select(m.TreatmentSession.date, m.TreatmentSession.pain_before)
                             .where(m.TreatmentSession.course_id == course.id)
                             .order_by(m.TreatmentSession.date, m.TreatmentSession.start_time)).all()
        if not sessions:
            continue
        instrument = COURSE_INSTRUMENT[course.region]
        due = [n for n in range(1, len(sessions) + 1) if is_due(n, course.planned_sessions)]
        skip = due[-1] if course.status is CourseStatus.ACTIVE and len(due) > 1 and rnd.random() < 0.35 else None
        scale = 6.5 if instrument is Instrument.ODI else 6.0
        psfs = rnd.random() < 0.35
        names = rnd.sample(ACTIVITIES[course.region], rnd.choice((3, 3, 4, 5)))
        for n in due:
            if n == skip:
                continue
            day, pain = sessions[n - 1]
            percent = max(0, min(96, round(pain * scale + rnd.randint(-6, 8))))
            forms = [FormInput(day, instrument, _answers(rnd, percent))]
            if psfs and (n == 1 or n == due[-1]):
                base = max(0, min(10, 10 - pain + rnd.randint(-1, 1)))
                forms.append(FormInput(day, Instrument.PSFS, region=course.region, activities=tuple(
                    Activity(name, max(0, min(10, base + rnd.randint(-2, 1)))) for name in names)))
            for form in forms:
                validate_form(form, today)
                add_form(ctx, s, course.patient, form)
                added += 1
    return added
