"""The desk under test: a real window on a real database, driven through its widgets.

A modal box or dialog would wait forever offscreen, so message boxes are recorded instead of shown
(`shown` fixture), and every dialog's `ask` fails the test unless the test drives that dialog
(`drive` fixture: the real dialog is built, filled by the test with qtbot, and saved with its button)."""
from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from decomp_desk.bootstrap import open_services
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.dialogs.course_dialog import CourseDialog
from decomp_desk.ui.dialogs.first_run_dialog import FirstRunDialog
from decomp_desk.ui.dialogs.insurance_dialog import InsuranceDialog
from decomp_desk.ui.dialogs.outcome_form_dialog import OutcomeFormDialog
from decomp_desk.ui.dialogs.patient_dialog import PatientDialog
from decomp_desk.ui.dialogs.payment_dialog import PaymentDialog
from decomp_desk.ui.dialogs.session_dialog import SessionDialog
from decomp_desk.ui.dialogs.settings_dialog import SettingsDialog
from decomp_desk.ui.dialogs.void_payment_dialog import VoidPaymentDialog
from decomp_desk.ui.main_window import MainWindow
from tests.conftest import CLINICIAN
from tests.ui.account_dialogs import ACCOUNT_DIALOGS
from tests.ui.book_dialogs import BOOK_DIALOGS

DIALOGS = ACCOUNT_DIALOGS + (PatientDialog, SessionDialog, CourseDialog, FirstRunDialog, InsuranceDialog, PaymentDialog,
           VoidPaymentDialog, SettingsDialog) + BOOK_DIALOGS


@pytest.fixture(autouse=True)
def collect_garbage_on_the_gui_thread():
    """A test's cyclic garbage (closed dialogs and the lambdas that point back at them) is freed here, on
    the GUI thread: left for later, a garbage-collection pass that happens to run in a worker thread of
    the next test would delete those widgets there, and Qt crashes. A busy cursor a test's window left
    on (its runner shut down mid-job) goes too: the cursor is the application's, and the next test's."""
    yield
    gc.collect()
    while QApplication.overrideCursor() is not None:
        QApplication.restoreOverrideCursor()


@dataclass
class Shown:
    errors: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    outcome_forms: list[tuple] = field(default_factory=list)  # outcome form dialogs offered and cancelled
    answer: bool = True

    def last_error(self) -> str:
        assert self.errors, "no error message was shown"
        return self.errors[-1]


@pytest.fixture(autouse=True)
def shown(monkeypatch) -> Shown:
    record = Shown()
    monkeypatch.setattr(messages, "show_error", lambda parent, text, title="": record.errors.append(text))
    monkeypatch.setattr(messages, "show_info", lambda parent, text, title="": record.infos.append(text))

    def confirm(parent, text, title="", yes="OK"):
        record.questions.append(text)
        return record.answer

    monkeypatch.setattr(messages, "confirm", confirm)
    for cls in DIALOGS:
        def unexpected(c, *args, **kwargs):
            raise AssertionError(f"{c.__name__} was opened, but the test does not drive it")
        monkeypatch.setattr(cls, "ask", classmethod(unexpected))
    # A due session offers its outcome form next; a test that does not drive it has it cancelled.
    monkeypatch.setattr(OutcomeFormDialog, "ask", classmethod(lambda c, *a, **kw: record.outcome_forms.append(a)))
    return record


@dataclass
class Driven:
    """What happened to a dialog a test drove: the dialog itself and what `ask` returned."""
    dialogs: list[QDialog] = field(default_factory=list)
    results: list[object] = field(default_factory=list)

    @property
    def last(self) -> QDialog:
        return self.dialogs[-1]


@pytest.fixture
def drive(monkeypatch, qtbot):
    """drive(DialogClass, fill): the next `ask` builds the real dialog, shows it, runs fill(dialog)
    (which types into it with qtbot), clicks Save and waits for the save to finish. A refused save
    leaves the dialog open, as a user would see it; `ask` then returns None, as after Cancel."""

    def install(cls, fill: Callable[[QDialog], None], save: bool = True) -> Driven:
        driven = Driven()

        def ask(c, parent, services, runner, *args, **kwargs):
            dialog = c(services, runner, *args, parent=parent, **kwargs)
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.waitExposed(dialog)
            dialog.activateWindow()
            driven.dialogs.append(dialog)
            fill(dialog)
            if save:
                qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
                qtbot.waitUntil(lambda: not dialog.saving, timeout=10000)
            result = dialog.result_value if dialog.result() == QDialog.DialogCode.Accepted else None
            driven.results.append(result)
            return result

        monkeypatch.setattr(cls, "ask", classmethod(ask))
        return driven

    return install


def settle(qtbot, window: MainWindow, timeout: int = 10000) -> None:
    """Wait until every background job of the window has been delivered (and the list's column of missing
    forms, read a moment after the list is filled, has been asked for)."""
    qtbot.waitUntil(lambda: not (window.runner.busy or window.list_page.after_paint.isActive()),
                    timeout=timeout)


def open_window(qtbot, url: str) -> MainWindow:
    return show_window(qtbot, open_services(url, CLINICIAN))


def show_window(qtbot, services) -> MainWindow:
    """The main window on `services`, at 1366 x 768, its list loaded."""
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.start()
    settle(qtbot, window)
    return window


@pytest.fixture
def desk(qtbot, sqlite_url):
    yield from _desk_on(qtbot, sqlite_url)


@pytest.fixture
def desk_any_db(qtbot, db_url):
    """The same desk on SQLite and again on PostgreSQL (for the main flows)."""
    yield from _desk_on(qtbot, db_url)


def _desk_on(qtbot, url: str):
    window = open_window(qtbot, url)
    yield window
    window.runner.shutdown()
    window.services.dispose()
