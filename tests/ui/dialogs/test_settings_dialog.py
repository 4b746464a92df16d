"""The clinic's Settings dialog, through its widgets: an administrator changes the letterhead, fees and
paper, and the printed pages follow; bad input is named and kept; the ICD-10-CM list is edited; a
stale copy is refused naming who saved; only an administrator may open it."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from decomp_desk.domain.billing import DiagnosisCode
from decomp_desk.domain.course_input import CourseInput
from decomp_desk.domain.types import Region, Role
from decomp_desk.services.context import Actor, DatabaseUnavailable
from decomp_desk.ui.dialogs.icd_code_table import CODE, DESCRIPTION, REGION
from decomp_desk.ui.dialogs.settings_dialog import SettingsDialog
from tests.factories import patient, screening, session
from tests.ui import steps
from tests.ui.conftest import settle

SHOTS = Path(__file__).resolve().parents[3] / "screenshots"


def treated_patient(window, chart="5001", codes=("M51.16",)):
    """A patient with a lumbar course of one session, so a summary and a statement can be printed."""
    services = window.services
    on = services.ctx.today() - timedelta(days=3)
    p = patient(services, chart, "Cora", "Nash")
    services.screenings.record(p.id, screening(on=on, xray_on=on))
    course = services.courses.open(p.id, CourseInput(Region.LUMBAR, on, icd10_codes=codes))
    services.sessions.record(course.id, session(on=on))
    return p


def loaded(qtbot, d: SettingsDialog) -> None:
    qtbot.waitUntil(lambda: d.loaded is not None, timeout=10000)


def open_settings(qtbot, window) -> None:
    """Ctrl+, in the window, as an administrator would."""
    steps.press(qtbot, window, Qt.Key.Key_Comma, steps.CTRL)
    settle(qtbot, window)


def choose(box, data) -> None:
    box.setCurrentIndex(box.findData(data))


def code_row(d: SettingsDialog, code: str) -> int:
    return next(i for i, r in enumerate(d.codes.model.rows) if r.code == code)


def commit(qtbot, d: SettingsDialog) -> None:
    """Enter in a cell's editor: Qt writes the cell once the key has been handled (a queued call)."""
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is d.codes.table, timeout=3000)


def edit_cell(qtbot, d: SettingsDialog, row: int, column: int, text: str) -> None:
    """F2 on the cell, the old text replaced by typing, Enter: as at the keyboard."""
    d.codes.select_row(row, column)
    steps.focus(qtbot, d.codes.table)
    qtbot.keyClick(d.codes.table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not d.codes.table
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    commit(qtbot, d)


def test_an_administrator_changes_the_clinic_and_the_printed_pages_follow(qtbot, desk_any_db, drive, shown):
    window = desk_any_db
    p = treated_patient(window)

    def fill(d: SettingsDialog) -> None:
        loaded(qtbot, d)
        assert d.tabs.tabText(d.tabs.currentIndex()) == "Clinic" and d.name.hasFocus()
        steps.type_into(qtbot, d.name, "Riverside Spine & Chiropractic")
        d.address.selectAll()
        steps.focus(qtbot, d.address)
        qtbot.keyClicks(d.address, "12 Mill Road")
        qtbot.keyClick(d.address, Qt.Key.Key_Return)
        qtbot.keyClicks(d.address, "Springfield, IL 62701")
        steps.type_into(qtbot, d.phone, "(217) 555-0142")
        steps.type_into(qtbot, d.tax_id, "12-3456789")
        d.tabs.setCurrentIndex(1)
        steps.type_into(qtbot, d.default_fee, "95.50")
        steps.type_into(qtbot, d.default_planned_sessions.lineEdit(), "24")
        choose(d.procedure_code, "97012")
        d.tabs.setCurrentIndex(2)
        choose(d.paper_size, "a4")
        d.tabs.setCurrentIndex(3)
        steps.type_into(qtbot, d.idle_lock_minutes.lineEdit(), "15")
        steps.type_into(qtbot, d.backup_retention.lineEdit(), "30")
        assert not d.summary.isVisible()  # all of it is fine as typed

    driven = drive(SettingsDialog, fill)
    open_settings(qtbot, window)
    saved = driven.results[-1]
    assert saved is not None and shown.errors == []
    assert window.windowTitle() == "DecompDesk: Riverside Spine & Chiropractic"
    assert "Settings saved" in window.statusBar().currentMessage()

    s = window.services.settings.get()
    assert (s.name, s.address, s.phone, s.tax_id) == ("Riverside Spine & Chiropractic",
                                                      "12 Mill Road\nSpringfield, IL 62701", "(217) 555-0142",
                                                      "12-3456789")
    assert (s.default_fee, s.default_planned_sessions, s.procedure_code, s.paper_size) == (
        Decimal("95.50"), 24, "97012", "a4")
    assert (s.idle_lock_minutes, s.backup_retention) == (15, 30)
    summary = window.services.reports.summary(chart_number=p.chart_number, audit=False)
    assert summary.letterhead.name == "Riverside Spine & Chiropractic"
    assert summary.letterhead.address == "12 Mill Road\nSpringfield, IL 62701" and summary.paper_size == "a4"
    statement = window.services.billing.statement_context(p.chart_number, audit=False)
    assert (statement.letterhead.name, statement.letterhead.tax_id) == ("Riverside Spine & Chiropractic", "12-3456789")
    assert statement.procedure_code == "97012" and statement.paper_size == "a4"
    assert {line.code for c in statement.account.courses for line in c.charges} == {"97012"}
    # A course opened from now on starts from the new defaults.
    estimate = window.services.billing.estimate_for(p.id)
    assert estimate.sessions == 24 and estimate.fee_per_session == Decimal("95.50")


def test_bad_input_is_named_as_typed_and_on_save_and_nothing_typed_is_lost(qtbot, desk_any_db, drive, shown):
    window = desk_any_db
    before = window.services.settings.get()

    def fill(d: SettingsDialog) -> None:
        loaded(qtbot, d)
        steps.type_into(qtbot, d.name, "x")
        qtbot.keyClick(d.name, Qt.Key.Key_Backspace)  # the name emptied: said at once
        assert "Clinic name: is required" in d.marks.text() and d.name.property("invalid") is True
        steps.type_into(qtbot, d.address, "1 Main St")
        d.tabs.setCurrentIndex(1)
        steps.type_into(qtbot, d.default_fee, "-10")
        assert "Default fee per session: must not be negative" in d.marks.text()
        steps.type_into(qtbot, d.default_planned_sessions.lineEdit(), "0")
        assert "Default planned sessions: must be from 1 to 200" in d.marks.text()
        assert d.tabs.tabBar().tabTextColor(0) == d.tabs.tabBar().tabTextColor(1) != d.tabs.tabBar().tabTextColor(2)
        d.tabs.setCurrentIndex(2)  # saved from another tab: the dialog goes to the first refused field

    driven = drive(SettingsDialog, fill)
    open_settings(qtbot, window)
    d = driven.last
    assert driven.results == [None] and d.isVisible()  # refused: the dialog stays open
    assert shown.errors == []  # each reason said once, beside its field
    for sentence in ("Clinic name: is required", "Default fee per session: must not be negative",
                     "Default planned sessions: must be from 1 to 200"):
        assert d.marks.text().count(sentence) == 1
    assert d.tabs.currentIndex() == 0 and d.name.hasFocus()
    assert (d.name.text(), d.address.toPlainText(), d.default_fee.text(), d.default_planned_sessions.value()) == (
        "", "1 Main St", "-10", 0)
    assert window.services.settings.get() == before
    assert window.windowTitle() == "DecompDesk"  # the window did not take a refused name

    # Corrected where the marks point, the same dialog saves.
    steps.type_into(qtbot, d.name, "Lakeside Decompression")
    d.tabs.setCurrentIndex(1)
    steps.type_into(qtbot, d.default_fee, "80")
    steps.type_into(qtbot, d.default_planned_sessions.lineEdit(), "30")
    assert not d.summary.isVisible()
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not d.isVisible(), timeout=10000)
    s = window.services.settings.get()
    assert (s.name, s.address, s.default_fee, s.default_planned_sessions) == (
        "Lakeside Decompression", "1 Main St", Decimal("80.00"), 30)


def test_icd_code_edits_persist_and_print_on_the_statement(qtbot, desk_any_db, drive, shown):
    window = desk_any_db
    p = treated_patient(window, codes=("M54.2", "M54.30"))
    window.services.settings.update(replace(window.services.settings.get(), name="Riverside Spine"))
    count = len(window.services.billing.icd_codes(include_inactive=True))

    def fill(d: SettingsDialog) -> None:
        loaded(qtbot, d)
        d.tabs.setCurrentWidget(d.codes)
        assert d.codes.model.rowCount() == count
        # Show the lumbar codes only: a code added there is a lumbar code.
        choose(d.codes.region, "lumbar")
        assert all(r.region in (None, Region.LUMBAR) for r in
                   (d.codes.model.rows[d.codes.proxy.mapToSource(d.codes.proxy.index(i, 0)).row()]
                    for i in range(d.codes.proxy.rowCount())))
        qtbot.mouseClick(d.codes.add_button, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(QApplication.focusWidget(), "m51.17")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # on to the description's editor
        qtbot.keyClicks(QApplication.focusWidget(), "Disc disorder with radiculopathy, lumbosacral region")
        commit(qtbot, d)
        choose(d.codes.region, "")
        edit_cell(qtbot, d, code_row(d, "M54.2"), DESCRIPTION, "Cervicalgia (neck pain)")
        # The region from a choice: F2 on the cell, Up from Lumbar to Any region, Enter.
        d.codes.select_row(code_row(d, "M47.816"), REGION)
        qtbot.keyClick(d.codes.table, Qt.Key.Key_F2)
        assert QApplication.focusWidget().currentText() == "Lumbar"
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Up)
        commit(qtbot, d)
        d.codes.select_row(code_row(d, "M54.30"))
        assert d.codes.toggle_button.text() == "&Deactivate"
        qtbot.mouseClick(d.codes.toggle_button, Qt.MouseButton.LeftButton)
        assert d.codes.toggle_button.text() == "Re&activate"
        # A code typed wrong is marked as it is typed, in its cell.
        qtbot.mouseClick(d.codes.add_button, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(QApplication.focusWidget(), "5116")
        commit(qtbot, d)
        bad = len(d.codes.model.rows)
        assert f"Diagnosis codes, row {bad} code: '5116' is not an ICD-10-CM code like M51.16" in d.marks.text()
        assert (bad - 1, CODE) in d.codes.model.errors
        d.tabs.setCurrentIndex(0)

    driven = drive(SettingsDialog, fill)
    open_settings(qtbot, window)
    d = driven.last
    assert driven.results == [None]
    assert f"Diagnosis codes, row {count + 2} description: is required" in d.summary.text() and shown.errors == []
    assert d.tabs.currentWidget() is d.codes and d.codes.current_row() == count + 1
    assert "M51.17" not in [c.code for c in window.services.billing.icd_codes(include_inactive=True)]

    # The mistaken row was never saved: it is removed, and the rest saves.
    assert d.codes.toggle_button.text() == "&Remove new code"
    qtbot.mouseClick(d.codes.toggle_button, Qt.MouseButton.LeftButton)
    assert len(d.codes.model.rows) == count + 1 and not d.summary.isVisible()
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not d.isVisible(), timeout=10000)

    codes = {c.code: c for c in window.services.billing.icd_codes(include_inactive=True)}
    assert codes["M51.17"] == DiagnosisCode("M51.17", "Disc disorder with radiculopathy, lumbosacral region",
                                            Region.LUMBAR, True)
    assert codes["M54.2"].description == "Cervicalgia (neck pain)" and codes["M54.30"].active is False
    assert codes["M47.816"].region is None
    assert "M54.30" not in [c.code for c in window.services.billing.icd_codes(Region.LUMBAR)]
    statement = window.services.billing.statement_context(p.chart_number, audit=False)
    assert [x.text for x in statement.account.courses[0].diagnoses] == [
        "M54.2 Cervicalgia (neck pain)", "M54.30 Sciatica, unspecified side"]  # out of use, still printed


def test_a_copy_saved_by_someone_else_meanwhile_is_refused_naming_them(qtbot, desk_any_db, drive, shown):
    window = desk_any_db
    other = Actor("bea", "Bea Boss", frozenset({Role.ADMINISTRATOR}))

    def fill(d: SettingsDialog) -> None:
        loaded(qtbot, d)
        current = window.services.settings.get()
        window.services.act_as(other)
        window.services.settings.update(replace(current, name="Bea's clinic"))
        window.services.act_as(steps_actor)
        steps.type_into(qtbot, d.name, "My clinic")

    steps_actor = window.services.ctx.actor
    driven = drive(SettingsDialog, fill)
    open_settings(qtbot, window)
    d = driven.last
    assert driven.results == [None] and d.isVisible()
    assert shown.errors == [] and "nothing was overwritten" in d.summary.text()
    assert "changed by bea" in d.summary.text() and d.name.text() == "My clinic"
    assert window.services.settings.get().name == "Bea's clinic"


def test_only_an_administrator_opens_the_settings(qtbot, desk, shown):
    window = desk
    window.services.act_as(Actor("fran", "Fran Front", frozenset({Role.FRONT_DESK, Role.CLINICIAN})))
    window.follow_actor()
    action = window.settings_action
    assert not action.isEnabled()
    assert action.toolTip() == "Only an administrator may change the clinic's settings; Fran Front is not one."
    open_settings(qtbot, window)  # the shortcut of a disabled action does nothing (an opened dialog fails the test)
    window.edit_settings()  # and if it is reached another way, it says why
    assert shown.last_error() == action.toolTip()

    window.services.act_as(Actor("ann", "Ann Admin", frozenset({Role.ADMINISTRATOR})))
    window.follow_actor()
    assert action.isEnabled() and "letterhead" in action.toolTip()


def test_a_settings_screenshot_of_each_tab(qtbot, desk, drive):
    window = desk
    window.services.settings.update(replace(window.services.settings.get(), name="Riverside Spine & Chiropractic",
                                            address="12 Mill Road\nSpringfield, IL 62701", phone="(217) 555-0142",
                                            tax_id="12-3456789"))
    SHOTS.mkdir(exist_ok=True)
    names = ("clinic", "fees", "printing", "security", "codes")

    def fill(d: SettingsDialog) -> None:
        loaded(qtbot, d)
        for i, name in enumerate(names):
            d.tabs.setCurrentIndex(i)
            QApplication.processEvents()
            assert d.grab().save(str(SHOTS / f"settings-{i + 1}-{name}.png"))
        d.tabs.setCurrentIndex(1)
        steps.type_into(qtbot, d.default_fee, "-5")
        QApplication.processEvents()
        assert d.grab().save(str(SHOTS / "settings-6-refused.png"))
        d.tabs.setCurrentWidget(d.codes)
        d.codes.select_row(code_row(d, "M54.30"))
        qtbot.mouseClick(d.codes.toggle_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(d.codes.add_button, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(QApplication.focusWidget(), "M5117")
        commit(qtbot, d)
        d.codes.table.scrollToBottom()
        QApplication.processEvents()
        assert d.grab().save(str(SHOTS / "settings-7-codes-marked.png"))

    drive(SettingsDialog, fill, save=False)
    open_settings(qtbot, window)


def test_settings_that_cannot_be_loaded_are_said_and_cannot_be_saved(qtbot, desk, drive, monkeypatch):
    window = desk

    def unreachable():
        raise DatabaseUnavailable("The database server is not answering.")

    monkeypatch.setattr(window.services.settings, "get", unreachable)

    def fill(d: SettingsDialog) -> None:
        qtbot.waitUntil(lambda: "could not be loaded" in d.loading.text(), timeout=10000)
        assert "The database server is not answering." in d.loading.text()
        assert not d.save_button.isEnabled() and not d.tabs.isEnabled()

    driven = drive(SettingsDialog, fill, save=False)
    open_settings(qtbot, window)
    qtbot.keyClick(driven.last, Qt.Key.Key_S, steps.CTRL)  # the shortcut of a disabled button does nothing
    assert driven.last.loaded is None and not driven.last.saving


def test_the_code_table_model_keeps_qts_rules(qtmodeltester):
    from decomp_desk.ui.dialogs.icd_code_table import IcdCodeModel

    model = IcdCodeModel()
    model.set_codes([DiagnosisCode("M54.2", "Cervicalgia", Region.CERVICAL),
                     DiagnosisCode("M54.30", "Sciatica, unspecified side", Region.LUMBAR, active=False)])
    model.add_row(None)
    model.set_errors({"row 3 code": "'' is not an ICD-10-CM code like M51.16"})
    qtmodeltester.check(model, force_py=True)
