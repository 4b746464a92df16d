"""Small builders for test data, going through the services like a user would.
Import as `from tests.factories import ...`."""
from __future__ import annotations

from datetime import date, time

from decomp_desk.domain.course_input import CourseInput
from decomp_desk.domain.screening_input import ScreeningInput
from decomp_desk.domain.types import Contraindication, Position, Region, Scores
from decomp_desk.domain.validation import PatientInput, SessionInput

DAY0 = date(2026, 3, 2)


def patient(services, chart="1001", first="Ann", last="Lee", **kw):
    return services.patients.create(PatientInput(chart, first, last, **kw))


def screening(on=DAY0, xray_on=DAY0, abnormal=False, region=Region.LUMBAR, contra=()):
    return ScreeningInput(screened_on=on, xray_on=xray_on, xray_abnormal=abnormal, region=region,
                          contraindications=frozenset(contra))


def cleared_patient_with_course(services, chart="1001", on=DAY0, **kw):
    p = patient(services, chart, **kw)
    services.screenings.record(p.id, screening(on))
    course = services.courses.open(p.id, CourseInput(Region.LUMBAR, on))
    return p, course


def session(on=DAY0, at=time(9, 0), pain=6, numbness=4, tingling=3, duration=35, **kw):
    return SessionInput(date=on, start_time=at, duration_min=duration, position=Position.FACE_DOWN,
                        before=Scores(pain, numbness, tingling), **kw)


ALL_CONTRAINDICATIONS = tuple(Contraindication)
