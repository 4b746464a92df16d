"""Small builders for the pure-rule tests (no database). Import as `from tests.domain.builders import ...`."""
from __future__ import annotations

from datetime import date, time, timedelta

from decomp_desk.domain.types import AdverseEvent, Contraindication, Position, Scores, ScreeningFacts, SessionPoint
from decomp_desk.domain.validation import PatientInput, SessionInput

TODAY = date(2026, 3, 20)
DAY0 = date(2026, 3, 2)


def day(n: int) -> date:
    return DAY0 + timedelta(days=n)


def screening(on: date = DAY0, xray_on: date | None = DAY0, abnormal: bool = False,
              contra: tuple[Contraindication, ...] = ()) -> ScreeningFacts:
    return ScreeningFacts(screened_on=on, xray_on=xray_on, xray_abnormal=abnormal,
                          contraindications=frozenset(contra))


def session_input(**kw) -> SessionInput:
    """A session every rule accepts; override single fields to break it."""
    fields = dict(date=DAY0, start_time=time(9, 0), duration_min=35, position=Position.FACE_DOWN,
                  before=Scores(6, 4, 3))
    fields.update(kw)
    return SessionInput(**fields)


def point(on: date, at: time | None = time(9, 0), pain: int = 6, numbness: int = 4, tingling: int = 3,
          number: int = 0, events: tuple[AdverseEvent, ...] = (), **kw) -> SessionPoint:
    return SessionPoint(number=number, date=on, start_time=at, duration_min=kw.pop("duration_min", 35),
                        before=Scores(pain, numbness, tingling), adverse_events=frozenset(events), **kw)


def patient_input(**kw) -> PatientInput:
    fields = dict(chart_number="1001", first_name="Ann", last_name="Lee")
    fields.update(kw)
    return PatientInput(**fields)
