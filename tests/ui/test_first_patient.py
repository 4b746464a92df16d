"""A new user's first patient, through the window: register, screen, three sessions, correct one."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from PySide6.QtCore import Qt

from decomp_desk.domain.types import AdverseEvent
from decomp_desk.services.demo.loading import load_demo
from decomp_desk.ui.dialogs.course_dialog import CourseDialog
from decomp_desk.ui.dialogs.session_dialog import SessionDialog
from tests.ui import steps
from tests.ui.conftest import settle

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_register_screen_and_record_three_sessions(qtbot, desk_any_db, drive, shown):
    first_patient(qtbot, desk_any_db, drive, shown, expected_chart="1001")


def test_the_same_on_the_demo_clinic(qtbot, desk, drive, shown):
    load_demo(desk.services)
    desk.list_page.reload()
    settle(qtbot, desk)
    first_patient(qtbot, desk, drive, shown, expected_chart="1041")


def first_patient(qtbot, window, drive, shown, expected_chart: str) -> None:
    created = steps.register(qtbot, window, drive, first="Maria", last="Gomez", born="04/12/1961",
                             phone="555-201-3344")
    assert created is not None and created.chart_number == expected_chart
    assert str(created.date_of_birth) == "1961-04-12"
    page = window.patient_page
    assert window.stack.currentWidget() is page
    assert page.title.text().startswith("Gomez, Maria · born Apr 12, 1961 (")
    assert page.tabs.currentWidget() is page.screening  # the next step after registering
    assert not page.actions.new_session.isEnabled()
    assert "no screening on file" in page.actions.new_session.toolTip()

    decision = steps.screen(qtbot, window, ago=7)
    screened_on = window.services.ctx.today() - timedelta(days=7)
    assert decision == f"If saved: Cleared for decompression (screening of {screened_on})"
    assert page.file.clearance.cleared
    assert page.overview.clearance.text().startswith("Cleared for decompression")
    assert page.actions.new_session.isEnabled()

    # First session: there is no course yet, so the course dialog comes first, then the session form.
    course = drive(CourseDialog, steps.fill_course(qtbot, planned=24, fee="95", ago=7))
    first = steps.new_session(qtbot, window, drive, steps.fill_session(qtbot, "754", force="60.5", ago=5))
    assert course.results[-1].planned_sessions == 24 and course.results[-1].fee_per_session == Decimal("95.00")
    saved = first.results[-1]
    assert saved.session.before.as_dict() == {"pain": 7, "numbness": 5, "tingling": 4}
    assert saved.session.max_force_lb == Decimal("60.5")
    assert saved.session.clinician == "Dr. Test Clinician"

    # Second, by Ctrl+Shift+N: the last table settings come back, the scores do not; a short
    # stop-button session is flagged, and saved.
    def second_fill(d: SessionDialog) -> None:
        assert d.max_force_lb.decimal() == Decimal("60.5")
        assert d.duration_min.value() == 35 and d.duration_flag.text() == ""
        assert all(box.score() is None for box in d.before.values())
        steps.fill_session(qtbot, "643", duration=25, stop_minute=20, soreness=True, ago=3)(d)
        assert d.duration_flag.text() == "⚑ Duration 25 min is outside the usual 30 to 45 minutes"

    second = steps.new_session(qtbot, window, drive, second_fill, Qt.Key.Key_N, CTRL_SHIFT)
    saved = second.results[-1]
    assert saved.flags == ("duration 25 min is outside the usual 30 to 45 minutes",)
    assert saved.session.stop_button and saved.session.stop_minute == 20
    assert saved.session.adverse_events == frozenset({AdverseEvent.SORENESS})
    assert "Flagged: duration 25 min" in window.statusBar().currentMessage()

    # Third, by Ctrl+R, with the scores after the session too (10 is typed as 1 then 0).
    third = steps.new_session(qtbot, window, drive, steps.fill_session(qtbot, "5102", after="320"))
    saved = third.results[-1].session
    assert (saved.before.as_dict(), saved.after.as_dict()) == ({"pain": 5, "numbness": 10, "tingling": 2},
                                                               {"pain": 3, "numbness": 2, "tingling": 0})

    tab = page.sessions
    page.tabs.setCurrentWidget(tab)
    assert tab.model.rowCount() == 3
    assert [tab.proxy.index(r, 0).data() for r in range(3)] == ["1", "2", "3"]
    assert "⚑" in tab.proxy.index(1, 3).data() and "⚑" not in tab.proxy.index(0, 3).data()
    assert tab.course_box.currentText().startswith("Lumbar course, 3 of 24 sessions")
    assert page.overview.course.text().startswith("Course: Lumbar course, 3 of 24 sessions")

    # Correct the third session: select it, Enter opens it, change the pain score.
    def correct(d: SessionDialog) -> None:
        assert d.windowTitle().startswith("Edit session 3")
        assert d.before["pain"].score() == 5 and d.after_given.isChecked()
        steps.focus(qtbot, d.before["pain"])
        steps.type_at_focus(qtbot, "4")

    driven = drive(SessionDialog, correct)
    tab.table.setFocus()
    tab.table.selectRow(2)
    steps.press(qtbot, tab.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(driven.results), timeout=10000)
    settle(qtbot, window)
    assert driven.results[-1].session.before.pain == 4
    assert [s.before.pain for s in window.services.sessions.for_course(tab.selected_course().id)] == [7, 6, 4]

    # Back on the list the patient reads cleared, 3 of 24, with today's last session.
    steps.press(qtbot, window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    settle(qtbot, window)
    row = window.list_page.model.row_at(window.list_page.model.row_of(created.id))
    assert (row.chart_number, row.course_progress, row.clearance.describe()) == (expected_chart, "3 / 24", "Cleared")
    assert window.list_page.current_patient_id() == created.id  # the list comes back on the same patient
    assert shown.errors == []
