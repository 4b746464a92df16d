"""A save returns what it changed, and each screen of the desk draws again only what that touches: a
payment redraws the Billing tab and not the chart; a session redraws the sessions, the progress, the
charges, the list's row and Today but not the screening; a screening redraws the screening, the overview
and the list's row but not the charges. What a screen shows again it reads alone (one transaction), and
what the save did not touch is not read at all: the service reads are counted here."""
from __future__ import annotations

from collections import Counter
from datetime import time, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import event

from decomp_desk.ui.book.dialogs import AppointmentSessionDialog
from decomp_desk.ui.dialogs.patient_dialog import PatientDialog
from decomp_desk.ui.dialogs.settings_dialog import SettingsDialog
from tests.factories import cleared_patient_with_course, patient, session
from tests.services.billing_helpers import course_with_sessions
from tests.ui import steps
from tests.ui.conftest import settle
from tests.ui.dialogs.test_settings_dialog import loaded, open_settings
from tests.ui.pages.test_billing_tab import record

TABS = ("overview", "screening", "sessions", "progress", "billing", "outcomes")
READS = (("patients", "get"), ("patients", "list"), ("patients", "row"), ("screenings", "history"),
         ("sessions", "for_course"), ("billing", "account"), ("outcomes", "for_course"), ("appointments", "day"))


class Watch:
    """From now on: which tabs of the patient page were drawn again, which service reads ran, and how
    many transactions began."""

    def __init__(self, window, monkeypatch):
        self.drawn: Counter[str] = Counter()
        self.reads: Counter[str] = Counter()
        self.transactions = 0
        page, services = window.patient_page, window.services
        for name in TABS:
            tab = getattr(page, name)
            monkeypatch.setattr(tab, "show_file", self._counted(self.drawn, name, tab.show_file))
        for service, method in READS:
            owner = getattr(services, service)
            monkeypatch.setattr(owner, method, self._counted(self.reads, f"{service}.{method}", getattr(owner, method)))
        engine = services.ctx.Session.kw["bind"]
        event.listen(engine, "begin", self._begun)
        self._engine = engine

    @staticmethod
    def _counted(counter: Counter[str], name: str, real):
        def call(*args, **kwargs):
            counter[name] += 1
            return real(*args, **kwargs)
        return call

    def _begun(self, _connection) -> None:
        self.transactions += 1

    def stop(self) -> None:
        event.remove(self._engine, "begin", self._begun)


@pytest.fixture
def watch(monkeypatch):
    watches: list[Watch] = []

    def start(window) -> Watch:
        watches.append(Watch(window, monkeypatch))
        return watches[-1]

    yield start
    for w in watches:
        w.stop()


def open_on(qtbot, window, search: str, ctrl_digit: int):
    window.list_page.reload()
    settle(qtbot, window)
    steps.open_patient(qtbot, window, search)
    steps.press(qtbot, window, getattr(Qt.Key, f"Key_{ctrl_digit}"), steps.CTRL)
    settle(qtbot, window)
    return window.patient_page


def test_a_payment_redraws_the_billing_tab_and_reads_only_the_account(qtbot, desk_any_db, drive, watch):
    window = desk_any_db
    start = window.services.ctx.today() - timedelta(days=14)
    p, course = course_with_sessions(window.services, "8001", n=4, fee=Decimal("85.00"), start=start, every=3,
                                     first="Rosa", last="Banks")
    page = open_on(qtbot, window, "8001", 5)
    tab = page.billing
    before = tab.account.balance
    progress_file = page.progress.file
    w = watch(window)

    paid = record(qtbot, window, drive, tab, "100.00")

    assert paid is not None and paid.changes.billing and not paid.changes.sessions
    assert [x.id for x in tab.account.payments] == [paid.id]
    assert tab.account.balance == before - Decimal("100.00")
    assert w.drawn == Counter({"billing": 1}), "only the Billing tab is drawn again"
    assert page.progress.file is progress_file, "the chart's data was not touched"
    assert w.reads == Counter({"billing.account": 1}), f"a payment read {dict(w.reads)}"
    # The payment's own transaction and the account's one read (the dialog reads nothing of its own).
    assert w.transactions == 2, f"{w.transactions} transactions"


def test_a_session_redraws_sessions_progress_billing_the_row_and_today_not_the_screening(qtbot, desk_any_db,
                                                                                          drive, watch):
    window = desk_any_db
    today = window.services.ctx.today()
    p, course = cleared_patient_with_course(window.services, "8101", on=today - timedelta(days=10),
                                            first="Ivo", last="Marsh")
    window.services.sessions.record(course.id, session(on=today - timedelta(days=5)))
    page = open_on(qtbot, window, "8101", 3)  # Ctrl+3: the Sessions tab
    assert page.tabs.currentWidget() is page.sessions
    charges = len(page.billing.account.charge_lines)
    w = watch(window)

    driven = steps.new_session(qtbot, window, drive, steps.fill_session(qtbot, scores="532"))

    saved = driven.results[-1]
    assert saved is not None and saved.changes.sessions and saved.changes.course_id == course.id
    assert page.sessions.model.rowCount() == 2
    assert page.progress.file.progress(course.id).sessions_completed == 2
    assert len(page.billing.account.charge_lines) == charges + 1, "the session's charge is on the Billing tab"
    row = window.list_page.model.row_at(window.list_page.model.row_of(p.id))
    assert row.sessions_completed == 2 and row.last_session == today
    assert w.drawn["sessions"] == w.drawn["progress"] == w.drawn["billing"] == w.drawn["overview"] == 1
    assert w.drawn["screening"] == 0, "the screening was not drawn again"
    assert w.reads["screenings.history"] == 0 and w.reads["patients.get"] == 0, dict(w.reads)
    assert w.reads["sessions.for_course"] == 1, "only the session's course is read again"
    assert w.reads["patients.row"] == 1 and w.reads["patients.list"] == 0, "the list's row alone"
    assert w.reads["appointments.day"] == 1, "Today is read again (a session may be one of its appointments)"


def test_a_screening_redraws_what_shows_clearance_and_not_the_charges(qtbot, desk, watch):
    window = desk
    patient(window.services, "8201", first="Nell", last="Quinn")
    page = open_on(qtbot, window, "8201", 2)  # Ctrl+2: the Screening tab
    assert not page.file.clearance.cleared
    w = watch(window)

    steps.screen(qtbot, window)

    assert page.file.clearance.cleared and page.file.latest_screening is not None
    assert w.drawn["screening"] == w.drawn["overview"] == w.drawn["sessions"] == 1  # may record now
    assert w.drawn["billing"] == w.drawn["progress"] == 0, dict(w.drawn)
    assert w.reads["billing.account"] == w.reads["sessions.for_course"] == w.reads["appointments.day"] == 0
    assert window.patient_page.actions.new_session.isEnabled(), "New session is offered once cleared"


def test_editing_details_redraws_the_heading_and_the_row_not_the_chart(qtbot, desk, drive, watch):
    window = desk
    start = window.services.ctx.today() - timedelta(days=9)
    course_with_sessions(window.services, "8301", n=3, start=start, every=3, first="Abe", last="Whit")
    page = open_on(qtbot, window, "8301", 4)  # Ctrl+4: the Progress tab
    w = watch(window)

    def fill(d: PatientDialog) -> None:
        steps.type_into(qtbot, d.last_name, "White")

    driven = drive(PatientDialog, fill)
    page.actions.edit_patient.trigger()  # Edit patient details (the Overview's button and the Patient menu)
    qtbot.waitUntil(lambda: bool(driven.results), timeout=10000)
    settle(qtbot, window)

    assert driven.results[-1] is not None and driven.results[-1].changes.patient
    assert "White" in page.title.text()
    row = window.list_page.model.row_at(window.list_page.model.row_of(page.patient_id))
    assert row.last_name == "White"
    assert w.drawn["progress"] == 0 and w.drawn["screening"] == 1 and w.drawn["billing"] == 1, dict(w.drawn)
    assert w.reads["sessions.for_course"] == 0 and w.reads["screenings.history"] == 0, dict(w.reads)



def test_new_settings_redraw_the_open_patients_page_and_not_the_list(qtbot, desk, drive, watch):
    window = desk
    patient(window.services, "8401", first="Dot", last="Fenn")
    page = open_on(qtbot, window, "8401", 5)  # no course yet: the estimate is at the clinic's usual fee
    w = watch(window)

    def fill(d: SettingsDialog) -> None:
        loaded(qtbot, d)
        steps.type_into(qtbot, d.name, "Riverside Spine")
        d.tabs.setCurrentIndex(1)
        steps.type_into(qtbot, d.default_fee, "95.50")
        assert not d.summary.isVisible(), d.marks.text()

    driven = drive(SettingsDialog, fill)
    open_settings(qtbot, window)
    settle(qtbot, window)

    assert driven.results[-1] is not None and driven.results[-1].settings.changes.settings
    assert page.file.clinic.default_fee == Decimal("95.50")
    assert "× $95.50" in page.billing.estimate.planned.text(), "the estimate on show uses the new usual fee"
    assert all(w.drawn[name] == 1 for name in TABS), dict(w.drawn)  # every tab may show a default
    assert w.reads["patients.list"] == w.reads["patients.row"] == w.reads["appointments.day"] == 0, dict(w.reads)


def test_a_session_recorded_from_today_reaches_the_list_row_and_the_patients_page(qtbot, desk, drive, watch,
                                                                                    monkeypatch):
    window = desk
    sv = window.services
    today = sv.ctx.today()
    p, course = cleared_patient_with_course(sv, "8501", on=today - timedelta(days=7), first="Lou", last="Park")
    sv.appointments.book(p.id, today, time(9, 0))
    page = open_on(qtbot, window, "8501", 3)  # their page is built and open on Sessions, then Today
    steps.press(qtbot, window, Qt.Key.Key_T, steps.CTRL)
    settle(qtbot, window)
    board = window.book_desk.today
    assert window.stack.currentWidget() is board and len(board.rows) == 1
    w = watch(window)
    drawn_today = []
    real_show = board.show_book
    monkeypatch.setattr(board, "show_book", lambda *a, **kw: drawn_today.append(1) or real_show(*a, **kw))

    board.table.selectRow(0)
    steps.focus(qtbot, board.table)
    driven = drive(AppointmentSessionDialog, steps.fill_session(qtbot, scores="532"))
    steps.press(qtbot, board.table, Qt.Key.Key_R, steps.CTRL)
    settle(qtbot, window)

    saved = driven.results[-1]
    assert saved is not None and saved.changes.sessions and saved.changes.appointments
    assert board.table.item(0, 6).text() == "recorded"
    row = window.list_page.model.row_at(window.list_page.model.row_of(p.id))
    assert row.sessions_completed == 1 and row.last_session == today, "the list's row follows"
    assert [s.id for s in page.file.sessions[course.id]] == [saved.session.id]
    assert page.sessions.model.rowCount() == 1 and len(page.billing.account.charge_lines) == 1
    assert w.drawn["screening"] == 0 and w.reads["patients.list"] == 0, (dict(w.drawn), dict(w.reads))
    assert drawn_today == [1], "Today draws its day once (it saved: it is not told again)"
