"""Issue 17, point 12: the words a user reads. "at minute 12" (not "at minute 12 min"), "Regressive:" with
its capital, one full stop after a finding, the first-start dialog never clips its text when an error
shows, and the Progress tab's footnote in readable text."""
from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel

from decomp_desk.bootstrap import open_services
from decomp_desk.ui.dialogs.first_run_dialog import FirstRunDialog
from decomp_desk.ui.dialogs.session_dialog import SessionDialog
from decomp_desk.ui.workers import Runner
from tests.factories import patient, screening
from tests.ui import steps
from tests.ui.conftest import settle
from tests.ui.pages.test_sessions_tab import cleared_patient


def test_the_session_form_reads_at_minute_12_and_regressive(qtbot, desk, drive, shown):
    window = desk
    cleared_patient(qtbot, window)
    seen = {}

    def fill(d: SessionDialog) -> None:
        steps.click(qtbot, d.stop_button)
        steps.type_into(qtbot, d.stop_minute, "12")
        seen["stop"] = d.stop_minute.text()
        seen["labels"] = [w.text() for w in d.findChildren(QLabel)]
        d.reject()

    driven = drive(SessionDialog, fill, save=False)
    steps.press(qtbot, window, Qt.Key.Key_R, steps.CTRL)
    qtbot.waitUntil(lambda: bool(driven.results), timeout=10000)
    assert seen["stop"] == "at minute 12"
    assert "Regressive:" in seen["labels"] and "regressive:" not in seen["labels"]


def test_a_finding_that_ends_in_a_full_stop_gets_no_second_one(qtbot, desk):
    window = desk
    on = window.services.ctx.today() - timedelta(days=1)
    p = patient(window.services, "2201", "Flo", "Stop")
    from dataclasses import replace
    window.services.screenings.record(p.id, replace(screening(on=on, xray_on=on), xray_finding="no fracture."))
    window.list_page.reload()
    settle(qtbot, window)
    steps.open_patient(qtbot, window, "2201")
    page = window.patient_page
    page.tabs.setCurrentWidget(page.screening)
    settle(qtbot, window)
    text = page.screening.detail.text()
    assert "X-ray finding: no fracture." in text and ".." not in text


def test_the_first_start_dialog_grows_with_its_error_and_clips_nothing(qtbot, sqlite_url):
    services = open_services(sqlite_url)
    runner = Runner()
    try:
        d = FirstRunDialog(services, runner)
        qtbot.addWidget(d)
        d.show()
        qtbot.waitExposed(d)
        steps.click(qtbot, d.save_button)  # no name: the error shows
        qtbot.wait(200)  # the layout's own request, queued
        assert d.summary.isVisible() and d.summary.text()
        for label in d.findChildren(QLabel):
            if label.isVisible() and label.wordWrap() and label.text():
                assert label.height() >= label.heightForWidth(label.width()), label.text()
    finally:
        runner.shutdown()
        services.dispose()


def contrast(a, b) -> float:
    def lum(c):
        def ch(v):
            v /= 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * ch(c.red()) + 0.7152 * ch(c.green()) + 0.0722 * ch(c.blue())
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_progress_footnote_is_readable(qtbot, desk):
    window = desk
    p = patient(window.services, "2202", "Ida", "Read")
    window.list_page.reload()
    settle(qtbot, window)
    steps.open_patient(qtbot, window, p.chart_number)
    page = window.patient_page
    page.tabs.setCurrentWidget(page.progress)
    settle(qtbot, window)
    note = page.progress.findChild(QLabel, "progress_note")
    assert note is not None and note.isEnabled()
    group = QPalette.ColorGroup.Active if note.isEnabled() else QPalette.ColorGroup.Disabled
    palette = note.palette()
    ratio = contrast(palette.color(group, QPalette.ColorRole.WindowText),
                     palette.color(group, QPalette.ColorRole.Window))
    assert ratio >= 4.5  # WCAG AA for body text
