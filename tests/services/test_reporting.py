"""The progress summary's data comes from the same computation as `progress --json`, on both databases."""
from datetime import timedelta

import pytest

from decomp_desk.domain.course_input import CourseInput
from decomp_desk.domain.errors import NotFound
from decomp_desk.domain.types import Condition, Region
from tests.factories import DAY0, cleared_patient_with_course, patient, screening, session


def test_summary_context_matches_the_course_progress(services):
    p, course = cleared_patient_with_course(services, "4001", first="Rita", last="Moreno")
    for i, pain in enumerate((8, 6, 5)):
        services.sessions.record(course.id, session(DAY0 + timedelta(days=2 * i), pain=pain))
    ctx = services.reports.summary(chart_number="4001")
    assert ctx.patient_name == "Rita Moreno" and ctx.chart_number == "4001"
    assert ctx.progress == services.sessions.progress(course.id)
    assert ctx.progress.as_json("4001")["improvement_percent"]["pain"] == 38
    assert ctx.clinician == "Dr. Test Clinician"
    assert ctx.region_label == Region.LUMBAR.label


def test_summary_lists_conditions_in_their_usual_order(services):
    p = patient(services, "4002")
    services.screenings.record(p.id, screening())
    services.courses.open(p.id, CourseInput(Region.LUMBAR, DAY0, conditions=frozenset(
        {Condition.SCIATICA, Condition.HERNIATED_DISC})))
    assert services.reports.summary(patient_id=p.id).conditions == (
        Condition.HERNIATED_DISC.label, Condition.SCIATICA.label)


def test_a_patient_without_a_course_gets_a_clear_message(services):
    patient(services, "4003")
    with pytest.raises(NotFound, match="no treatment course"):
        services.reports.summary(chart_number="4003")
