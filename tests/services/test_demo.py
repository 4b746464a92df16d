"""The demo clinic (both databases): realistic, complete enough to show every part of the desk, and
made through the same rules as everything else."""
from collections import Counter
from datetime import timedelta

import pytest

from decomp_desk.bootstrap import open_services
from decomp_desk.domain.errors import DomainError
from decomp_desk.domain.types import AdverseEvent, ClearanceState, Condition, Contraindication, CourseStatus, Region
from decomp_desk.services.demo.loading import load_demo
from tests.conftest import CLINICIAN
from tests.factories import patient


@pytest.fixture(scope="module")
def demo(module_db_url):
    """The demo loaded once per database, and everything a test may ask of it, as plain data."""
    services = open_services(module_db_url, CLINICIAN)
    summary = load_demo(services)
    people = []
    for row in services.patients.list(include_archived=True):
        screenings = services.screenings.history(row.id)  # newest first
        courses = []
        for c in services.courses.for_patient(row.id):
            courses.append((c, services.sessions.for_course(c.id), services.sessions.progress(c.id)))
        people.append((row, services.patients.get(row.id), screenings, courses))
    yield summary, people, services.settings.get(), services.ctx.today()
    services.dispose()


def _courses(people):
    return [c for *_, courses in people for c in courses]


def test_about_forty_patients_with_varied_details(demo):
    summary, people, settings, _ = demo
    assert 35 <= summary.patients == len(people) <= 45
    assert settings.name == summary.clinic_name == "Riverside Spine & Decompression" and settings.address
    details = [d for _, d, _, _ in people]
    assert len({(d.first_name, d.last_name) for d in details}) == len(details)
    assert len({d.date_of_birth for d in details}) > 30 and len({d.phone for d in details}) == len(details)
    assert sum(bool(d.email) for d in details) > 25
    assert {d.insurer for d in details} == {"Blue Cross Blue Shield", "Aetna", "Cigna", "UnitedHealthcare",
                                            "Humana", "Medicare", ""}
    assert len({d.coverage for d in details}) == 3


def test_every_indication_and_both_regions_appear(demo):
    _, people, _, _ = demo
    screenings = [s for _, _, history, _ in people for s in history]
    assert set().union(*(s.conditions for s in screenings)) == set(Condition)
    assert {s.region for s in screenings} == set(Region)


def test_some_patients_are_not_cleared_for_every_reason(demo):
    _, people, _, _ = demo
    newest = [history[0] for _, _, history, _ in people if history]
    assert set().union(*(s.contraindications for s in newest)) == set(Contraindication)
    reasons = Counter(r for s in newest for r in s.clearance.reasons)
    assert reasons["no x-ray on file"] == 1 and reasons["the x-ray shows a bone abnormality"] == 1
    assert any(row.clearance.state is ClearanceState.NOT_SCREENED for row, *_ in people)


def test_one_patient_was_cleared_and_later_not_with_earlier_sessions_kept(demo):
    _, people, _, _ = demo
    turned = [(history, courses) for _, _, history, courses in people
              if len(history) > 1 and history[1].clearance.cleared and not history[0].clearance.cleared]
    assert len(turned) == 1
    history, [(_, sessions, _)] = turned[0]
    assert history[0].contraindications == {Contraindication.PREGNANT}
    assert sessions and all(s.date < history[0].screened_on for s in sessions)


def test_courses_just_started_midway_completed_and_discontinued(demo):
    courses = _courses(demo[1])
    by_status = Counter(c.status for c, _, _ in courses)
    assert set(by_status) == set(CourseStatus)
    done = [len(s) for c, s, _ in courses if c.status is CourseStatus.COMPLETED]
    assert 30 in done and all(n == 30 for n in done)
    active = [len(s) for c, s, _ in courses if c.status is CourseStatus.ACTIVE]
    assert 0 in active and any(n <= 3 for n in active if n) and any(10 <= n <= 25 for n in active)


def test_sessions_are_past_weekdays_two_or_three_a_week_on_realistic_settings(demo):
    _, people, _, today = demo
    for c, sessions, _ in _courses(people):
        days = [s.date for s in sessions]
        assert all(d < today and d.weekday() < 5 for d in days)
        assert all(sum(1 for e in days if d <= e < d + timedelta(days=7)) <= 3 for d in days)
        for s in sessions:
            low, high = (30, 120) if c.region is Region.LUMBAR else (10, 30)
            assert low <= s.max_force_lb <= high and s.min_force_lb < s.max_force_lb and s.mode
            assert s.stop_button == (s.duration_min < 30)


def test_adverse_events_and_stop_buttons_are_realistic(demo):
    sessions = [s for _, ss, _ in _courses(demo[1]) for s in ss]
    events = Counter(e for s in sessions for e in s.adverse_events)
    assert events[AdverseEvent.SORENESS] > 30
    assert 2 <= events[AdverseEvent.MUSCLE_SPASM] <= 6 and events[AdverseEvent.TISSUE_DAMAGE] == 1
    assert 3 <= sum(s.stop_button for s in sessions) <= 8


def test_progress_improves_for_most_patients_but_not_all(demo):
    progress = [p for _, s, p in _courses(demo[1]) if len(s) >= 8]
    meaningful = [p.meaningful_pain_improvement for p in progress]
    assert sum(meaningful) > len(meaningful) / 2 and not all(meaningful)
    for p in progress:
        assert p.sessions_completed <= p.sessions_planned == 30
        assert p.first_session < p.latest_session
        assert p.change["pain"] == p.latest.pain - p.baseline.pain


def test_the_demo_loads_only_into_an_empty_database(services):
    patient(services)
    for target in (services, services.ctx):  # the desk passes its services, a script may pass a context
        with pytest.raises(DomainError, match="already has 1 patient."):
            load_demo(target)
    assert len(services.patients.list()) == 1
