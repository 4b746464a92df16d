"""One patient's page: a header and the Overview, Screening, Sessions and Progress tabs."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QToolButton, QVBoxLayout, QWidget

from decomp_desk.bootstrap import Services
from decomp_desk.domain.addresses import display_phone
from decomp_desk.domain.op_changes import NO_CHANGES, Changes
from decomp_desk.domain.types import CourseStatus, Role
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.dialogs.patient_dialog import PatientDialog
from decomp_desk.ui.page_printer import PagePrinter, summary_request
from decomp_desk.ui.pages.billing_tab import BillingTab
from decomp_desk.ui.pages.outcomes_tab import OutcomesTab
from decomp_desk.ui.pages.overview_tab import OverviewTab
from decomp_desk.ui.pages.patient_actions import PatientActions
from decomp_desk.ui.pages.progress_tab import ProgressTab
from decomp_desk.ui.pages.screening_tab import ScreeningTab
from decomp_desk.ui.pages.sessions_tab import SessionsTab
from decomp_desk.ui.patient_file import PatientFile, load_patient_file, reread_patient_file
from decomp_desk.ui.patient_heading import heading
from decomp_desk.ui.workers import Runner


class PatientPage(QWidget):
    loaded = Signal()  # the page shows a freshly loaded patient
    executed = Signal(object)  # what a save from the page changed (Changes): the window hands it to every screen
    archived = Signal(int, str)
    status = Signal(str)
    start_tab = 0  # the tab a newly opened patient shows: the one last used before the desk was closed

    def __init__(self, services: Services, runner: Runner, back: QAction, parent: QWidget | None = None,
                 actions: PatientActions | None = None):
        super().__init__(parent)
        self.services, self.runner = services, runner
        self.file: PatientFile | None = None
        self.patient_id: int | None = None
        self._unshown = NO_CHANGES  # changes whose re-read is under way (a newer one reads them too)
        self.active = False
        self.actions = actions or PatientActions(self)  # the window's, when it made them before the page
        a = self.actions

        back_button = QToolButton()
        back_button.setDefaultAction(back)
        back_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.title = QLabel()
        self.title.setObjectName("patient_title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel()
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.overview = OverviewTab(a, services.today)
        self.screening = ScreeningTab(services, runner)
        self.sessions = SessionsTab(services, runner, a)
        self.progress = ProgressTab(a)
        self.summary_printer = PagePrinter(services, runner, self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.overview, "&Overview")
        self.tabs.addTab(self.screening, "Sc&reening")
        self.tabs.addTab(self.sessions, "Sess&ions")
        self.tabs.addTab(self.progress, "Progress")  # every letter of it is taken on the Screening tab: Ctrl+4
        self.tabs.setTabToolTip(self.tabs.indexOf(self.progress), "Progress (Ctrl+4)")
        self.billing = BillingTab(services, runner)
        self.tabs.addTab(self.billing, "Bi&lling")
        self.outcomes = OutcomesTab(services, runner)
        self.tabs.addTab(self.outcomes, "Outcomes")  # Ctrl+6 (its letters are taken by the other tabs)
        self.tabs.setTabToolTip(self.tabs.indexOf(self.outcomes), "Outcome forms: ODI, NDI, PSFS (Ctrl+6)")

        header = QHBoxLayout()
        header.addWidget(back_button)
        header.addSpacing(12)
        header.addWidget(self.title)
        header.addSpacing(12)
        header.addWidget(self.subtitle, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)

        a.edit_patient.triggered.connect(self.edit_patient)
        a.archive_patient.triggered.connect(self.toggle_archived)
        a.new_screening.triggered.connect(self.go_to_screening_form)
        a.new_session.triggered.connect(self.sessions.new_session)
        a.edit_session.triggered.connect(self.sessions.edit_session)
        a.open_course.triggered.connect(self.sessions.open_course)
        a.edit_course.triggered.connect(self.sessions.edit_course)
        a.complete_course.triggered.connect(self.sessions.complete_course)
        a.discontinue_course.triggered.connect(self.sessions.discontinue_course)
        for tab, action in ((self.overview, a.show_overview), (self.screening, a.show_screening),
                            (self.sessions, a.show_sessions), (self.progress, a.show_progress)):
            action.triggered.connect(lambda _=False, tab=tab: self.tabs.setCurrentWidget(tab))
        a.preview_summary.triggered.connect(lambda: self._summary(self.summary_printer.preview))
        a.print_summary.triggered.connect(lambda: self._summary(self.summary_printer.print))
        a.save_summary_pdf.triggered.connect(lambda: self._summary(self.summary_printer.save_pdf))
        self.summary_printer.done.connect(self.status)
        self.progress.course_changed.connect(self.update_actions)
        for tab in (self.screening, self.sessions):
            tab.changed.connect(self._tab_saved)
        self.sessions.selection_changed.connect(self.update_actions)
        self.billing.changed.connect(self._tab_saved)
        self.billing.status.connect(self.status)
        a.show_billing.triggered.connect(lambda: self.tabs.setCurrentWidget(self.billing))
        a.show_outcomes.triggered.connect(lambda: self.tabs.setCurrentWidget(self.outcomes))
        self.outcomes.changed.connect(self._tab_saved)
        self.sessions.session_recorded.connect(self._offer_outcome_form)
        self.update_actions()

    # --- loading ------------------------------------------------------------------------------------
    def open_patient(self, patient_id: int) -> None:
        fresh = patient_id != self.patient_id
        self.patient_id = patient_id
        if fresh:
            self.file = None
            self.title.setText("Opening…")
            self.subtitle.clear()
            self.tabs.setCurrentIndex(self.start_tab)
            self.update_actions()
        self.reload(fresh)

    def reload(self, fresh: bool = False) -> None:
        patient_id = self.patient_id
        # A write job: opening a record is audited ('view'), and on SQLite two writers at once would have
        # one of them refused as busy rather than wait.
        self._unshown = NO_CHANGES
        self.runner.submit(lambda: load_patient_file(self.services, patient_id),
                           lambda f: self._show(f, fresh), write=True, parent=self, key="patient")

    def op_executed(self, changes: Changes) -> None:
        """After a save anywhere in the desk: the parts of the page it changed are read again (one
        transaction) and only the tabs that show them are drawn again; nothing, if it changed nothing here."""
        if self.patient_id is None or not changes.about(self.patient_id):
            return
        if self.file is None or self.file.patient.id != self.patient_id:
            self.reload()  # the patient is still opening: the whole page is on its way
            return
        # A re-read still under way is superseded by this one (the same key): this one reads its parts too.
        self._unshown = pending = self._unshown | changes
        f = self.file
        self.runner.submit(lambda: reread_patient_file(self.services, f, pending),
                           lambda new: self._show_changed(new, pending), write=pending.patient or pending.settings,
                           parent=self, key="patient")  # a write job only to record a view of the details

    def _show(self, f: PatientFile, fresh: bool) -> None:
        self.file = f
        self._show_heading(f)
        self.overview.show_file(f)
        self.screening.show_file(f, fresh)
        self.sessions.show_file(f)
        self.billing.show_file(f)
        self.progress.show_file(f)
        self.outcomes.show_file(f)
        self.update_actions()
        self.loaded.emit()

    def _show_changed(self, f: PatientFile, changes: Changes) -> None:
        """Each screen of the page drawn again only when the change touches what it shows."""
        self._unshown = NO_CHANGES
        if changes.settings:
            self._show(f, False)
            return
        self.file = f
        if changes.patient:
            self._show_heading(f)
        c = changes
        if c.patient or c.clearance or c.courses or c.sessions:
            self.overview.show_file(f)
        if c.patient or c.screenings:
            self.screening.show_file(f, False)
        if c.patient or c.clearance or c.courses or c.sessions or c.appointments:
            self.sessions.show_file(f)
        if c.account:
            self.billing.show_file(f)
        if c.progress:
            self.progress.show_file(f)
        if c.patient or c.missing_forms:
            self.outcomes.show_file(f)
        self.update_actions()
        self.loaded.emit()

    def _show_heading(self, f: PatientFile) -> None:
        p = f.patient
        self.title.setText(heading(p.last_name, p.first_name, p.date_of_birth, self.services.today()))
        phone = f" · {display_phone(p.phone)}" if p.phone else ""
        self.subtitle.setText(f"Chart {p.chart_number}{phone}" + (" · archived" if p.archived else ""))

    def _tab_saved(self, message: str, changes: Changes | None = None) -> None:
        """`changes`: what the save changed; unknown (None or empty), the whole page is read again."""
        self.status.emit(message)
        if self.patient_id is not None:
            self.executed.emit(changes or Changes.everything(self.patient_id))

    # --- what may be done now ------------------------------------------------------------------------
    def set_active(self, on: bool) -> None:
        """Only the page on show takes its shortcuts."""
        self.active = on
        self.update_actions()

    def update_actions(self) -> None:
        a, f = self.actions, self.file
        loaded = self.active and f is not None
        live = loaded and not f.patient.archived
        for action in a.all():
            action.setEnabled(loaded)
        a.set_enabled(a.edit_patient, live, "The patient is archived." if loaded else "")
        a.archive_patient.setText("Restore from &archive…" if loaded and f.patient.archived else "&Archive patient…")
        a.set_enabled(a.new_screening, live)
        may, why = f.may_record if f is not None else (False, "")
        a.set_enabled(a.new_session, live and may, why)
        a.set_enabled(a.open_course, live)
        session = self.sessions.selected_session() if loaded else None
        a.set_enabled(a.edit_session, live and session is not None, "Select a session first.")
        course = self.sessions.selected_course() if loaded else None
        a.set_enabled(a.edit_course, live and course is not None, "The patient has no course yet.")
        active = course is not None and course.status is CourseStatus.ACTIVE
        why_not = f"The course is {course.status.label.lower()}." if course is not None else "No course."
        a.set_enabled(a.complete_course, live and active, why_not)
        a.set_enabled(a.discontinue_course, live and active, why_not)
        actor = self.services.actor
        if not actor.has(Role.CLINICIAN):  # the services refuse it anyway: say why before the form is filled
            for action in (a.new_screening, a.new_session, a.edit_session):
                a.set_enabled(action, False, f"Only a clinician screens and records sessions; {actor.display_name} "
                                             "is not one.")
        summary_course = self.progress.selected_course() if loaded else None
        for action in (a.preview_summary, a.print_summary, a.save_summary_pdf):
            a.set_enabled(action, summary_course is not None, "The patient has no treatment course yet.")
        if not loaded:
            a.quiet()

    # --- patient-level flows ------------------------------------------------------------------------
    def _offer_outcome_form(self, course, saved) -> None:
        """After a session is recorded: when a re-exam form is due at it and none is on file, offer it next."""
        from decomp_desk.ui.outcome_prompt import offer_outcome_form

        offer_outcome_form(self, course, saved)

    def _summary(self, how) -> None:
        """The progress summary of the course on the Progress tab (the current course unless another is chosen)."""
        course = self.progress.selected_course()
        if self.file is not None and course is not None:
            p = self.file.patient
            how(summary_request(self.services, p.id, course.id, p.chart_number))

    def go_to_screening_form(self) -> None:
        self.tabs.setCurrentWidget(self.screening)
        self.screening.focus_form()

    def edit_patient(self) -> None:
        if self.file is None:
            return
        changed = PatientDialog.ask(self, self.services, self.runner, existing=self.file.patient)
        if changed is not None:
            self._tab_saved(f"Details of {changed.full_name} saved.", changed.changes)

    def toggle_archived(self) -> None:
        f = self.file
        if f is None:
            return
        p, archive = f.patient, not f.patient.archived
        question = (f"Archive {p.full_name} (chart {p.chart_number})? The record is kept, not deleted, and leaves "
                    f"the patient list; tick Show archived to find it again." if archive else
                    f"Restore {p.full_name} (chart {p.chart_number}) from the archive?")
        if not messages.confirm(self, question, yes="Archive" if archive else "Restore"):
            return
        self.runner.submit(lambda: self.services.patients.set_archived(p.id, archive, p.version),
                           lambda d: self._archived(d.id, archive, d.full_name, d.changes), write=True, parent=self)

    def _archived(self, patient_id: int, archive: bool, name: str, changes: Changes | None = None) -> None:
        message = f"{name} archived." if archive else f"{name} restored from the archive."
        self.status.emit(message)
        if archive:
            self.archived.emit(patient_id, message)
        else:
            self._tab_saved(message, changes)
