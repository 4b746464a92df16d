"""Sessions: the course's sessions in a table, the course bar, and the new / edit session flows."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from decomp_desk.bootstrap import Services
from decomp_desk.domain.types import CourseStatus
from decomp_desk.services.dto import CourseView, SavedSession, SessionView
from decomp_desk.ui.banner import Banner
from decomp_desk.ui.book.tracker_label import VisitTrackerLabel
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.dialogs.course_dialog import CourseDialog
from decomp_desk.ui.dialogs.session_dialog import SessionDialog
from decomp_desk.ui.pages.overview_tab import action_button
from decomp_desk.ui.pages.patient_actions import PatientActions
from decomp_desk.ui.patient_file import PatientFile
from decomp_desk.ui.table_models import SessionTableModel
from decomp_desk.ui.table_views import sorted_table
from decomp_desk.ui.widgets.course_box import CourseBox
from decomp_desk.ui.workers import Runner

NO_COURSE_LEAD = ("A session belongs to a treatment course, and this patient has no open course. "
                  "Open one now; the session form follows.")


def empty_course_text(course: CourseView | None, may_record: tuple[bool, str]) -> str:
    """What the Sessions tab says where there are no sessions: the next step only where it can be taken."""
    ok, why = may_record
    if course is not None and course.status is not CourseStatus.ACTIVE:
        ended = f" on {course.end_date:%b} {course.end_date.day}, {course.end_date.year}" if course.end_date else ""
        return (f"No sessions in this course: it was {course.status.label.lower()}{ended} and takes no more. "
                "A new session goes into a new course.")
    if not ok:
        where = "No treatment course yet." if course is None else "No sessions in this course yet."
        return f"{where} {why}"
    if course is None:
        return "No treatment course yet. New session opens one first (or use Open a course)."
    return "No sessions in this course yet. Press Ctrl+R (New session) to record the first."


def saved_message(saved: SavedSession, verb: str) -> str:
    s = saved.session
    text = f"Session {s.number} of {s.date.isoformat()} {verb}."
    if saved.flags:
        text += " Flagged: " + "; ".join(saved.flags) + "."
    return text


class SessionsTab(QWidget):
    changed = Signal(str, object)  # a status message and what the save changed (domain.op_changes.Changes)
    selection_changed = Signal()
    session_recorded = Signal(object, object)  # the course and the SavedSession: a re-exam form may be due

    def __init__(self, services: Services, runner: Runner, actions: PatientActions, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.runner, self.actions = services, runner, actions
        self.file: PatientFile | None = None
        self._show_next: int | None = None  # a course just opened, to show after the reload
        self._fit_due = False  # the columns are fitted to new rows when the tab is next on show
        self.course_box = CourseBox(self)
        self.blocked = Banner(self, "bad")
        self.blocked.setObjectName("new_session_blocked")
        self.blocked.hide()
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.model = SessionTableModel(self)
        self.proxy, self.table = sorted_table(self.model, "Sessions", Qt.SortOrder.AscendingOrder, self)

        bar = QHBoxLayout()
        bar.addWidget(self.course_box.label)
        bar.addWidget(self.course_box, 1)
        for action in (actions.open_course, actions.edit_course, actions.complete_course, actions.discontinue_course):
            bar.addWidget(action_button(action))
        buttons = QHBoxLayout()
        buttons.addWidget(action_button(actions.new_session))
        buttons.addWidget(action_button(actions.edit_session))
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        self.tracker = VisitTrackerLabel(self)  # the care plan's visit tracker (ui/book)
        layout.addWidget(self.tracker)
        layout.addWidget(self.blocked)
        layout.addLayout(buttons)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

        self.course_box.currentIndexChanged.connect(self._show_course)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed.emit())
        self.table.activated.connect(lambda _: self.edit_session())

    # --- showing ----------------------------------------------------------------------------------
    def show_file(self, f: PatientFile) -> None:
        keep = self._show_next or self.course_box.kept_choice(self.file, f)
        self._show_next = None
        self.file = f
        self.course_box.show_courses(f, keep)
        self._show_course()
        ok, why = f.may_record
        self.blocked.show_text("bad", f"New session is not available. {why}")
        self.blocked.setVisible(not ok)

    def _show_course(self) -> None:
        course = self.selected_course()
        self.tracker.show_course(self.file, course)
        sessions = self.file.sessions.get(course.id, []) if course and self.file else []
        self.model.set_rows(sessions)
        # Fitting the columns reads every cell: done when the tab is on show, not for a patient opened on
        # another tab (a tenth of the patient page's filling).
        self._fit_due = True
        if self.isVisible():
            self._fit_columns()
        self.empty.setText(empty_course_text(course, self.file.may_record if self.file else (True, "")))
        self.empty.setVisible(not sessions)
        if sessions:
            self.table.selectRow(self.proxy.rowCount() - 1)
        self.selection_changed.emit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        if self._fit_due:
            self._fit_due = False
            self.table.resizeColumnsToContents()

    def selected_course(self) -> CourseView | None:
        return self.file.course(self.course_box.currentData()) if self.file else None

    def selected_session(self) -> SessionView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(self.proxy.mapToSource(rows[0])) if rows else None

    def course_for_new_session(self) -> CourseView | None:
        """The course on show when it is active, else the patient's active course, if any."""
        shown = self.selected_course()
        if shown is not None and shown.status is CourseStatus.ACTIVE:
            return shown
        return next((c for c in self.file.courses if c.status is CourseStatus.ACTIVE), None)

    # --- sessions ---------------------------------------------------------------------------------
    def new_session(self) -> None:
        f = self.file
        if f is None:
            return
        ok, why = f.may_record
        if not ok:
            messages.show_error(self, f"A session cannot be recorded for {f.patient.full_name} today. {why}")
            return
        course = self.course_for_new_session()
        if course is None:
            course = CourseDialog.ask(self, self.services, self.runner, f.patient, f.clinic,
                                      screening=f.latest_screening, lead=NO_COURSE_LEAD)
            if course is None:
                return
            self._opened(course)
        saved = SessionDialog.ask(self, self.services, self.runner, f.patient, course,
                                  starting_point=f.starting_points.get(course.id))
        if saved is not None:
            self.changed.emit(saved_message(saved, "recorded"), saved.changes)
            self.session_recorded.emit(course, saved)

    def edit_session(self) -> None:
        session, course = self.selected_session(), self.selected_course()
        if self.file is None or session is None or course is None:
            return
        saved = SessionDialog.ask(self, self.services, self.runner, self.file.patient, course, existing=session)
        if saved is not None:
            self.changed.emit(saved_message(saved, "changed"), saved.changes)

    # --- courses ----------------------------------------------------------------------------------
    def open_course(self) -> None:
        f = self.file
        if f is None:
            return
        course = CourseDialog.ask(self, self.services, self.runner, f.patient, f.clinic, screening=f.latest_screening)
        if course is not None:
            self._opened(course)

    def _opened(self, course: CourseView) -> None:
        self._show_next = course.id
        self.changed.emit(f"Opened a {course.describe()}.", course.changes)

    def edit_course(self) -> None:
        course = self.selected_course()
        if self.file is None or course is None:
            return
        changed = CourseDialog.ask(self, self.services, self.runner, self.file.patient, self.file.clinic,
                                   existing=course)
        if changed is not None:
            self.changed.emit(f"Course saved: {changed.describe()}.", changed.changes)

    def complete_course(self) -> None:
        self._set_status(CourseStatus.COMPLETED, "Mark the course completed? No more sessions can be recorded in it.",
                         "Complete course")

    def discontinue_course(self) -> None:
        self._set_status(CourseStatus.DISCONTINUED, "Discontinue the course? Its sessions stay on file; no more "
                                                    "can be recorded in it.", "Discontinue course")

    def _set_status(self, status: CourseStatus, question: str, yes: str) -> None:
        course = self.selected_course()
        if course is None or not messages.confirm(self, f"{course.describe()}.\n\n{question}", yes=yes):
            return
        self.runner.submit(lambda: self.services.courses.set_status(course.id, status, course.version),
                           lambda c: self.changed.emit(f"Course {c.status.label.lower()}: {c.describe()}.", c.changes),
                           write=True, parent=self)
