"""The care plan at the desk: the course dialog edits the phases and shows the planned total; the visit
tracker (expected by today, behind) shows on the Sessions and Progress tabs and in the patient list."""
from datetime import timedelta

from decomp_desk.domain.course_input import CourseInput
from decomp_desk.domain.types import Region
from decomp_desk.ui.dialogs.course_dialog import CourseDialog
from tests.factories import patient, screening, session
from tests.ui import steps
from tests.ui.conftest import settle


def test_plan_in_the_course_dialog_and_the_tracker(qtbot, desk, drive, shown):
    window = desk
    sv = window.services
    today = sv.ctx.today()
    start = today - timedelta(days=15)  # two weeks finished
    p = patient(sv, "3101", "Cora", "Nash")
    sv.screenings.record(p.id, screening(on=start, xray_on=start))
    course = sv.courses.open(p.id, CourseInput(Region.LUMBAR, start))
    sv.sessions.record(course.id, session(on=start))
    sv.sessions.record(course.id, session(on=start + timedelta(days=2)))
    window.list_page.reload()
    settle(qtbot, window)
    steps.open_patient(qtbot, window, "3101")
    page = window.patient_page
    page.tabs.setCurrentWidget(page.sessions)
    assert "No care plan" in page.sessions.tracker.text()

    def fill(d: CourseDialog) -> None:
        steps.type_into(qtbot, d.plan, "3x")
        assert d.plan_total.text() == ""
        steps.type_into(qtbot, d.plan, "3x4,2x3")
        assert d.plan_total.text() == "= 18 sessions" and d.planned_sessions.value() == 18
        assert not d.planned_sessions.isEnabled()

    edited = drive(CourseDialog, fill)
    page.actions.edit_course.trigger()
    settle(qtbot, window)
    saved = edited.results[-1]
    assert saved.plan == "3x4,2x3" and saved.planned_sessions == 18
    text = page.sessions.tracker.text()
    assert "Care plan 3x4,2x3 (18 visits): expected 6 by today, 2 recorded, <b>4 behind</b>" in text
    page.tabs.setCurrentWidget(page.progress)
    assert "4 behind" in page.progress.tracker.text()
    row = next(r for r in window.list_page.model.rows() if r.chart_number == "3101")
    assert row.behind == 4

    def bad(d: CourseDialog) -> None:
        steps.type_into(qtbot, d.plan, "9x2")

    refused = drive(CourseDialog, bad)
    page.actions.edit_course.trigger()
    settle(qtbot, window)
    assert refused.results == [None] and refused.last.plan.toolTip().startswith("Care plan: ")  # marked beside it
    refused.last.reject()
