"""Issue 17, point 8: the session's date box takes the days from the course's start to today; the others
are greyed in its calendar, and a typed one is explained instead of dropped without a word."""
from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate, Qt

from decomp_desk.ui.dialogs.session_dialog import SessionDialog
from tests.ui import steps
from tests.ui.field_errors import beside
from tests.ui.pages.test_sessions_tab import cleared_patient


def test_days_outside_the_course_are_greyed_and_a_typed_one_is_explained(qtbot, desk, drive, shown):
    window = desk
    cleared_patient(qtbot, window, screened_days_ago=3)  # the course starts on the screening day
    today = window.services.ctx.today()
    start = today - timedelta(days=3)
    seen = {}

    def fill(d: SessionDialog) -> None:
        box = d.date
        assert (box.minimumDate().toPython(), box.maximumDate().toPython()) == (start, today)
        calendar = box.calendarWidget()
        before, after = QDate(start).addDays(-1), QDate(today).addDays(1)
        calendar.setCurrentPage(before.year(), before.month())
        assert calendar.dateTextFormat(before).fontStrikeOut()
        assert not calendar.dateTextFormat(QDate(start)).fontStrikeOut()
        calendar.setCurrentPage(after.year(), after.month())
        assert calendar.dateTextFormat(after).fontStrikeOut()
        assert "to today" in box.toolTip() and "Only days from" in box.toolTip()

        # Typed: a day before the course's start is refused, and said so next to the field.
        steps.focus(qtbot, box)
        box.lineEdit().selectAll()
        early = start - timedelta(days=40)
        qtbot.keyClicks(box, early.isoformat())
        steps.focus(qtbot, d.duration_min)  # leaving the box
        seen["date"] = box.date().toPython()
        seen["beside"] = beside(d.marks, "date")
        seen["invalid"] = box.property("invalid")
        d.reject()

    driven = drive(SessionDialog, fill, save=False)
    steps.press(qtbot, window, Qt.Key.Key_R, steps.CTRL)
    qtbot.waitUntil(lambda: bool(driven.results), timeout=10000)
    assert start <= seen["date"] <= today
    assert seen["invalid"] is True
    assert seen["beside"].startswith("That day cannot be chosen. Only days from") and "to today" in seen["beside"]
