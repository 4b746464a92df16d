"""The dialogs and devices of printing: the print preview, the system print dialog, the Save as PDF file
dialog, and the QPrinter on the page layout of reports/pdf_writer.py. Screens do not call this module:
they print through the desk's one printer, ui/page_printer.py, which does.

The dialogs are opened through small module-level functions (`open_preview`, `ask_print`,
`ask_save_path`) so a test replaces them with monkeypatch instead of clicking a modal box.
Drawing is reports.pdf_writer.render_document for all three, so the preview, the paper and the PDF file
show the same pages (Letter or A4, 15 mm margins, a footer with page numbers).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QAction, QGuiApplication, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from decomp_desk.reports.pdf_writer import page_layout, render_document


def make_printer(paper_size: str = "letter") -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout(paper_size))
    printer.setFullPage(False)
    return printer


def make_preview_dialog(document: QTextDocument, parent: QWidget | None = None,
                        paper_size: str = "letter") -> QPrintPreviewDialog:
    """A QPrintPreviewDialog that draws `document` (not yet shown). Its printer is `dialog.printer()`."""
    printer = make_printer(paper_size)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog._printer = printer  # the dialog does not own its printer; keep it alive with the dialog
    dialog._document = document
    # Deleted with the dialog, on the UI thread, not whenever (and on whichever thread) Python's garbage
    # collector happens to find it.
    document.setParent(dialog)
    title = document.metaInformation(QTextDocument.MetaInformation.DocumentTitle)
    dialog.setWindowTitle(f"Print preview \u2013 {title}" if title else "Print preview")
    dialog.paintRequested.connect(lambda p: render_document(document, p))
    fit_to_width(dialog)
    return dialog


def fit_to_width(dialog: QPrintPreviewDialog) -> None:
    """Open readable: the page as wide as the preview (Qt opens it whole, at about 40 %), in a dialog
    that takes most of the screen."""
    parent = dialog.parentWidget()
    screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        dialog.resize(min(1000, room.width() * 9 // 10), room.height() * 9 // 10)
    for preview in dialog.findChildren(QPrintPreviewWidget):
        preview.setZoomMode(QPrintPreviewWidget.ZoomMode.FitToWidth)
    # The dialog's own Fit width button, so the toolbar shows what is in effect. Found by its place
    # (the first of the two checkable fit actions), not its text, which is translated.
    fits = [a for a in dialog.findChildren(QAction) if a.isCheckable() and a.actionGroup() is not None
            and len(a.actionGroup().actions()) == 2]
    if fits:
        fits[0].setChecked(True)


def open_preview(dialog: QPrintPreviewDialog) -> int:
    """Run the preview modally (tests replace this)."""
    return dialog.exec()


def preview(document: QTextDocument, parent: QWidget | None = None, paper_size: str = "letter") -> int:
    """Print preview of `document`; the user can print from it. Returns the dialog's result code."""
    dialog = make_preview_dialog(document, parent, paper_size)
    try:
        return open_preview(dialog)
    finally:
        dialog.deleteLater()


def ask_print(printer: QPrinter, parent: QWidget | None = None) -> bool:
    """The system print dialog for `printer`; True when the user chose Print (tests replace this)."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print")
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()


def print_document(document: QTextDocument, parent: QWidget | None = None, paper_size: str = "letter") -> bool:
    """Ask for a printer and print `document`; False when the user cancelled."""
    printer = make_printer(paper_size)
    if not ask_print(printer, parent):
        return False
    render_document(document, printer)
    return True


def suggested_pdf_path(file_name: str) -> str:
    """Where Save as PDF proposes to put `file_name`: the user's Documents folder, when there is one."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return str(Path(folder) / file_name) if folder else file_name


def ask_save_path(parent: QWidget | None, suggested: str) -> str | None:
    """The Save as PDF file dialog; the chosen path, or None when cancelled (tests replace this)."""
    path, _ = QFileDialog.getSaveFileName(parent, "Save as PDF", suggested, "PDF files (*.pdf)")
    return path or None


def ask_pdf_path(parent: QWidget | None, suggested: str) -> Path | None:
    """The Save as PDF file dialog; the chosen path with ".pdf" added when the user typed no such suffix,
    or None when cancelled."""
    chosen = ask_save_path(parent, suggested)
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")

