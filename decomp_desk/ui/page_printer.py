"""Print preview, Print and Save as PDF of a course's progress summary, from the patient page.

The service gathers the figures and the chart is drawn at print resolution in the background; the
QTextDocument is put together on the UI thread (Qt's text documents belong to it) and handed to
ui/printing.py, so the preview, the paper and the PDF show the same pages as `decomp-desk report`."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from decomp_desk.bootstrap import Services
from decomp_desk.reports.context import SummaryContext
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.workers import Runner


@dataclass(frozen=True)
class _Prepared:
    ctx: SummaryContext
    images: dict


class SummaryPrinter(QObject):
    """One per patient page. `done` carries a status message once a summary was shown, printed or saved."""

    done = Signal(str)

    def __init__(self, services: Services, runner: Runner, parent: QWidget):
        super().__init__(parent)
        self.services, self.runner, self.page = services, runner, parent

    def preview(self, patient_id: int, course_id: int | None) -> None:
        self._prepare(patient_id, course_id, audit=True, then=self._preview)

    def print(self, patient_id: int, course_id: int | None) -> None:
        self._prepare(patient_id, course_id, audit=False, then=self._print)

    def save_pdf(self, patient_id: int, course_id: int | None) -> None:
        self._prepare(patient_id, course_id, audit=False, then=self._save)

    # --- steps ----------------------------------------------------------------------------------------
    def _prepare(self, patient_id: int, course_id: int | None, *, audit: bool, then) -> None:
        # A preview is recorded as a print when it is opened (the user prints from inside it); Print and
        # Save as PDF are recorded once they have happened, not when the user may still cancel.
        def gather() -> _Prepared:
            from decomp_desk.reports.pdf import summary_images

            ctx = self.services.reports.summary(patient_id=patient_id, course_id=course_id, audit=audit)
            return _Prepared(ctx, summary_images(ctx))

        self.runner.submit(gather, lambda prepared: messages.held_while_locked(self.page) or then(prepared),
                           write=audit, parent=self.page)  # an audited gather writes: one writer at a time

    @staticmethod
    def _document(prepared: _Prepared):
        from decomp_desk.reports.pdf import build_document
        from decomp_desk.reports.summary_html import summary_html

        return build_document(summary_html(prepared.ctx), prepared.images)

    def _preview(self, prepared: _Prepared) -> None:
        from decomp_desk.ui import printing

        printing.preview(self._document(prepared), self.page, prepared.ctx.paper_size)
        self.done.emit(f"Progress summary of {prepared.ctx.patient_name} shown.")

    def _print(self, prepared: _Prepared) -> None:
        from decomp_desk.ui import printing

        ctx = prepared.ctx
        if printing.print_document(self._document(prepared), self.page, ctx.paper_size):
            self._record("print", ctx, "")
            self.done.emit(f"Progress summary of {ctx.patient_name} sent to the printer.")

    def _save(self, prepared: _Prepared) -> None:
        from decomp_desk.reports.pdf import ReportError
        from decomp_desk.ui import printing

        ctx = prepared.ctx
        suggested = printing.suggested_pdf_path(
            f"progress-summary-{ctx.chart_number}-{self.services.today().isoformat()}.pdf")
        try:
            path = printing.save_pdf_dialog(self._document(prepared), self.page, ctx.paper_size, suggested)
        except ReportError as exc:
            messages.show_error(self.page, str(exc))
            return
        if path is not None:
            self._record("export", ctx, path.name)
            self.done.emit(f"Progress summary of {ctx.patient_name} saved as {path}.")

    def _record(self, kind: str, ctx: SummaryContext, detail: str) -> None:
        audit = self.services.audit
        record = audit.record_print if kind == "print" else audit.record_export
        self.runner.submit(lambda: record(ctx.chart_number, "progress summary", detail), write=True, parent=self.page)
