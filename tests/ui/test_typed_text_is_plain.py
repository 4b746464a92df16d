"""Issue 10, finding 6: what a person typed is shown as plain text on every label, title and table cell:
a last name like `<u>Lee</u></b> · chart 1001<!--` never makes the desk show another chart number."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import Qt as QtGuiQt  # mightBeRichText lives on QtGui's Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QToolTip, QWidget

from decomp_desk.domain.course_input import CourseInput
from decomp_desk.domain.types import Region
from decomp_desk.ui.dialogs.clinic_key_dialogs import NewClinicDialog
from decomp_desk.ui.dialogs.session_dialog import SessionDialog
from decomp_desk.ui.plain_text import escape, install_plain_text_labels, rich_label
from tests.factories import patient, screening
from tests.ui import steps
from tests.ui.conftest import settle

# It opens with a tag Qt knows, so a label left to guess (Qt.AutoText) would read it as HTML; its `</b>`
# would end a rich label's bold early, and `<!--` would hide the rest of the line.
NAME = "<u>Lee</u></b> · chart 1001<!--"


def shown_text(label: QLabel) -> str:
    """What the label puts on the screen, as Qt would render it."""
    fmt = label.textFormat()
    if fmt == Qt.TextFormat.PlainText or (fmt == Qt.TextFormat.AutoText and not QtGuiQt.mightBeRichText(label.text())):
        return label.text()
    doc = QTextDocument()
    doc.setHtml(label.text())
    return doc.toPlainText()


def assert_every_label_shows_the_name_as_typed() -> int:
    """Every label that shows "1001" (only the name holds it: patient 1001 is not on show) shows the name
    character for character; returns how many there were."""
    found = [w for w in QApplication.allWidgets()
             if isinstance(w, QLabel) and ("1001" in w.text() or "1001" in shown_text(w))]
    for label in found:
        assert NAME in shown_text(label), (label.objectName(), label.text(), shown_text(label))
    return len(found)


def test_a_name_that_looks_like_markup_is_shown_as_typed_everywhere(qtbot, desk, drive, shown):
    window = desk
    services = window.services
    on = services.ctx.today() - timedelta(days=3)
    patient(services, "1001", "Other", "Person")
    p = patient(services, "3001", "Ann", NAME)
    services.screenings.record(p.id, screening(on=on, xray_on=on))
    services.courses.open(p.id, CourseInput(Region.LUMBAR, on))
    window.list_page.reload()
    settle(qtbot, window)
    steps.open_patient(qtbot, window, "3001")
    page = window.patient_page
    assert page.file.patient.chart_number == "3001"
    seen = 0
    for tab in (page.overview, page.screening, page.sessions, page.progress, page.billing):
        page.tabs.setCurrentWidget(tab)
        settle(qtbot, window)
        seen += assert_every_label_shows_the_name_as_typed()
    assert seen >= 5  # the page's title at least, once per tab
    assert NAME in page.title.text() and shown_text(page.title).count("chart") == 1

    headings = []

    def fill(d: SessionDialog) -> None:
        assert NAME in d.windowTitle()
        assert assert_every_label_shows_the_name_as_typed() >= 2  # the dialog's heading, the page's title
        heading = next(w for w in d.findChildren(QLabel) if "session 1 of" in w.text())
        headings.append(shown_text(heading))

    driven = drive(SessionDialog, fill, save=False)
    page.tabs.setCurrentWidget(page.sessions)
    steps.press(qtbot, window, Qt.Key.Key_R, steps.CTRL)
    qtbot.waitUntil(lambda: bool(driven.results), timeout=10000)
    assert headings and headings[0].startswith(f"{NAME}, Ann · chart 3001 · session 1 of 30")
    driven.last.reject()

    # The list's cells (a model's text is always plain): the row reads as typed.
    steps.press(qtbot, window, Qt.Key.Key_F, steps.CTRL)
    qtbot.keyClicks(window.list_page.search, "3001")
    settle(qtbot, window)
    proxy = window.list_page.proxy
    cells = [proxy.index(0, c).data() for c in range(proxy.columnCount())]
    assert any(NAME in str(c) for c in cells)


def test_labels_qt_makes_are_plain_too_and_the_programs_own_markup_stays_rich(qtbot):
    """The rules sit in the application's style sheet: they reach the labels inside a message box and a
    tool tip, which the desk never makes itself, and leave a rich_label() rich."""
    install_plain_text_labels()
    box = QMessageBox(QMessageBox.Icon.Warning, "DecompDesk", f"Could not save {NAME}.")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitUntil(box.isVisible)
    said = [w for w in box.findChildren(QLabel) if "1001" in w.text()]
    assert said and all(f"Could not save {NAME}." in shown_text(w) for w in said)

    owner = QWidget()
    qtbot.addWidget(owner)
    owner.show()
    QToolTip.showText(owner.mapToGlobal(QPoint(5, 5)), NAME, owner)
    qtbot.waitUntil(lambda: any(isinstance(w, QLabel) and w.isVisible() and "1001" in w.text()
                                for w in QApplication.topLevelWidgets()))
    tip = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QLabel) and "1001" in w.text())
    assert shown_text(tip) == NAME
    QToolTip.hideText()

    heading = rich_label(f"<b>{escape(NAME)}</b> · chart 3001")
    qtbot.addWidget(heading)
    heading.show()
    qtbot.waitUntil(heading.isVisible)
    assert heading.textFormat() == Qt.TextFormat.RichText
    assert shown_text(heading) == f"{NAME} · chart 3001"


def test_the_new_clinic_dialog_reads_its_own_markup_and_shows_the_path_as_given(qtbot):
    install_plain_text_labels()
    dialog = NewClinicDialog(Path("/clinic/<b>odd</b> name.sqlite3"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isVisible)
    intro = next(w for w in dialog.findChildren(QLabel) if "There is no clinic database" in w.text())
    text = shown_text(intro)
    assert "<br>" not in text and "recovery passphrase" in text
    assert "/clinic/<b>odd</b> name.sqlite3" in text
