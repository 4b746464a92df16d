"""The desk's one printer: Print preview, Print and Save as PDF of every printed page (the progress summary,
the statement, the cost estimate, the clinic outcome report, the day sheet), whichever screen asks.

On a worker: the service gathers the page's plain data (reports/page_data.py), reports/pages.py makes its
HTML and figures, and the writer draws the figures at print resolution (the slow part). On the UI thread
(Qt's text documents belong to it): the QTextDocument is put together and handed to ui/printing.py (the
dialogs and the devices), so the preview, the paper and the PDF show the same pages as the command line.

The audit trail: a preview is recorded as a print when its data is gathered (the user prints from inside
it); a print or a saved PDF is recorded once it has happened, never while the user may still cancel. A
page of the whole clinic (the outcome report, the day sheet) was recorded by the service that read it."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from decomp_desk.bootstrap import Services
from decomp_desk.domain.records import record
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.workers import Runner

if TYPE_CHECKING:
    from PySide6.QtGui import QImage, QTextDocument

    from decomp_desk.reports.page_data import ClinicReportPage, DaySheet
    from decomp_desk.reports.pages import PrintedPage


@record
class PageRequest:
    """A page a screen asks for. `gather(audit)` returns the page's data and runs on a worker; audit=True
    asks the service to record the reading as a print (a preview is one)."""

    gather: Callable[[bool], Any]
    file_name: str  # what Save as PDF proposes
    # A page of the whole clinic: its reading was recorded by the service, and printing it adds nothing.
    clinic_wide: bool = False
    gather_writes: bool = False  # the gather records itself whatever it is asked (the day sheet)


@record
class _Prepared:
    page: PrintedPage
    images: dict[str, QImage]
    record_use: bool  # record a print or a saved PDF in the audit trail (a patient's page)


# --- the pages the desk prints ---------------------------------------------------------------------------

def summary_request(services: Services, patient_id: int, course_id: int | None, chart_number: str) -> PageRequest:
    reports = services.reports  # the job holds the service, never a widget (it runs on a worker)
    return PageRequest(lambda audit: reports.summary(patient_id=patient_id, course_id=course_id, audit=audit),
                       f"progress-summary-{chart_number}-{services.today().isoformat()}.pdf")


def statement_request(services: Services, chart_number: str) -> PageRequest:
    billing = services.billing
    return PageRequest(lambda audit: billing.statement_context(chart_number, audit=audit),
                       f"statement-{chart_number}-{services.today().isoformat()}.pdf")


def estimate_request(services: Services, chart_number: str, course_id: int | None) -> PageRequest:
    billing = services.billing
    return PageRequest(lambda audit: billing.estimate_context(chart_number, course_id, audit=audit),
                       f"estimate-{chart_number}-{services.today().isoformat()}.pdf")


def clinic_report_request(page: ClinicReportPage) -> PageRequest:
    """The report the window shows (read, and recorded, when the window asked for it)."""
    return PageRequest(lambda audit: page, f"clinic-outcomes-{page.printed_on.isoformat()}.pdf", clinic_wide=True)


def day_sheet_request(services: Services, day: date) -> PageRequest:
    book = services.appointments

    def gather(audit: bool) -> DaySheet:
        from decomp_desk.reports.page_data import DaySheet

        return DaySheet(*book.day_sheet(day))  # (the day, the letterhead, the paper); recorded as a print

    return PageRequest(gather, f"day-sheet-{day.isoformat()}.pdf", clinic_wide=True, gather_writes=True)


# --- the printer -----------------------------------------------------------------------------------------

class PagePrinter(QObject):
    """One per screen that prints. `done` carries a status message once a page was shown, printed or saved;
    `saved` the path of a PDF written."""

    done = Signal(str)
    saved = Signal(object)

    def __init__(self, services: Services, runner: Runner, parent: QWidget):
        super().__init__(parent)
        self.services, self.runner, self.screen = services, runner, parent

    def preview(self, request: PageRequest) -> None:
        self._prepare(request, audit=True, then=self._preview)

    def print(self, request: PageRequest) -> None:
        self._prepare(request, audit=False, then=self._print)

    def save_pdf(self, request: PageRequest, path: str | Path | None = None) -> None:
        """Save as PDF at `path`, or where the user chooses (asked first, so the page is gathered, and
        a page that records its reading recorded, only once there is somewhere to put it)."""
        from decomp_desk.ui import printing

        chosen = printing.ask_pdf_path(self.screen, printing.suggested_pdf_path(request.file_name)) \
            if path is None else Path(path)
        if chosen is not None:
            self._prepare(request, audit=False, then=lambda prepared: self._save(prepared, chosen))

    # --- steps ----------------------------------------------------------------------------------------
    def _prepare(self, request: PageRequest, *, audit: bool, then: Callable[[_Prepared], None]) -> None:
        audit = audit and not request.clinic_wide

        def gather() -> _Prepared:
            from decomp_desk.reports.pages import printed_page
            from decomp_desk.reports.pdf_writer import page_images

            page = printed_page(request.gather(audit))
            return _Prepared(page, page_images(page), not request.clinic_wide)

        def deliver(prepared: _Prepared) -> None:
            if not messages.held_while_locked(self.screen):
                then(prepared)

        # an audited gather writes: one writer at a time
        self.runner.submit(gather, deliver, write=audit or request.gather_writes, parent=self.screen)

    @staticmethod
    def _document(prepared: _Prepared) -> QTextDocument:
        from decomp_desk.reports.pdf_writer import page_document

        return page_document(prepared.page, prepared.images)

    def _preview(self, prepared: _Prepared) -> None:
        from decomp_desk.ui import printing

        printing.preview(self._document(prepared), self.screen, prepared.page.paper_size)
        self.done.emit(f"{prepared.page.name} shown.")

    def _print(self, prepared: _Prepared) -> None:
        from decomp_desk.ui import printing

        page = prepared.page
        if printing.print_document(self._document(prepared), self.screen, page.paper_size):
            self._record("print", prepared, "")
            self.done.emit(f"{page.name} sent to the printer.")

    def _save(self, prepared: _Prepared, path: Path) -> None:
        from decomp_desk.reports.pdf_writer import ReportError, write_document_pdf

        page = prepared.page
        try:
            written = write_document_pdf(self._document(prepared), path, page.paper_size)
        except ReportError as exc:  # the file could not be written; the message says why
            messages.show_error(self.screen, str(exc))
            return
        self._record("export", prepared, written.name)
        self.saved.emit(written)
        self.done.emit(f"{page.name} saved as {written}.")

    def _record(self, kind: str, prepared: _Prepared, detail: str) -> None:
        if not prepared.record_use:
            return
        page, audit = prepared.page, self.services.audit
        record = audit.record_print if kind == "print" else audit.record_export
        self.runner.submit(lambda: record(page.chart_number, page.what, detail), write=True, parent=self.screen)
