"""Patients in the window: the dialog checks as the user types, a refused save keeps the form,
edit and archive, and the list searches as you type."""
from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from decomp_desk.ui.dialogs.patient_dialog import PatientDialog, parse_birth_date
from tests.factories import cleared_patient_with_course, patient, session
from tests.ui import steps
from tests.ui.conftest import settle
from tests.ui.field_errors import beside


def test_the_patient_dialog_names_bad_fields_as_they_are_typed(qtbot, desk, drive, shown):
    window = desk
    future = (window.services.ctx.today() + timedelta(days=3)).isoformat()

    def fill(d: PatientDialog) -> None:
        assert d.chart_number.text() == "1001"  # suggested
        assert not d.summary.isVisible()  # nothing is complained about before it is typed
        steps.type_into(qtbot, d.email, "ann.example.com")
        assert d.email.property("invalid") is True and "Email: 'ann.example.com' is not an email" in d.marks.text()
        steps.type_into(qtbot, d.date_of_birth, future)
        assert "Date of birth: is in the future" in d.marks.text()
        steps.type_into(qtbot, d.date_of_birth, "13/45/1970")
        assert "Date of birth: '13/45/1970' is not a date" in d.marks.text()
        steps.type_into(qtbot, d.email, "ann@example.com")
        assert d.email.property("invalid") is False
        steps.type_into(qtbot, d.first_name, "Ann")

    driven = drive(PatientDialog, fill)
    steps.press(qtbot, window, Qt.Key.Key_N, steps.CTRL)
    qtbot.waitUntil(lambda: bool(driven.results), timeout=5000)
    d = driven.last
    assert driven.results == [None] and d.isVisible()
    # Said once, beside each field (no message box repeating it), the focus on the first refused field.
    assert shown.errors == [] and d.summary.text() == "Not saved."
    assert beside(d.marks, "last_name") == "Is required"
    assert beside(d.marks, "date_of_birth") == "'13/45/1970' is not a date"
    assert d.last_name.property("invalid") is True and QApplication.focusWidget() is d.last_name
    assert (d.first_name.text(), d.email.text()) == ("Ann", "ann@example.com")
    d.reject()


def test_a_duplicate_chart_number_is_refused_by_the_service_and_the_form_kept(qtbot, desk, drive, shown):
    window = desk
    patient(window.services, "1001", "Ann", "Lee")
    result = steps.register(qtbot, window, drive, chart="1001", first="Bob", last="Stone", phone="555 777 1234")
    assert result is None
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, PatientDialog) and w.isVisible()]
    d = dialogs[-1]
    assert (d.chart_number.text(), d.first_name.text(), d.last_name.text(), d.phone.text()) == \
        ("1001", "Bob", "Stone", "555 777 1234")
    assert d.chart_number.property("invalid") is True and QApplication.focusWidget() is d.chart_number
    assert shown.errors == [] and beside(d.marks, "chart_number") == "1001 is already another patient's chart number"
    steps.type_into(qtbot, d.chart_number, "1002")
    steps.click(qtbot, d.save_button)
    qtbot.waitUntil(lambda: not d.isVisible(), timeout=5000)
    assert d.result_value.chart_number == "1002"


def test_edit_and_archive_a_patient(qtbot, desk, drive, shown):
    window = desk
    p = patient(window.services, "1001", "Ann", "Lee", phone="555-0101")
    patient(window.services, "1002", "Bob", "Stone")
    window.list_page.reload()
    settle(qtbot, window)
    steps.open_patient(qtbot, window, "lee")
    page = window.patient_page

    def edit(d: PatientDialog) -> None:
        assert d.windowTitle() == "Edit patient 1001" and d.phone.text() == "555-0101"
        steps.type_into(qtbot, d.last_name, "Lee-Park")
        steps.type_into(qtbot, d.date_of_birth, "1958-02-11")

    driven = drive(PatientDialog, edit)
    steps.press(qtbot, window, Qt.Key.Key_E, steps.CTRL)
    qtbot.waitUntil(lambda: bool(driven.results), timeout=5000)
    settle(qtbot, window)
    assert page.title.text().startswith("Lee-Park, Ann · born Feb 11, 1958 (")
    assert window.services.patients.get(p.id).version == 2

    page.actions.archive_patient.trigger()
    settle(qtbot, window)
    assert "Archive Ann Lee-Park (chart 1001)?" in shown.questions[-1]
    assert window.stack.currentWidget() is window.list_page
    assert [r.chart_number for r in window.list_page.model.rows()] == ["1002"]
    assert "archived" in window.statusBar().currentMessage()

    steps.click(qtbot, window.list_page.show_archived)
    settle(qtbot, window)
    assert window.list_page.search.text() == "lee"  # the search is kept on return to the list
    window.list_page.search.clear()
    names = [window.list_page.proxy.index(r, 1).data() for r in range(window.list_page.proxy.rowCount())]
    assert names == ["Lee-Park, Ann (archived)", "Stone, Bob"]
    steps.open_patient(qtbot, window, "1001")
    assert page.overview.archived.isVisibleTo(page) and not page.actions.edit_patient.isEnabled()
    assert page.actions.archive_patient.text() == "Restore from &archive…"
    assert not page.actions.new_session.isEnabled() and "archived" in page.actions.new_session.toolTip()
    page.actions.archive_patient.trigger()
    settle(qtbot, window)
    assert not window.services.patients.get(p.id).archived


def test_a_patient_changed_elsewhere_meanwhile_is_not_overwritten(qtbot, desk, drive, shown):
    window = desk
    p = patient(window.services, "1001", "Ann", "Lee")
    window.list_page.reload()
    settle(qtbot, window)
    steps.open_patient(qtbot, window, "1001")

    def edit(d: PatientDialog) -> None:
        # Another workstation saves the same patient while this dialog is open.
        from decomp_desk.domain.validation import PatientInput
        window.services.patients.update(p.id, PatientInput("1001", "Ann", "Lee", phone="555-0000"))
        steps.type_into(qtbot, d.first_name, "Anne")

    driven = drive(PatientDialog, edit)
    steps.press(qtbot, window, Qt.Key.Key_E, steps.CTRL)
    qtbot.waitUntil(lambda: bool(driven.results), timeout=5000)
    assert driven.results == [None] and driven.last.isVisible() and driven.last.first_name.text() == "Anne"
    assert shown.errors == []  # said once, in the dialog
    assert "after you opened it; nothing was overwritten" in driven.last.summary.text()
    assert window.services.patients.get(p.id).first_name == "Ann"


def test_search_as_you_type_by_name_chart_and_phone(qtbot, desk):
    window = desk
    s = window.services
    cleared_patient_with_course(s, "1001", first="Ann", last="Lee", phone="(555) 201-3344")
    patient(s, "1002", "Bob", "Stone", phone="555-987-0000")
    patient(s, "2003", "Anna", "Bell")
    _, course = cleared_patient_with_course(s, "2004", first="Carl", last="Anders")
    s.sessions.record(course.id, session())
    window.list_page.reload()
    settle(qtbot, window)
    page = window.list_page

    def shown_charts():
        return [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]

    steps.press(qtbot, window, Qt.Key.Key_F, steps.CTRL)
    assert QApplication.focusWidget() is page.search
    for typed, charts in (("an", ["2004", "2003", "1001"]), ("ANN", ["2003", "1001"]), ("lee, a", ["1001"]),
                          ("200", ["2004", "2003"]), ("5552013344", ["1001"]), ("987-0", ["1002"]),
                          ("zzz", [])):
        page.search.clear()
        qtbot.keyClicks(page.search, typed)
        assert shown_charts() == charts, typed
    assert page.hint.isVisibleTo(page) and "No patient matches “zzz”" in page.hint.text()
    assert page.count.text() == "0 of 4 patients"
    page.search.clear()
    assert page.count.text() == "4 patients" and not page.hint.isVisibleTo(page)

    # The columns: chart, name, birth date, clearance, course progress, last session; sortable.
    row = {page.model.index(r, 0).data(): [page.model.index(r, c).data() for c in range(6)]
           for r in range(page.model.rowCount())}
    assert row["2004"][1:] == ["Anders, Carl", "", "Cleared", "1 / 30", "2026-03-02"]
    assert row["1002"][3:] == ["Not screened", "", ""]
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert shown_charts() == ["2004", "2003", "1002", "1001"]
    qtbot.keyClicks(page.search, "b")
    assert shown_charts() == ["2003", "1002"]

    # Down goes to the list, Enter opens the selected patient.
    steps.press(qtbot, page.search, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is page.table
    steps.press(qtbot, page.table, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert window.patient_page.title.text() == "Stone, Bob · date of birth not recorded"


def test_birth_dates_in_both_usual_forms():
    assert str(parse_birth_date("04/12/1961")) == "1961-04-12"
    assert str(parse_birth_date(" 1961-04-12 ")) == "1961-04-12"
    assert parse_birth_date("") is None
