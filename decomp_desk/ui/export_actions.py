"""File > Export clinic… (administrators) and Patient > Export as FHIR…: the desk's side of
services/exporting.py and services/fhir_export.py.

The clinic export runs in the runner's writer queue (it reads everything and writes its audit event),
off the UI thread, behind a progress dialog whose Cancel stops it: the service then removes the partial
folder, so nothing that looks like an export is left. The file and folder dialogs are module functions
the tests replace."""
from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMainWindow, QProgressDialog, QWidget

from decomp_desk.bootstrap import Services

if TYPE_CHECKING:
    from decomp_desk.services.exporting import ExportReport
    from decomp_desk.services.fhir_export import FhirExport
from decomp_desk.domain.errors import DomainError
from decomp_desk.domain.types import Role
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.pages.patient_actions import make_action
from decomp_desk.ui.workers import Runner


class ExportCancelledError(DomainError):
    """The user pressed Cancel: the partial export was removed."""


def documents_folder() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()


def ask_export_folder(parent: QWidget | None, suggested: str) -> str | None:
    """The new folder to export into (it must not exist yet, or be empty); None when cancelled."""
    path, _ = QFileDialog.getSaveFileName(
        parent, "Export the clinic into a new folder", suggested, "Folder (*)",
        options=QFileDialog.Option.DontConfirmOverwrite)
    return path or None


def ask_fhir_file(parent: QWidget | None, suggested: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, "Export as FHIR", suggested, "FHIR JSON (*.json)")
    return path or None


class _ProgressRelay(QObject):
    """Lives in the UI thread; the export's worker thread emits on it and Qt queues the call over."""

    advanced = Signal(int, int)


class ExportActions(QObject):
    """The two actions, their menus' entries and what they do, for one main window."""

    def __init__(self, window: QMainWindow, services: Services, runner: Runner,
                 current_patient: Callable[[], tuple[int, str, str] | None]):
        super().__init__(window)
        self.window, self.services, self.runner = window, services, runner
        self.current_patient = current_patient  # (id, chart number, name) of the open patient, or None
        self.export_clinic = make_action(self, "E&xport clinic…",
                                         tip="Every patient, screening, course, session and payment as the import "
                                             "files, into a new folder")
        self.export_fhir = make_action(self, "Export as F&HIR…",
                                       tip="The open patient's record as a FHIR R4 Bundle (JSON), for another "
                                           "clinician or a records request")
        self.export_clinic.triggered.connect(self.start_clinic_export)
        self.export_fhir.triggered.connect(self.start_fhir_export)
        self.progress: QProgressDialog | None = None
        self._relay = _ProgressRelay(self)
        self._relay.advanced.connect(self._advance, Qt.ConnectionType.QueuedConnection)
        self._cancel = threading.Event()
        self.follow_actor()

    def follow_actor(self) -> None:
        """Only an administrator exports the whole clinic (call after a sign-in)."""
        actor = self.services.actor
        admin = actor.has(Role.ADMINISTRATOR)
        self.export_clinic.setEnabled(admin)
        tip = ("Every patient, screening, course, session and payment as the import files, into a new folder"
               if admin else f"Only an administrator may export the whole clinic; {actor.display_name} is not one.")
        self.export_clinic.setToolTip(tip)
        self.export_clinic.setStatusTip(tip)

    def follow_patient(self) -> None:
        self.export_fhir.setEnabled(self.current_patient() is not None)

    # --- the whole clinic -------------------------------------------------------------------------------
    def start_clinic_export(self) -> None:
        if not self.services.actor.has(Role.ADMINISTRATOR):
            messages.show_error(self.window, self.export_clinic.toolTip())
            return
        suggested = documents_folder() / f"DecompDesk export {date.today().isoformat()}"
        chosen = ask_export_folder(self.window, str(suggested))
        if chosen is None:
            return
        exports, target = self.services.exports, Path(chosen)
        try:
            exports.check_folder(target)  # said at once, before the progress dialog opens
        except DomainError as e:
            messages.show_error(self.window, str(e))
            return
        self._cancel.clear()
        self.progress = QProgressDialog("Exporting the clinic…", "Cancel", 0, 0, self.window)
        self.progress.setWindowTitle("Export clinic")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self._cancel.set)
        self.progress.show()
        relay, cancel = self._relay, self._cancel

        def report(done: int, total: int) -> None:  # in the worker thread
            if cancel.is_set():
                raise ExportCancelledError("The export was cancelled; nothing was left in the folder.")
            relay.advanced.emit(done, total)

        self.runner.submit(lambda: exports.clinic(target, report), self._clinic_exported, self._clinic_failed,
                           write=True, parent=self.window)

    @Slot(int, int)
    def _advance(self, done: int, total: int) -> None:
        progress = self.progress
        if progress is not None and not self._cancel.is_set():
            progress.setLabelText(f"Exporting the clinic… {done:,} of {total:,} rows")
            progress.setMaximum(max(total, 1))
            progress.setValue(done)  # last: a modal dialog's setValue may deliver the job's end meanwhile

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect()
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _clinic_exported(self, report: ExportReport) -> None:
        self._close_progress()
        self.window.statusBar().showMessage(f"Exported the clinic to {report.folder}.", 15000)
        counts = "\n".join(f"  {f.name}: {f.rows:,} rows" for f in report.files)
        messages.show_info(self.window, f"The clinic was exported to {report.folder}:\n\n{counts}\n\n"
                                        "README.txt there says what the files are. They hold health records: "
                                        "keep them where only those who may read the records can.")

    def _clinic_failed(self, error: BaseException) -> None:
        self._close_progress()
        if isinstance(error, ExportCancelledError):
            self.window.statusBar().showMessage(str(error), 15000)
            return
        messages.show_error(self.window, messages.describe_error(error))

    # --- one patient as FHIR ----------------------------------------------------------------------------
    def start_fhir_export(self) -> None:
        patient = self.current_patient()
        if patient is None:
            return
        _, chart, _name = patient
        chosen = ask_fhir_file(self.window, str(documents_folder() / f"{chart}-fhir.json"))
        if chosen is None:
            return
        exports = self.services.exports
        self.runner.submit(lambda: exports.patient_fhir(chart, chosen), self._fhir_exported,
                           write=True, parent=self.window)

    def _fhir_exported(self, result: FhirExport) -> None:
        self.window.statusBar().showMessage(
            f"Wrote {result.patient_name} (chart {result.chart_number}) as FHIR, {result.resources} resources, "
            f"to {result.file}.", 15000)
