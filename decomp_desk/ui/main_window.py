"""The window: menus and toolbar, the patient list and a patient's page, and the status bar."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QToolBar

from decomp_desk import config
from decomp_desk.bootstrap import Services
from decomp_desk.demo_database import is_demo_database
from decomp_desk.domain.op_changes import Changes
from decomp_desk.domain.types import Role
from decomp_desk.services.dto import ClinicSettingsView
from decomp_desk.ui.account_menu import AccountControls
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.export_actions import ExportActions
from decomp_desk.ui.pages.patient_actions import PatientActions, make_action
from decomp_desk.ui.pages.patient_list import PatientListPage
from decomp_desk.ui.plain_text import install_plain_text_labels
from decomp_desk.ui.workers import BusyIndicator, Runner

if TYPE_CHECKING:
    from decomp_desk.ui.pages.patient_page import PatientPage

MIN_SIZE = (1000, 640)  # fits a 1366 x 768 screen, also at 200 % of a 2732 x 1536 one


def display_url(url: str) -> str:
    """The database URL without its password."""
    return config.redact_password(url)


class MainWindow(QMainWindow):
    def __init__(self, services: Services, runner: Runner | None = None):
        super().__init__()
        install_plain_text_labels()  # names and notes people typed are never read as markup
        self.services = services
        self.runner = runner or Runner(self)
        self.runner.capture = services.capture
        self.setWindowTitle("DecompDesk")
        self.setMinimumSize(*MIN_SIZE)

        self.new_patient_action = make_action(self, "New &patient…", QKeySequence.StandardKey.New,
                                              tip="Register a new patient")
        self.find_action = make_action(self, "&Find patient", QKeySequence.StandardKey.Find,
                                       tip="Search patients by name, chart number or phone")
        self.back_action = make_action(self, "← &Patients", "Alt+Left", tip="Back to the patient list")
        self.refresh_action = make_action(self, "&Refresh", QKeySequence.StandardKey.Refresh, tip="Load again")
        self.quit_action = make_action(self, "&Quit", QKeySequence.StandardKey.Quit)
        self.about_action = make_action(self, "&About DecompDesk")
        self.settings_action = make_action(self, "&Settings…", "Ctrl+,",
                                           tip="The clinic's letterhead, fees, printing, security and diagnosis codes")

        # The patient page (its tabs, forms and dialogs) is built the first time a patient is opened: the
        # window shows the list first, and a tenth of its start went into a page nobody had asked for yet.
        # Its actions exist from the start, for the menus and toolbar; disabled until a patient is open.
        self.patient_actions = PatientActions(self)
        for action in self.patient_actions.all():
            action.setEnabled(False)
        self._patient_page: PatientPage | None = None
        self.list_page = PatientListPage(services, self.runner, self.new_patient_action)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list_page)
        self.setCentralWidget(self.stack)
        self.exports = ExportActions(self, services, self.runner, self.open_patient_identity)
        self._build_menus()
        self._build_status_bar()

        self.new_patient_action.triggered.connect(self.new_patient)
        self.find_action.triggered.connect(self.find_patient)
        self.back_action.triggered.connect(self.show_list)
        self.refresh_action.triggered.connect(self.refresh)
        self.quit_action.triggered.connect(self.close)
        self.about_action.triggered.connect(self._about)
        self.settings_action.triggered.connect(self.edit_settings)
        self.follow_actor()
        self.account = AccountControls(self)  # who is signed in, the lock, users and the audit trail
        self.list_page.open_requested.connect(self.open_patient)
        from decomp_desk.ui.book.desk import BookDesk

        self.book_desk = BookDesk(self)  # Today, the appointment book and their menu
        self.show_list()
        self.book_desk.show_today(reload=False)  # the desk opens on today's book (loaded by start())

    @property
    def patient_page(self) -> PatientPage:
        """The page of the open patient, built when first wanted."""
        if self._patient_page is None:
            from decomp_desk.ui.pages.patient_page import PatientPage

            page = PatientPage(self.services, self.runner, self.back_action, actions=self.patient_actions)
            self.stack.addWidget(page)
            page.status.connect(lambda text: self.statusBar().showMessage(text, 15000))
            page.executed.connect(self.op_executed)
            page.archived.connect(self._patient_archived)
            page.loaded.connect(self.exports.follow_patient)
            self._patient_page = page
        return self._patient_page

    # --- building ---------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        a = self.patient_actions
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.refresh_action)
        file_menu.addSeparator()
        for action in (a.preview_summary, a.print_summary, a.save_summary_pdf):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.exports.export_clinic)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.setToolTipsVisible(True)  # a disabled Settings… says why
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        patient = bar.addMenu("&Patient")
        for action in (self.new_patient_action, self.find_action, self.back_action, None, a.edit_patient,
                       a.archive_patient, None, a.new_screening, None, self.exports.export_fhir):
            patient.addSeparator() if action is None else patient.addAction(action)
        session = bar.addMenu("&Session")
        for action in (a.new_session, a.edit_session, None, a.open_course, a.edit_course, a.complete_course,
                       a.discontinue_course):
            session.addSeparator() if action is None else session.addAction(action)
        view = bar.addMenu("&View")
        for action in (a.show_overview, a.show_screening, a.show_sessions, a.show_progress):
            view.addAction(action)
        view.addAction(a.show_outcomes)
        # The clinic outcome report (a Reports menu would have no Alt letter of its own: every letter of the
        # word is taken on some screen, tests/ui/test_desk.py), so it lives here with its own shortcut.
        view.addSeparator()
        self.clinic_report_action = make_action(self, "&Clinic outcomes…", "Ctrl+Shift+U",
                                                tip="The clinic's outcomes for a period, beside published series")
        self.clinic_report_action.triggered.connect(self.show_clinic_report)
        view.addAction(self.clinic_report_action)
        billing = bar.addMenu("&Billing")
        self.who_owes_action = make_action(self, "&Who owes…", "Ctrl+Shift+B",
                                           tip="Every patient's balance and the month's totals")
        self.who_owes_action.triggered.connect(self.show_clinic_billing)
        self._clinic_billing = None  # built the first time it is asked for
        billing.addAction(a.show_billing)
        billing.addAction(self.who_owes_action)
        bar.addMenu("&Help").addAction(self.about_action)

        tools = QToolBar("Main")
        tools.setObjectName("main_toolbar")
        tools.setMovable(False)
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.new_patient_action, self.find_action, a.new_session, a.new_screening):
            tools.addAction(action)
        self.addToolBar(tools)

    def _build_status_bar(self) -> None:
        self.database_label = QLabel(f"Database: {display_url(self.services.url)}")
        self.database_label.setObjectName("database_label")
        self.database_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy = BusyIndicator(self.runner)
        self.statusBar().addPermanentWidget(self.busy)
        self.statusBar().addPermanentWidget(self.database_label)

    # --- navigation -------------------------------------------------------------------------------
    def start(self) -> None:
        """Load the list and the clinic's name in the background, once someone has signed in (signed out,
        the services read nothing)."""
        # The start's reads, one after another on one thread and one database connection, in the order the
        # user sees them: Today (the window opens on it), the title (and the lock's idle time), then the
        # list (its read is recorded, so it is in the writes' line anyway), which is shown with nothing
        # else read beside it. Side by side they took no less of the interpreter, which runs one thread at
        # a time, and each took a connection of its own: on PostgreSQL a server process and a password
        # exchange more at each start.
        self.book_desk.start()
        self.runner.submit(self.services.settings.get, self.show_clinic, parent=self, behind_writes=True)
        self.list_page.reload(audit=True)

    def show_clinic(self, clinic: ClinicSettingsView) -> None:
        self.setWindowTitle(f"DecompDesk: {clinic.name}" if clinic.name else "DecompDesk")
        if is_demo_database(self.services.url):  # never mistaken for a real clinic
            self.setWindowTitle(self.windowTitle() + " (demo clinic: made-up patients, a database of its own)")
        self.account.follow_settings(clinic)  # the idle time before the lock

    def show_list(self) -> None:
        if self._patient_page is not None:
            self._patient_page.set_active(False)
        self.back_action.setEnabled(False)
        self.stack.setCurrentWidget(self.list_page)
        self.exports.follow_patient()
        self.list_page.table.setFocus()

    def open_patient(self, patient_id: int) -> None:
        self.stack.setCurrentWidget(self.patient_page)
        self.back_action.setEnabled(True)
        self.patient_page.set_active(True)
        self.patient_page.open_patient(patient_id)
        self.patient_page.tabs.setFocus()

    def open_patient_identity(self) -> tuple[int, str, str] | None:
        """(id, chart number, name) of the patient on show, or None (the list is on show, or still loading)."""
        page = self._patient_page
        if page is None or self.stack.currentWidget() is not page or page.file is None:
            return None
        p = page.file.patient
        return p.id, p.chart_number, p.full_name

    def find_patient(self) -> None:
        self.show_list()
        self.list_page.focus_search()

    def refresh(self) -> None:
        page = self._patient_page
        if page is not None and self.stack.currentWidget() is page and page.patient_id is not None:
            page.reload()
        self.list_page.reload()
        self.book_desk.reload()

    def op_executed(self, changes: Changes, handler: object = None) -> None:
        """The one place a save's changes are handed out (Anki's operation_did_execute): every screen built
        draws again only what it shows of them, reading just that part. `handler`: the screen that saved."""
        self.list_page.op_executed(changes)
        if self._patient_page is not None:
            self._patient_page.op_executed(changes)
        self.book_desk.op_executed(changes, handler)
        if self._clinic_billing is not None and changes.account and self._clinic_billing.isVisible():
            self._clinic_billing.reload()  # Who owes, when open beside the desk: a balance changed

    def new_patient(self) -> None:
        self.runner.submit(self.services.patients.next_chart_number, self._register, parent=self)

    def _register(self, chart: str) -> None:
        from decomp_desk.ui.dialogs.patient_dialog import PatientDialog

        created = PatientDialog.ask(self, self.services, self.runner, suggested_chart=chart)
        if created is None:
            return
        self.statusBar().showMessage(f"{created.full_name} registered with chart number {created.chart_number}. "
                                     "Next: screen them on the Screening tab.", 15000)
        self.list_page.refresh_patient(created.id)
        self.open_patient(created.id)
        self.patient_page.tabs.setCurrentWidget(self.patient_page.screening)

    def _patient_archived(self, patient_id: int, message: str) -> None:
        self.statusBar().showMessage(message + " Tick Show archived in the list to find them again.", 15000)
        self.show_list()
        self.list_page.reload()

    def show_clinic_billing(self) -> None:
        if self._clinic_billing is None:
            from decomp_desk.ui.pages.clinic_billing import ClinicBillingWindow

            self._clinic_billing = ClinicBillingWindow(self.services, self.runner, self)
            self._clinic_billing.open_requested.connect(self._open_from_clinic_billing)
        self._clinic_billing.reload(audit=True)
        self._clinic_billing.show()
        self._clinic_billing.raise_()
        self._clinic_billing.activateWindow()

    def _open_from_clinic_billing(self, patient_id: int) -> None:
        """A patient opened from Who owes comes to the front (that window has stepped aside)."""
        self.open_patient(patient_id)
        self.raise_()
        self.activateWindow()

    def show_clinic_report(self) -> None:
        from decomp_desk.ui.pages.clinic_report_window import ClinicReportWindow

        if getattr(self, "_clinic_report", None) is None:
            self._clinic_report = ClinicReportWindow(self.services, self.runner, self)
        self._clinic_report.reload()
        self._clinic_report.show()
        self._clinic_report.raise_()

    def follow_actor(self) -> None:
        """What the signed-in person may do: only an administrator changes the settings (call after act_as)."""
        actor = self.services.actor
        admin = actor.has(Role.ADMINISTRATOR)
        self.settings_action.setEnabled(admin)
        tip = ("The clinic's letterhead, fees, printing, security and diagnosis codes (Ctrl+,)" if admin else
               f"Only an administrator may change the clinic's settings; {actor.display_name} is not one.")
        self.settings_action.setToolTip(tip)
        self.settings_action.setStatusTip(tip)
        self.exports.follow_actor()
        if getattr(self, "book_desk", None) is not None:  # built after the first call, in __init__
            self.book_desk.follow_actor()

    def edit_settings(self) -> None:
        from decomp_desk.ui.dialogs.settings_dialog import SettingsDialog

        if not self.services.actor.has(Role.ADMINISTRATOR):
            messages.show_error(self, self.settings_action.toolTip())
            return
        saved = SettingsDialog.ask(self, self.services, self.runner)
        if saved is None:
            return
        self.show_clinic(saved.settings)
        self.op_executed(saved.settings.changes)  # an open patient's page offers the new default fee and sessions
        self.statusBar().showMessage(f"Settings saved: {saved.settings.name}. Pages printed from now on use them.",
                                     15000)

    def _about(self) -> None:
        messages.show_info(self, "DecompDesk: patients, screening and sessions of a spinal decompression "
                                 f"service.\n\nDatabase: {display_url(self.services.url)}")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.runner.shutdown()
        super().closeEvent(event)

