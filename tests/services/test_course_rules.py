"""Courses keep their dates and their rules on every path of the services (both databases): clearance
to open one, one active course per region, no overlaps, sessions always within their course's dates,
the planned count, and sessions recorded before a contraindication stay correctable."""
from datetime import time, timedelta

import pytest
from sqlalchemy import select

from decomp_desk.db import models as m
from decomp_desk.domain.course_input import CourseInput
from decomp_desk.domain.errors import NotCleared, ValidationError
from decomp_desk.domain.types import AdverseEvent, Contraindication, CourseStatus, Region
from tests.factories import DAY0, cleared_patient_with_course, patient, screening, session


def test_a_course_opens_only_where_the_patient_is_cleared_for_its_region(services):
    p = patient(services)
    services.screenings.record(p.id, screening(region=Region.CERVICAL))
    with pytest.raises(NotCleared, match="no lumbar x-ray on file"):
        services.courses.open(p.id, CourseInput(Region.LUMBAR, DAY0))
    services.courses.open(p.id, CourseInput(Region.CERVICAL, DAY0))
    hardware = patient(services, "1002", "Hal", "Ware")
    services.screenings.record(hardware.id, screening(contra=[Contraindication.SPINAL_HARDWARE]))
    with pytest.raises(NotCleared, match="screws or metal plates in the spine"):
        services.courses.open(hardware.id, CourseInput(Region.LUMBAR, DAY0, 30))
    assert services.courses.for_patient(hardware.id) == []


def test_re_activating_a_completed_course_beside_an_active_one_is_refused(services):
    p, first = cleared_patient_with_course(services)
    services.sessions.record(first.id, session(DAY0))
    services.courses.set_status(first.id, CourseStatus.COMPLETED, on=DAY0 + timedelta(days=3))
    second = services.courses.open(p.id, CourseInput(Region.LUMBAR, DAY0 + timedelta(days=10)))
    with pytest.raises(ValidationError) as err:
        services.courses.set_status(first.id, CourseStatus.ACTIVE)
    assert "already has the active lumbar course" in str(err.value)
    # Completed again, the second one cannot be re-activated either while... nothing else is active: it may.
    services.courses.set_status(second.id, CourseStatus.DISCONTINUED, on=DAY0 + timedelta(days=12))
    with pytest.raises(ValidationError, match="overlap"):  # open-ended again, it would reach over the second
        services.courses.set_status(first.id, CourseStatus.ACTIVE)
    assert services.courses.set_status(second.id, CourseStatus.ACTIVE).status is CourseStatus.ACTIVE
    statuses = sorted(c.status.value for c in services.courses.for_patient(p.id))
    assert statuses == ["active", "completed"]


def test_courses_of_a_region_never_overlap_and_never_end_before_their_sessions(services):
    p, first = cleared_patient_with_course(services)
    services.sessions.record(first.id, session(DAY0 + timedelta(days=4)))
    with pytest.raises(ValidationError, match="latest session is on 2026-03-06"):
        services.courses.set_status(first.id, CourseStatus.COMPLETED, on=DAY0 + timedelta(days=2))
    services.courses.set_status(first.id, CourseStatus.COMPLETED, on=DAY0 + timedelta(days=5))
    with pytest.raises(ValidationError, match="overlap the completed lumbar course"):
        services.courses.open(p.id, CourseInput(Region.LUMBAR, DAY0 + timedelta(days=4)))
    # The next course may open on the day the last one ended (at the same visit).
    services.courses.open(p.id, CourseInput(Region.LUMBAR, DAY0 + timedelta(days=5)))


def test_a_session_moved_before_its_course_moves_the_start_or_is_refused(services):
    p, course = cleared_patient_with_course(services, on=DAY0)
    services.screenings.record(p.id, screening(DAY0 - timedelta(days=20), xray_on=DAY0 - timedelta(days=21)))
    saved = services.sessions.record(course.id, session(DAY0 + timedelta(days=2))).session
    moved = services.sessions.update(saved.id, session(DAY0 - timedelta(days=3)), saved.version).session
    assert services.courses.get(course.id).start_date == moved.date == DAY0 - timedelta(days=3)
    with pytest.raises(ValidationError, match="first session is on 2026-02-27"):
        services.courses.update(course.id, CourseInput(Region.LUMBAR, DAY0), course.version + 1)
    # Before a finished course of the region: refused, and the course's start stays before its session.
    services.courses.set_status(course.id, CourseStatus.COMPLETED, on=DAY0 + timedelta(days=2))
    later = services.courses.open(p.id, CourseInput(Region.LUMBAR, DAY0 + timedelta(days=5)))
    s2 = services.sessions.record(later.id, session(DAY0 + timedelta(days=6))).session
    with pytest.raises(ValidationError) as err:
        services.sessions.update(s2.id, session(DAY0 + timedelta(days=1)), s2.version)
    assert "within the completed lumbar course" in str(err.value)
    assert services.courses.get(later.id).start_date == DAY0 + timedelta(days=5)
    # After a finished course's end: refused.
    with pytest.raises(ValidationError, match="after the course ended"):
        services.sessions.update(moved.id, session(DAY0 + timedelta(days=4)), moved.version)


def test_a_session_before_a_contraindication_stays_correctable_and_audited(services):
    p, course = cleared_patient_with_course(services)
    saved = services.sessions.record(course.id, session(DAY0)).session
    services.screenings.record(p.id, screening(DAY0 + timedelta(days=1), contra=[Contraindication.PREGNANT]))
    fixed = services.sessions.update(saved.id, session(DAY0, notes="corrected", adverse_events=frozenset(
        {AdverseEvent.MUSCLE_SPASM}), adverse_notes="left side"), saved.version).session
    assert (fixed.notes, fixed.adverse_events) == ("corrected", frozenset({AdverseEvent.MUSCLE_SPASM}))
    with services.ctx.unit_of_work() as s:
        actions = s.scalars(select(m.AuditEvent.action).where(m.AuditEvent.entity == "session")).all()
    assert actions == ["create", "update"]
    # Its date changes: clearance is checked again, on the new date.
    with pytest.raises(NotCleared, match="pregnancy"):
        services.sessions.update(saved.id, session(DAY0 + timedelta(days=1)), fixed.version)


def test_every_figure_uses_the_courses_planned_count(services):
    p = patient(services)
    services.screenings.record(p.id, screening())
    course = services.courses.open(p.id, CourseInput(Region.LUMBAR, DAY0, planned_sessions=20))
    services.sessions.record(course.id, session(DAY0, at=time(9, 0)))
    assert services.sessions.progress(course.id).as_json(p.chart_number)["sessions_planned"] == 20
    assert services.reports.summary(patient_id=p.id).progress.sessions_planned == 20
    (row,) = services.patients.list()
    assert (row.sessions_completed, row.sessions_planned) == (1, 20)
    assert services.billing.estimate_context(p.chart_number).estimate.sessions == 20
