"""Builders shared by the billing tests (service and statement tests on both databases)."""
from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal as D

from sqlalchemy import select

from decomp_desk.bootstrap import open_services
from decomp_desk.db.models import AuditEvent
from decomp_desk.domain.billing import PaymentInput
from decomp_desk.domain.course_input import CourseInput
from decomp_desk.domain.types import PaymentMethod, Region, Role
from decomp_desk.services.context import Actor
from tests.factories import DAY0, patient, screening, session


def course_with_sessions(services, chart="1001", n=3, fee=D("85.00"), start=DAY0, every=2, region=Region.LUMBAR,
                         first="Ann", last="Lee", **course):
    """A cleared patient with a course at `fee` and `n` sessions, one every `every` days from `start`."""
    p = patient(services, chart, first, last)
    services.screenings.record(p.id, screening(start, region=region))
    c = services.courses.open(p.id, CourseInput(region, start, course.pop("planned", 30), fee, **course))
    for i in range(n):
        services.sessions.record(c.id, session(start + timedelta(days=every * i), at=time(9, 0)))
    return p, c


def pay(services, patient_id, amount, on=DAY0, method=PaymentMethod.CASH, reference=""):
    return services.billing.record_payment(patient_id, PaymentInput(on, D(amount), method, reference))


def audit_actions(services, entity: str) -> list[tuple[str, str, str]]:
    with services.ctx.unit_of_work() as s:
        rows = s.scalars(select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id)).all()
        return [(r.action, r.actor, r.detail) for r in rows]


def services_as(db_url, *roles: Role, username="someone", today=None):
    kw = {"today": today} if today else {}
    return open_services(db_url, Actor(username, username.title(), frozenset(roles)), **kw)


def month_end(d: date) -> date:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)
