"""Issue 17, points 13 and 11: street, city, state and ZIP are separate fields for patients and for the
letterhead, and the printed statement uses them; phones show in one format; the audit trail says which
fields an edit changed, before and after, and names the patient by chart number."""
from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from decomp_desk.cli import main
from decomp_desk.domain.course_input import CourseInput
from decomp_desk.domain.types import Region
from decomp_desk.ui.dialogs.patient_dialog import PatientDialog
from decomp_desk.ui.dialogs.settings_dialog import SettingsDialog
from decomp_desk.ui.pages.audit_view import AuditView
from tests.factories import screening, session
from tests.reports.conftest import pdf_pages_text
from tests.ui import steps
from tests.ui.conftest import settle
from tests.ui.dialogs.test_settings_dialog import loaded, open_settings
from tests.ui.field_errors import beside


def test_addresses_in_parts_print_on_the_statement_and_edits_are_audited_field_by_field(
        qtbot, desk, drive, shown, tmp_path, capsys):
    window = desk

    def letterhead(d: SettingsDialog) -> None:
        loaded(qtbot, d)
        steps.type_into(qtbot, d.name, "Lakeside Chiropractic")
        steps.focus(qtbot, d.address)
        d.address.selectAll()
        qtbot.keyClicks(d.address, "12 Mill Road")
        steps.type_into(qtbot, d.city, "Springfield")
        steps.type_into(qtbot, d.state, "IL")
        steps.type_into(qtbot, d.zip_code, "62701")
        steps.type_into(qtbot, d.phone, "217.555.0142")

    drive(SettingsDialog, letterhead)
    open_settings(qtbot, window)

    def register(d: PatientDialog) -> None:
        steps.fill_patient(qtbot, first="Ann", last="Oak", phone="2175550188")(d)
        steps.type_into(qtbot, d.address, "44 Oak Ave")
        steps.type_into(qtbot, d.city, "Chatham")
        steps.type_into(qtbot, d.state, "IL")
        steps.type_into(qtbot, d.zip_code, "62629")

    driven = drive(PatientDialog, register)
    steps.press(qtbot, window, Qt.Key.Key_N, steps.CTRL)
    qtbot.waitUntil(lambda: bool(driven.results), timeout=10000)
    settle(qtbot, window)
    created = driven.results[-1]
    assert (created.address, created.city, created.state, created.zip_code) == ("44 Oak Ave", "Chatham", "IL", "62629")
    page = window.patient_page
    page.tabs.setCurrentWidget(page.overview)
    assert page.overview.values["address"].text() == "44 Oak Ave\nChatham, IL 62629"
    assert page.overview.values["phone"].text() == "(217) 555-0188"
    assert "(217) 555-0188" in page.subtitle.text()

    # A zip code that is not one is named, and nothing is saved.
    def bad_zip(d: PatientDialog) -> None:
        steps.type_into(qtbot, d.zip_code, "6262!")

    driven = drive(PatientDialog, bad_zip)
    steps.press(qtbot, window, Qt.Key.Key_E, steps.CTRL)
    qtbot.waitUntil(lambda: bool(driven.results), timeout=10000)
    assert driven.results[-1] is None and "is not a ZIP code" in beside(driven.last.marks, "zip_code")
    driven.last.reject()

    def moved(d: PatientDialog) -> None:
        steps.type_into(qtbot, d.city, "Rochester")
        steps.type_into(qtbot, d.zip_code, "62563")

    driven = drive(PatientDialog, moved)
    steps.press(qtbot, window, Qt.Key.Key_E, steps.CTRL)
    qtbot.waitUntil(lambda: bool(driven.results), timeout=10000)
    settle(qtbot, window)

    view = AuditView(window.services, window.runner)
    qtbot.addWidget(view)
    view.show()
    view.reload()
    settle(qtbot, window)
    updates = [r for r in view.rows_on_show() if r.action == "update" and r.entity == "patient"]
    assert [u.detail for u in updates] == ["city: Chatham -> Rochester; ZIP: 62629 -> 62563"]
    row = next(r for r in range(view.model.rowCount()) if view.model.row_at(r).action == "update"
               and view.model.row_at(r).entity == "patient")
    assert view.model.index(row, 3).data() == f"patient {created.chart_number}"  # not the database's id

    # The statement: the clinic's and the patient's addresses in full.
    s = window.services
    on = s.ctx.today() - timedelta(days=2)
    s.screenings.record(created.id, screening(on=on, xray_on=on))
    course = s.courses.open(created.id, CourseInput(Region.LUMBAR, on))
    s.sessions.record(course.id, session(on=on))
    out = tmp_path / "statement.pdf"
    assert main(["--database", s.url, "statement", created.chart_number, "--output", str(out)]) == 0
    capsys.readouterr()
    text = " ".join(pdf_pages_text(out))
    assert "12 Mill Road Springfield, IL 62701" in text and "Phone (217) 555-0142" in text
    assert "44 Oak Ave Rochester, IL 62563" in text
