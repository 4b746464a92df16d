"""The patient list is read in three set-based queries (services/patients.py: quick at start on ten years
of records); each line must still say what the per-patient services say, on a clinic with several
courses per patient, completed and discontinued ones, refused and archived patients (the demo clinic),
and on both databases."""
from __future__ import annotations

from datetime import time, timedelta

import pytest

from decomp_desk.bootstrap import open_services
from decomp_desk.domain.course_input import CourseInput
from decomp_desk.domain.types import Contraindication, CourseStatus, Region
from decomp_desk.services.demo.loading import load_demo
from tests.conftest import CLINICIAN
from tests.factories import DAY0, patient, screening, session


@pytest.fixture(scope="module")
def clinic(module_db_url):
    services = open_services(module_db_url, CLINICIAN)
    load_demo(services)
    # Patients with several courses, so that the list has to pick the current one: the active course
    # whatever its start, else the newest; a course's sessions are counted and dated on their own.
    for n, (kinds, sessions_in) in enumerate([
        ((CourseStatus.COMPLETED, CourseStatus.ACTIVE), (3, 2)),
        ((CourseStatus.ACTIVE, CourseStatus.COMPLETED), (1, 4)),  # the active one is the older
        ((CourseStatus.COMPLETED, CourseStatus.DISCONTINUED), (2, 1)),
        ((CourseStatus.DISCONTINUED, CourseStatus.COMPLETED, CourseStatus.COMPLETED), (1, 0, 2)),
    ]):
        p = patient(services, f"90{n}", first="Multi", last=f"Course{n}")
        services.screenings.record(p.id, screening(DAY0 - timedelta(days=400), xray_on=DAY0 - timedelta(days=402)))
        services.screenings.record(p.id, screening(DAY0 - timedelta(days=400), xray_on=DAY0 - timedelta(days=402),
                                                   region=Region.CERVICAL))
        for i, (status, count) in enumerate(zip(kinds, sessions_in)):
            start = DAY0 - timedelta(days=300 - 60 * i)
            region = Region.CERVICAL if status is CourseStatus.ACTIVE else Region.LUMBAR
            course = services.courses.open(p.id, CourseInput(region, start))
            for k in range(count):
                services.sessions.record(course.id, session(start + timedelta(days=2 * k), at=time(9 + i, 0)))
            if status is not CourseStatus.ACTIVE:
                services.courses.set_status(course.id, status, on=start + timedelta(days=40))
    # Patients whose clearance is decided by two different screenings (the newest of any region and the
    # newest of the course's region), with same-day ties that only the order of recording settles.
    day = DAY0 - timedelta(days=200)
    for n, screenings in enumerate([
        # an old lumbar x-ray, then a newer neck screening naming a contraindication: (a) refuses
        [screening(day, xray_on=day), screening(day + timedelta(days=5), xray_on=day, region=Region.CERVICAL,
                                                contra=[Contraindication.PREGNANT])],
        # the same, the contraindication on an older screening: the newest of any region has none
        [screening(day, xray_on=day, region=Region.CERVICAL, contra=[Contraindication.PREGNANT]),
         screening(day + timedelta(days=5), xray_on=day)],
        # the newest lumbar screening has no x-ray, an older one had: (b) reads the newest
        [screening(day, xray_on=day), screening(day + timedelta(days=9), xray_on=None)],
        # same day: clear, then a contraindication recorded after it (the later one is the newer)
        [screening(day, xray_on=day), screening(day, xray_on=day, contra=[Contraindication.OSTEOPOROSIS])],
        # same day: a contraindication, then a clear one recorded after it
        [screening(day, xray_on=day, contra=[Contraindication.OSTEOPOROSIS]), screening(day, xray_on=day)],
        # same day: an abnormal lumbar x-ray, then a neck one: without a course, the neck (the newer) is meant
        [screening(day, xray_on=day, abnormal=True), screening(day, xray_on=day, region=Region.CERVICAL)],
    ]):
        p = patient(services, f"95{n}", first="Two", last=f"Screenings{n}")
        for s in screenings:
            services.screenings.record(p.id, s)
        if n in (1, 4):  # cleared: a lumbar course says which region is meant
            services.courses.open(p.id, CourseInput(Region.LUMBAR, day + timedelta(days=10)))
    # A lumbar course opened while cleared; the same day, a neck screening recorded after the lumbar one
    # names a contraindication: the newest of any region (the neck's) refuses, the lumbar x-ray is fine.
    p = patient(services, "960", first="Later", last="SameDay")
    services.screenings.record(p.id, screening(day, xray_on=day))
    services.courses.open(p.id, CourseInput(Region.LUMBAR, day))
    services.screenings.record(p.id, screening(day, xray_on=day, region=Region.CERVICAL,
                                               contra=[Contraindication.BONE_CANCER]))
    yield services
    services.dispose()


def expected_line(services, row):
    """What the list should say of a patient, asked of the services one patient at a time."""
    clearance = services.screenings.clearance(row.id)  # today, for the current course's region
    courses = services.courses.for_patient(row.id)  # newest first
    current = next((c for c in courses if c.status is CourseStatus.ACTIVE), courses[0] if courses else None)
    sessions = services.sessions.for_course(current.id) if current else []
    return (clearance, current.planned_sessions if current else None, len(sessions) if current else None,
            sessions[-1].date if sessions else None)


def test_each_line_says_what_the_services_say_one_patient_at_a_time(clinic):
    rows = clinic.patients.list(include_archived=True)
    assert len(rows) >= 35
    assert any(len(clinic.courses.for_patient(r.id)) > 1 for r in rows)  # the case the query must choose in
    for row in rows:
        assert (row.clearance, row.sessions_planned, row.sessions_completed, row.last_session) == \
            expected_line(clinic, row), row.chart_number


def test_the_list_is_in_name_order_and_a_search_gives_the_same_lines(clinic):
    rows = clinic.patients.list()
    assert [(r.last_name, r.first_name, r.id) for r in rows] == sorted((r.last_name, r.first_name, r.id) for r in rows)
    some = rows[len(rows) // 2]
    found = clinic.patients.list(search=some.last_name[:3])
    assert some in found and all(r in rows for r in found)


def test_rows_made_many_at_a_time_are_what_the_constructor_makes(clinic):
    from dataclasses import fields

    from decomp_desk.services.dto import PatientRow

    names = {f.name for f in fields(PatientRow)}
    rows = clinic.patients.list(include_archived=True)
    assert all(set(vars(r)) == names for r in rows)  # every field set, nothing else
    assert rows == [PatientRow(**vars(r)) for r in rows]
    assert hash(rows[0]) == hash(PatientRow(**vars(rows[0])))
