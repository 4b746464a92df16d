"""Issue 17, points 3, 6 and 7: course labels show start and end; Ctrl+R on a patient who is not cleared
says why; the Sessions tab offers Ctrl+R only where it can be used."""
from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from decomp_desk.domain.course_input import CourseInput
from decomp_desk.domain.types import Contraindication, CourseStatus, Region
from tests.factories import patient, screening
from tests.ui import steps
from tests.ui.conftest import settle


def open_chart(qtbot, window, chart):
    window.list_page.reload()
    settle(qtbot, window)
    steps.open_patient(qtbot, window, chart)
    page = window.patient_page
    page.tabs.setCurrentWidget(page.sessions)
    settle(qtbot, window)
    return page


def test_ctrl_r_on_a_patient_who_is_not_cleared_says_why(qtbot, desk, shown):
    window = desk
    s = window.services
    on = s.ctx.today() - timedelta(days=5)
    p = patient(s, "4001", "Hal", "Hardware")
    s.screenings.record(p.id, screening(on=on, xray_on=on, contra=(Contraindication.SPINAL_HARDWARE,)))
    page = open_chart(qtbot, window, "4001")
    assert not page.actions.new_session.isEnabled()
    steps.press(qtbot, window, Qt.Key.Key_R, steps.CTRL)
    assert shown.errors and shown.errors[-1].startswith("New session is not available.")
    assert "screws or metal plates in the spine" in shown.errors[-1]
    # The Sessions tab does not offer Ctrl+R either: it says why instead.
    assert "Ctrl+R" not in page.sessions.empty.text() and "screws or metal plates" in page.sessions.empty.text()

    # Back on the list, Ctrl+R explains nothing about the patient shown before.
    shown.errors.clear()
    window.show_list()
    steps.press(qtbot, window, Qt.Key.Key_R, steps.CTRL)
    assert shown.errors == []


def test_a_discontinued_course_is_labelled_with_its_dates_and_offers_no_ctrl_r(qtbot, desk, shown):
    window = desk
    s = window.services
    today = s.ctx.today()
    start = today - timedelta(days=40)
    p = patient(s, "4002", "Dee", "Stopped")
    s.screenings.record(p.id, screening(on=start, xray_on=start))
    course = s.courses.open(p.id, CourseInput(Region.LUMBAR, start))
    end = today - timedelta(days=3)
    s.courses.set_status(course.id, CourseStatus.DISCONTINUED, on=end)
    page = open_chart(qtbot, window, "4002")
    label = page.sessions.course_box.currentText()
    same_year = start.year == end.year
    start_text = f"{start:%b} {start.day}" + ("" if same_year else f", {start.year}")
    assert label == f"Lumbar course, 0 of 30 sessions, {start_text} - {end:%b} {end.day}, {end.year}, discontinued"
    assert "since" not in label
    text = page.sessions.empty.text()
    assert "Ctrl+R" not in text and "discontinued" in text
