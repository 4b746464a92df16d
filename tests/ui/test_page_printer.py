"""Every printed page of the desk goes through the one printer (ui/page_printer.PagePrinter) and is written
with the one kit (reports/page_kit.py): from the screen that prints it, each kind of page (the progress
summary, the statement, the cost estimate, the clinic outcome report, the day sheet) is previewed and
saved as a PDF; the preview's document wears the kit's look, the PDF carries the page's text, and the
audit trail holds what the printer promises (a preview recorded as a print when it is gathered, a saved
PDF once written, a page of the whole clinic when the service read it)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from decomp_desk.domain.errors import DomainError
from decomp_desk.services.demo.loading import load_demo
from decomp_desk.ui import printing
from tests.ui import steps
from tests.ui.conftest import settle

KIT_HEADING = "#1f3b57"  # resources/pages.css: the colour of the kit's headings (.clinic, p.title, p.section)


def wears_the_kit(doc: QTextDocument) -> bool:
    """Some text of `doc` is drawn in the kit's heading colour: the page's <style> was the kit's, and it took."""
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            if it.fragment().charFormat().foreground().color().name() == KIT_HEADING:
                return True
            it += 1
        block = block.next()
    return False


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def a_treated_chart(services) -> tuple[str, str]:
    """(chart, name) of a demo patient with a course whose summary prints."""
    for p in services.patients.list():
        try:
            ctx = services.reports.summary(chart_number=p.chart_number, audit=False)
        except DomainError:
            continue
        if ctx.progress.sessions_completed >= 2:
            return p.chart_number, ctx.patient_name
    raise AssertionError("the demo clinic has no treated patient")


@pytest.fixture
def printed(monkeypatch, tmp_path):
    """The preview dialogs opened (title, plain text, whether it wears the kit) and the PDFs asked for."""
    seen = {"previews": [], "saved": []}

    def open_preview(dialog) -> int:
        doc = dialog._document
        seen["previews"].append((dialog.windowTitle(), doc.toPlainText(), wears_the_kit(doc)))
        return 0

    def ask_save_path(parent, suggested: str) -> str:
        path = tmp_path / Path(suggested).name
        seen["saved"].append(path)
        return str(path)

    monkeypatch.setattr(printing, "open_preview", open_preview)
    monkeypatch.setattr(printing, "ask_save_path", ask_save_path)
    return seen


def check(qtbot, window, printed, preview, save, words: tuple[str, ...], file_start: str) -> str:
    """Preview then save one page from its screen; the PDF's text."""
    before = len(printed["previews"])
    preview()
    settle(qtbot, window)
    assert len(printed["previews"]) == before + 1, "no preview was opened"
    title, text, kit = printed["previews"][-1]
    assert kit, f"the preview of {title!r} does not wear the page kit's look"
    assert all(w in text for w in words), (words, text[:400])
    save()
    settle(qtbot, window)
    path = printed["saved"][-1]
    assert path.name.startswith(file_start)
    qtbot.waitUntil(lambda: path.is_file() and path.stat().st_size > 0, timeout=15000)
    settle(qtbot, window)
    text = pdf_text(path)
    assert all(w in text for w in words), (words, text[:400])
    return text


def test_every_page_kind_previews_and_saves_through_the_one_printer(qtbot, desk, printed):
    window = desk
    services = window.services
    load_demo(services)
    window.refresh()
    settle(qtbot, window)
    chart, name = a_treated_chart(services)
    window.list_page.reload()
    settle(qtbot, window)
    steps.open_patient(qtbot, window, chart)
    settle(qtbot, window)
    page, actions = window.patient_page, window.patient_actions

    # The progress summary, from the File menu's actions.
    check(qtbot, window, printed, actions.preview_summary.trigger, actions.save_summary_pdf.trigger,
          (name, chart, "Spinal decompression progress summary"), f"progress-summary-{chart}-")
    assert f"Progress summary of {name} saved as" in window.statusBar().currentMessage()

    # The statement and the cost estimate, from the Billing tab.
    steps.press(qtbot, window, Qt.Key.Key_5, steps.CTRL)
    settle(qtbot, window)
    tab = page.billing
    check(qtbot, window, printed, tab.print_statement, tab.save_statement_pdf,
          (name, chart, "Statement", "Balance due"), f"statement-{chart}-")
    check(qtbot, window, printed, tab.print_estimate, tab.save_estimate_pdf,
          (name, chart, "Cost estimate for spinal decompression"), f"estimate-{chart}-")
    audit = {a: len(services.audit.events(chart_number=chart, action=a)) for a in ("print", "export")}
    assert audit == {"print": 3, "export": 3}  # three previews (gathered as prints), three PDFs written

    # The clinic outcome report, from its window's buttons.
    window.clinic_report_action.trigger()
    settle(qtbot, window)
    report = window._clinic_report
    clinic = services.settings.get().name
    check(qtbot, window, printed, report.preview_button.click, report.pdf_button.click,
          ("Clinic outcome report", clinic, "Published series, for comparison"), "clinic-outcomes-")
    assert f"Saved as {printed['saved'][-1]}." in report.period.text()
    report.close()
    settle(qtbot, window)

    # The day sheet, from Today's button (it prints without a preview; its reading is recorded as a print).
    today = window.book_desk.today
    day = services.ctx.today().isoformat()
    sheets = len(services.audit.events(action="print"))
    steps.click(qtbot, today.print_button)
    settle(qtbot, window)
    path = printed["saved"][-1]
    assert path.name == f"day-sheet-{day}.pdf"
    qtbot.waitUntil(lambda: path.is_file() and path.stat().st_size > 0, timeout=15000)
    settle(qtbot, window)
    assert "Day sheet" in pdf_text(path) and day in pdf_text(path)
    assert len(services.audit.events(action="print")) == sheets + 1
    # Printing the pages of the whole clinic recorded nothing against a patient.
    assert {a: len(services.audit.events(chart_number=chart, action=a)) for a in ("print", "export")} == audit
