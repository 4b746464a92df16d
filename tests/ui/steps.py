"""What a user does at the desk, step by step, through the real widgets (shared by the flow tests and
the screenshot test). Each step waits for the background work it started."""
from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QWidget

from decomp_desk.domain.types import Condition, Contraindication
from decomp_desk.ui.dialogs.course_dialog import CourseDialog
from decomp_desk.ui.dialogs.patient_dialog import PatientDialog
from decomp_desk.ui.dialogs.session_dialog import SessionDialog
from decomp_desk.ui.forms import to_qdate
from decomp_desk.ui.main_window import MainWindow
from tests.ui.conftest import settle

CTRL = Qt.KeyboardModifier.ControlModifier


def press(qtbot, widget: QWidget, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """A key (or shortcut) in the widget's window, made the active window first as a user's click would."""
    window = widget.window()
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    qtbot.keyClick(widget, key, modifiers)


def focus(qtbot, widget: QWidget) -> None:
    """Put the keyboard focus on the widget (its window made active first)."""
    window = widget.window()
    if QApplication.activeWindow() is not window:
        window.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=3000)


def type_into(qtbot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    if hasattr(widget, "selectAll"):
        widget.selectAll()
    qtbot.keyClicks(widget, text)


def type_at_focus(qtbot, keys: str) -> None:
    """Each key goes to whichever widget has the focus at that moment, as on a real keyboard."""
    for ch in keys:
        qtbot.keyClick(QApplication.focusWidget(), ch)


def click(qtbot, widget: QWidget) -> None:
    """A click where a user would aim: on a check box's box (its row may be wider than its text)."""
    if isinstance(widget, QCheckBox):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def fill_patient(qtbot, chart: str | None = None, first="Ann", last="Lee", born="", phone="", email=""):
    def fill(d: PatientDialog) -> None:
        if chart is not None:
            type_into(qtbot, d.chart_number, chart)
        type_into(qtbot, d.first_name, first)
        type_into(qtbot, d.last_name, last)
        if born:
            type_into(qtbot, d.date_of_birth, born)
        if phone:
            type_into(qtbot, d.phone, phone)
        if email:
            type_into(qtbot, d.email, email)
    return fill


def register(qtbot, window: MainWindow, drive, **patient):
    """Ctrl+N, fill the patient dialog, save. Returns what the dialog saved (None if refused)."""
    driven = drive(PatientDialog, fill_patient(qtbot, **patient))
    press(qtbot, window, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: bool(driven.results), timeout=10000)
    settle(qtbot, window)
    return driven.results[-1]


def open_patient(qtbot, window: MainWindow, search: str) -> None:
    """Ctrl+F, type, Enter: the first match opens."""
    press(qtbot, window, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(window.list_page.search, search)
    press(qtbot, window.list_page.search, Qt.Key.Key_Return)
    settle(qtbot, window)


def days_ago(window_or_dialog, n: int) -> QDate:
    return to_qdate(window_or_dialog.services.ctx.today() - timedelta(days=n))


def fill_screening(qtbot, window: MainWindow, xray=True, abnormal=False, contra=(), conditions=(Condition.SCIATICA,),
                   ago: int = 0):
    page = window.patient_page
    page.tabs.setCurrentWidget(page.screening)
    form = page.screening.form
    form.screened_on.setDate(days_ago(window, ago))
    form.xray_on.setDate(days_ago(window, ago))
    if xray != form.xray_taken.isChecked():
        click(qtbot, form.xray_taken)
    if abnormal != form.xray_abnormal.isChecked():
        click(qtbot, form.xray_abnormal)
    for c in Contraindication:
        if (c in contra) != form.contraindications[c].isChecked():
            click(qtbot, form.contraindications[c])
    for c in Condition:
        if (c in conditions) != form.conditions[c].isChecked():
            click(qtbot, form.conditions[c])
    return form


def screen(qtbot, window: MainWindow, **kw) -> str:
    """Fill the screening form, save it, wait; returns the live decision the form showed before saving."""
    form = fill_screening(qtbot, window, **kw)
    decision = form.decision.text()
    click(qtbot, form.save_button)
    settle(qtbot, window)
    return decision


def fill_session(qtbot, scores="643", duration: int | None = None, force: str = "", after: str = "",
                 stop_minute: int | None = None, soreness=False, ago: int | None = None):
    """Scores typed as digits from the Pain box on: the cursor moves on by itself after each."""
    def fill(d: SessionDialog) -> None:
        if ago is not None:
            d.date.setDate(days_ago(d, ago))
        if duration is not None:
            type_into(qtbot, d.duration_min, str(duration))
        if force:
            type_into(qtbot, d.max_force_lb, force)
        focus(qtbot, d.before["pain"])
        type_at_focus(qtbot, scores)
        if after:
            click(qtbot, d.after_given)
            focus(qtbot, d.after["pain"])
            type_at_focus(qtbot, after)
        if stop_minute is not None:
            click(qtbot, d.stop_button)
            type_into(qtbot, d.stop_minute, str(stop_minute))
        if soreness:
            click(qtbot, d.effects[next(iter(d.effects))])
    return fill


def fill_course(qtbot, planned: int = 30, fee: str = "85.00", ago: int | None = None):
    def fill(d: CourseDialog) -> None:
        if ago is not None:
            d.start_date.setDate(days_ago(d, ago))
        type_into(qtbot, d.planned_sessions, str(planned))
        type_into(qtbot, d.fee_per_session, fee)
    return fill


def new_session(qtbot, window: MainWindow, drive, fill, key=Qt.Key.Key_R, modifiers=CTRL):
    """Ctrl+R (or another shortcut), fill the session dialog, save; returns the Driven record."""
    driven = drive(SessionDialog, fill)
    press(qtbot, window, key, modifiers)
    qtbot.waitUntil(lambda: bool(driven.results), timeout=10000)
    settle(qtbot, window)
    return driven
