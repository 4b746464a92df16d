"""Print preview, Print and Save as PDF on screen (offscreen, no printer installed): the dialogs are
replaced through the module's functions, the drawing is real."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

from decomp_desk.reports.pages import printed_page
from decomp_desk.reports.pdf_writer import page_document, write_document_pdf
from decomp_desk.ui import printing


@pytest.fixture
def document(qapp, make_ctx, progress):
    return page_document(printed_page(make_ctx(progress)))


def test_preview_dialog_opens_and_draws_the_pages(qtbot, monkeypatch, document):
    drawn = []
    real = printing.render_document
    monkeypatch.setattr(printing, "render_document", lambda doc, device: drawn.append(real(doc, device)))
    dialog = printing.make_preview_dialog(document, None, "a4")
    qtbot.addWidget(dialog)
    assert isinstance(dialog, QPrintPreviewDialog)
    with qtbot.waitSignal(dialog.paintRequested, timeout=10_000):
        dialog.show()
    qtbot.waitUntil(lambda: bool(drawn), timeout=10_000)
    assert drawn[0] == 2  # two pages drawn into the preview
    assert dialog.printer().pageLayout().pageSize().id() == QPageSize.PageSizeId.A4
    assert "Margaret O'Connor" in dialog.windowTitle()
    dialog.close()


def test_preview_runs_the_dialog(qtbot, monkeypatch, document):
    seen = []
    monkeypatch.setattr(printing, "open_preview", lambda dialog: seen.append(dialog) or 1)
    assert printing.preview(document, None, "letter") == 1
    assert isinstance(seen[0], QPrintPreviewDialog)
    assert seen[0].printer().pageLayout().pageSize().id() == QPageSize.PageSizeId.Letter


def test_print_renders_to_the_chosen_printer(qtbot, monkeypatch, tmp_path, document, pdf_text):
    target = tmp_path / "printed.pdf"

    def choose(printer, parent):  # what the user picks in the print dialog: a PDF "printer"
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return True

    monkeypatch.setattr(printing, "ask_print", choose)
    assert printing.print_document(document, None, "letter") is True
    pages = pdf_text(target)
    assert len(pages) == 2 and "5 of 30" in pages[0] and "Page 2 of 2" in pages[1]


def test_print_cancelled_prints_nothing(monkeypatch, document):
    drawn = []
    monkeypatch.setattr(printing, "ask_print", lambda printer, parent: False)
    monkeypatch.setattr(printing, "render_document", lambda *a, **k: drawn.append(a))
    assert printing.print_document(document) is False
    assert drawn == []


def test_save_as_pdf(monkeypatch, tmp_path, document, pdf_text):
    asked = []
    monkeypatch.setattr(printing, "ask_save_path",
                        lambda parent, suggested: asked.append(suggested) or str(tmp_path / "summary"))
    path = printing.ask_pdf_path(None, "C-1042 progress.pdf")
    assert asked == ["C-1042 progress.pdf"] and path == tmp_path / "summary.pdf"
    assert write_document_pdf(document, path, "a4") == path and path.is_file()
    assert "Margaret O'Connor" in pdf_text(path)[0]


def test_save_as_pdf_cancelled(monkeypatch):
    monkeypatch.setattr(printing, "ask_save_path", lambda parent, suggested: None)
    assert printing.ask_pdf_path(None, "summary.pdf") is None


def test_render_into_a_pdf_printer(tmp_path, document, pdf_text):
    printer = printing.make_printer("a4")
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printer.pdf"))
    assert printer.pageLayout().orientation() == QPageLayout.Orientation.Portrait
    assert printing.render_document(document, printer) == 2
    assert "Spinal decompression progress summary" in pdf_text(tmp_path / "printer.pdf")[0]


def test_the_document_is_not_changed_by_printing(tmp_path, document):
    before = document.toHtml()
    printer = printing.make_printer("letter")
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "p.pdf"))
    printing.render_document(document, printer)
    assert document.toHtml() == before
    assert document.documentLayout().paintDevice() is None
