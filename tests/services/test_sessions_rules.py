"""The screening rules bite in the service layer, so no front end can bypass them (both databases)."""
from datetime import date, time, timedelta

import pytest

from decomp_desk.domain.course_input import CourseInput
from decomp_desk.domain.errors import NotCleared, ValidationError
from decomp_desk.domain.types import AdverseEvent, Contraindication, CourseStatus, Region
from tests.factories import DAY0, cleared_patient_with_course, patient, screening, session


def _sessions(services, course_id):
    return services.sessions.for_course(course_id)


DAY_BEFORE = DAY0 - timedelta(days=1)


def _course_opened_while_cleared(services, p):
    """A course opened the day before DAY0 on a clean screening (a course needs clearance to open)."""
    services.screenings.record(p.id, screening(on=DAY_BEFORE, xray_on=DAY_BEFORE))
    return services.courses.open(p.id, CourseInput(Region.LUMBAR, DAY_BEFORE))


def test_a_patient_never_screened_cannot_have_a_course_nor_a_session(services):
    p = patient(services)
    with pytest.raises(NotCleared, match="no screening on file"):
        services.courses.open(p.id, CourseInput(Region.LUMBAR, DAY0))
    assert services.courses.for_patient(p.id) == []
    course = _course_opened_while_cleared(services, p)
    with pytest.raises(NotCleared, match="no screening on file"):
        services.sessions.record(course.id, session(DAY_BEFORE - timedelta(days=1)))
    assert _sessions(services, course.id) == []


@pytest.mark.parametrize("contra", list(Contraindication))
def test_each_contraindication_refuses_a_session_and_names_itself(services, contra):
    p = patient(services)
    course = _course_opened_while_cleared(services, p)
    services.screenings.record(p.id, screening(contra=[contra]))
    with pytest.raises(NotCleared) as err:
        services.sessions.record(course.id, session())
    assert err.value.reasons == (contra.label.lower(),)
    assert contra.label.lower() in str(err.value)
    assert _sessions(services, course.id) == []
    with pytest.raises(NotCleared, match=contra.label.lower()):
        services.courses.open(p.id, CourseInput(Region.CERVICAL, DAY0))


@pytest.mark.parametrize("xray_on, abnormal, reason",
                         [(None, False, "no lumbar x-ray on file"), (DAY0, True, "lumbar x-ray shows a bone abnormality")])
def test_missing_or_abnormal_xray_refuses_a_session(services, xray_on, abnormal, reason):
    p = patient(services)
    course = _course_opened_while_cleared(services, p)
    services.screenings.record(p.id, screening(xray_on=xray_on, abnormal=abnormal))
    with pytest.raises(NotCleared, match=reason):
        services.sessions.record(course.id, session())


def test_a_later_screening_blocks_later_sessions_and_keeps_earlier_ones(services):
    p, course = cleared_patient_with_course(services)
    services.sessions.record(course.id, session(DAY0))
    services.sessions.record(course.id, session(DAY0 + timedelta(days=2)))
    pregnant_from = DAY0 + timedelta(days=5)
    services.screenings.record(p.id, screening(on=pregnant_from, contra=[Contraindication.PREGNANT]))
    with pytest.raises(NotCleared, match="pregnancy"):
        services.sessions.record(course.id, session(pregnant_from))
    # A session dated before the new screening is still judged by the screening that governed then.
    services.sessions.record(course.id, session(DAY0 + timedelta(days=4)))
    assert [s.date for s in _sessions(services, course.id)] == [DAY0, DAY0 + timedelta(days=2), DAY0 + timedelta(days=4)]
    assert services.screenings.clearance(p.id, pregnant_from).reasons == ("pregnancy",)
    assert services.screenings.clearance(p.id, DAY0).cleared


def test_refused_fields_are_named_and_nothing_is_written(services):
    _, course = cleared_patient_with_course(services)
    future = date.today() + timedelta(days=1)
    with pytest.raises(ValidationError) as err:
        services.sessions.record(course.id, session(future, pain=11, duration=0, max_force_lb=-1))
    assert set(err.value.errors) == {"date", "pain_before", "duration_min", "max_force_lb"}
    assert _sessions(services, course.id) == []


def test_an_unusual_duration_is_saved_but_flagged(services):
    _, course = cleared_patient_with_course(services)
    saved = services.sessions.record(course.id, session(duration=22, stop_button=True, stop_minute=22))
    assert saved.flags and "22 min" in saved.flags[0]
    assert saved.session.flags == saved.flags
    normal = services.sessions.record(course.id, session(at=time(14, 0), duration=45))
    assert normal.flags == ()


def test_sessions_are_numbered_by_date_and_time_not_by_entry(services):
    _, course = cleared_patient_with_course(services)
    services.sessions.record(course.id, session(DAY0 + timedelta(days=1), time(8, 0), pain=5))
    services.sessions.record(course.id, session(DAY0, time(15, 0), pain=7))
    services.sessions.record(course.id, session(DAY0, time(9, 0), pain=8))
    assert [(s.number, s.before.pain) for s in _sessions(services, course.id)] == [(1, 8), (2, 7), (3, 5)]
    progress = services.sessions.progress(course.id)
    assert (progress.baseline.pain, progress.latest.pain) == (8, 5)
    assert progress.meaningful_pain_improvement is True


def test_two_sessions_at_the_same_time_are_refused(services):
    _, course = cleared_patient_with_course(services)
    services.sessions.record(course.id, session())
    with pytest.raises(ValidationError) as err:
        services.sessions.record(course.id, session())
    assert "start_time" in err.value.errors


def test_a_closed_course_takes_no_more_sessions(services):
    _, course = cleared_patient_with_course(services)
    services.sessions.record(course.id, session())
    closed = services.courses.set_status(course.id, CourseStatus.COMPLETED, course.version + 0)
    assert closed.status is CourseStatus.COMPLETED
    with pytest.raises(ValidationError, match="completed"):
        services.sessions.record(course.id, session(DAY0 + timedelta(days=1)))


def test_editing_a_session_keeps_its_number_and_revalidates(services):
    _, course = cleared_patient_with_course(services)
    first = services.sessions.record(course.id, session(pain=6)).session
    updated = services.sessions.update(first.id, session(pain=4, adverse_events=frozenset({AdverseEvent.SORENESS})),
                                       first.version)
    assert (updated.session.before.pain, updated.session.version) == (4, first.version + 1)
    with pytest.raises(ValidationError):
        services.sessions.update(first.id, session(pain=-1), updated.session.version)
    assert _sessions(services, course.id)[0].before.pain == 4


def test_next_session_form_starts_from_the_latest_table_settings(services):
    from decimal import Decimal

    _, course = cleared_patient_with_course(services)
    assert services.sessions.starting_point(course.id) is None
    services.sessions.record(course.id, session(max_force_lb=Decimal("65.5"), hold_s=60, rest_s=20))
    start = services.sessions.starting_point(course.id)
    assert (start.max_force_lb, start.hold_s, start.rest_s) == (Decimal("65.5"), 60, 20)


def test_the_patient_list_shows_clearance_and_course_progress(services):
    p, course = cleared_patient_with_course(services, "2001", first="Bea", last="Ames")
    services.sessions.record(course.id, session(DAY0))
    services.sessions.record(course.id, session(DAY0 + timedelta(days=3)))
    blocked = patient(services, "2002", first="Cal", last="Bond")
    services.screenings.record(blocked.id, screening(contra=[Contraindication.OSTEOPOROSIS]))
    patient(services, "2003", first="Dee", last="Cole", phone="555-867-5309")
    rows = {r.chart_number: r for r in services.patients.list()}
    assert rows["2001"].clearance.cleared and rows["2001"].course_progress == "2 / 30"
    assert rows["2001"].last_session == DAY0 + timedelta(days=3)
    assert rows["2002"].clearance.describe() == "Not cleared: osteoporosis"
    assert rows["2003"].clearance.describe() == "Not screened" and rows["2003"].course_progress == ""
    assert [r.chart_number for r in services.patients.list(search="867")] == ["2003"]
    assert [r.chart_number for r in services.patients.list(search="bea ames")] == ["2001"]
    services.patients.set_archived(p.id, True)
    assert "2001" not in {r.chart_number for r in services.patients.list()}
    assert "2001" in {r.chart_number for r in services.patients.list(include_archived=True)}


def test_a_chart_number_belongs_to_one_patient(services):
    patient(services, "3001")
    with pytest.raises(ValidationError) as err:
        patient(services, "3001", first="Other")
    assert "chart_number" in err.value.errors


def test_only_one_active_course_per_region(services):
    p, _ = cleared_patient_with_course(services)
    with pytest.raises(ValidationError) as err:
        services.courses.open(p.id, CourseInput(Region.LUMBAR, DAY0))
    assert "region" in err.value.errors
    services.screenings.record(p.id, screening(region=Region.CERVICAL))
    cervical = services.courses.open(p.id, CourseInput(Region.CERVICAL, DAY0, planned_sessions=20))
    assert cervical.planned_sessions == 20


def test_every_save_records_who_made_it(services):
    _, course = cleared_patient_with_course(services)
    saved = services.sessions.record(course.id, session()).session
    assert saved.clinician == "Dr. Test Clinician"
