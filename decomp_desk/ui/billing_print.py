"""Print preview (and print) or Save as PDF of a patient's cost estimate and statement, from the Billing tab.

The service gathers the figures in the background; the QTextDocument is put together on the UI thread
(Qt's text documents belong to it) and handed to ui/printing.py, so the preview, the paper and the PDF
show the same pages as `decomp-desk estimate` and `decomp-desk statement`. As for the progress summary
(ui/summary_print.py), a preview is recorded in the audit trail as a print when it is opened (the user
prints from inside it); a PDF is recorded once it has been written, not when the user may still cancel."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from decomp_desk.bootstrap import Services
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.workers import Runner

STATEMENT, ESTIMATE = "statement", "estimate"


class BillingPrinter(QObject):
    """`done` carries a status message once a page was shown or saved."""

    done = Signal(str)

    def __init__(self, services: Services, runner: Runner, parent: QWidget):
        super().__init__(parent)
        self.services, self.runner, self.page = services, runner, parent

    def preview(self, kind: str, chart_number: str, course_id: int | None = None) -> None:
        self._prepare(kind, chart_number, course_id, audit=True, then=self._preview)

    def save_pdf(self, kind: str, chart_number: str, course_id: int | None = None) -> None:
        self._prepare(kind, chart_number, course_id, audit=False, then=self._save)

    # --- steps ----------------------------------------------------------------------------------------
    def _prepare(self, kind: str, chart: str, course_id: int | None, *, audit: bool, then: Callable) -> None:
        billing = self.services.billing
        if kind == STATEMENT:
            gather = lambda: billing.statement_context(chart, audit=audit)
        else:
            gather = lambda: billing.estimate_context(chart, course_id, audit=audit)
        self.runner.submit(gather, lambda ctx: messages.held_while_locked(self.page) or then(kind, chart, ctx),
                           write=audit, parent=self.page)  # an audited gather writes: one writer at a time

    @staticmethod
    def _document(kind: str, ctx):
        from decomp_desk.reports.billing_pdf import estimate_document, statement_document

        return statement_document(ctx) if kind == STATEMENT else estimate_document(ctx)

    def _preview(self, kind: str, chart: str, ctx) -> None:
        from decomp_desk.ui import printing

        printing.preview(self._document(kind, ctx), self.page, ctx.paper_size)
        self.done.emit(f"The {kind} of chart {chart} was shown.")

    def _save(self, kind: str, chart: str, ctx) -> None:
        from decomp_desk.reports.pdf import ReportError
        from decomp_desk.ui import printing

        suggested = printing.suggested_pdf_path(f"{kind}-{chart}-{self.services.today().isoformat()}.pdf")
        try:
            path = printing.save_pdf_dialog(self._document(kind, ctx), self.page, ctx.paper_size, suggested)
        except ReportError as exc:  # the file could not be written; the message says why
            messages.show_error(self.page, str(exc))
            return
        if path is not None:
            self.runner.submit(lambda: self.services.audit.record_export(chart, kind, path.name), write=True,
                               parent=self.page)
            self.done.emit(f"The {kind} of chart {chart} was saved as {path}.")
