"""The resources folder in the running desk: the icon on the window and on every dialog, the style
sheet's red outline and the reason beside a refused field, Ctrl+Return saving a dialog, and the print
preview opening fit to the page's width."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrintPreviewWidget
from PySide6.QtWidgets import QApplication, QDialog

from decomp_desk import resource_files
from decomp_desk.reports.page_kit import CSS as PAGE_CSS
from decomp_desk.ui import theme
from decomp_desk.ui.app import make_application
from decomp_desk.ui.dialogs.patient_dialog import PatientDialog
from decomp_desk.ui.printing import make_preview_dialog
from tests.ui import steps
from tests.ui.conftest import settle
from tests.ui.field_errors import beside


@pytest.fixture
def styled_app(qapp):
    """The application as run_desk makes it (icon, style sheet); put back afterwards."""
    sheet, icon = qapp.styleSheet(), qapp.windowIcon()
    app = make_application()
    yield app
    app.setStyleSheet(sheet)
    app.setWindowIcon(icon)


def test_every_resource_is_there_and_the_pages_read_their_css():
    folder = resource_files.resource_dir()
    for name in ("decomp-desk.desktop", "io.github.decompdesk.DecompDesk.metainfo.xml", resource_files.STYLE_SHEET,
                 resource_files.PAGES_CSS, resource_files.ICON_SVG):
        assert (folder / name).is_file(), name
    for size in resource_files.ICON_SIZES:
        assert resource_files.icon_png(size).stat().st_size > 300
    css = resource_files.read_text(resource_files.PAGES_CSS)
    assert css == PAGE_CSS and "table.grid" in css and "td.due" in css
    desktop = resource_files.read_text("decomp-desk.desktop")
    assert "Exec=decomp-desk-gui" in desktop and "Icon=decomp-desk" in desktop and "Terminal=false" in desktop


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli is not installed")
def test_the_appstream_metainfo_validates():
    path = resource_files.resource_path("io.github.decompdesk.DecompDesk.metainfo.xml")
    done = subprocess.run(["appstreamcli", "validate", "--no-net", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_window_and_every_dialog_carry_the_icon(styled_app, desk):
    assert not styled_app.windowIcon().isNull()
    assert {s.width() for s in styled_app.windowIcon().availableSizes()} >= {16, 32, 48, 256}
    assert desk.windowIcon().cacheKey() == styled_app.windowIcon().cacheKey()
    dialog = QDialog(desk)
    assert dialog.windowIcon().cacheKey() == styled_app.windowIcon().cacheKey()
    assert "QLineEdit[invalid=\"true\"]" in styled_app.styleSheet()
    assert theme.style_name(styled_app) == "fusion"


def test_a_refused_field_is_outlined_by_the_style_sheet_with_its_reason_beside_it(qtbot, styled_app, desk, drive,
                                                                                   shown):
    window = desk
    outlined = {}

    def fill(d: PatientDialog) -> None:
        qtbot.waitUntil(lambda: QApplication.activeWindow() is d, timeout=3000)
        steps.type_into(qtbot, d.first_name, "Ann")
        plain = d.last_name.grab().toImage()
        qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not d.saving, timeout=5000)
        outlined["changed"] = d.last_name.grab().toImage() != plain  # the red border is drawn
        outlined["reason"] = beside(d.marks, "last_name")
        outlined["focus"] = QApplication.focusWidget() is d.last_name
        outlined["summary"] = d.summary.text()

    drive(PatientDialog, fill, save=False)
    steps.press(qtbot, window, Qt.Key.Key_N, steps.CTRL)
    qtbot.waitUntil(lambda: "reason" in outlined, timeout=5000)
    settle(qtbot, window)
    assert outlined == {"changed": True, "reason": "Is required", "focus": True, "summary": "Not saved."}
    assert shown.errors == []  # no message box saying it again


def test_ctrl_return_saves_a_dialog_from_any_field(qtbot, desk, drive):
    window = desk

    def fill(d: PatientDialog) -> None:
        qtbot.waitUntil(lambda: QApplication.activeWindow() is d, timeout=3000)  # keys go to the active window
        steps.type_into(qtbot, d.first_name, "Ann")
        steps.type_into(qtbot, d.last_name, "Lee")
        qtbot.keyClick(d.last_name, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: d.result() == QDialog.DialogCode.Accepted, timeout=5000)

    driven = drive(PatientDialog, fill, save=False)
    steps.press(qtbot, window, Qt.Key.Key_N, steps.CTRL)
    qtbot.waitUntil(lambda: bool(driven.results), timeout=5000)
    settle(qtbot, window)
    assert driven.results[-1] is not None and driven.results[-1].last_name == "Lee"
    assert [p.last_name for p in window.services.patients.list("Lee")] == ["Lee"]


def test_print_preview_opens_fit_to_width(qtbot):
    document = QTextDocument()
    document.setHtml("<p>A page of text.</p>" * 80)
    dialog = make_preview_dialog(document)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    preview = dialog.findChildren(QPrintPreviewWidget)[0]
    assert preview.zoomMode() == QPrintPreviewWidget.ZoomMode.FitToWidth
    assert preview.zoomFactor() > 0.6  # Qt's whole-page default showed a Letter page at about 40 %
