"""Outcomes: the course's questionnaires (ODI or NDI, and PSFS) with their scores and bands, the re-exam
forms that are missing, the baseline/latest/change in words, and new / edit / delete."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from decomp_desk.bootstrap import Services
from decomp_desk.domain.outcomes import Instrument
from decomp_desk.domain.records import record
from decomp_desk.domain.types import CourseStatus, Role
from decomp_desk.services.dto import CourseView, FormView
from decomp_desk.services.outcomes import CourseOutcomes
from decomp_desk.ui.banner import Banner
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.dialogs.outcome_form_dialog import OutcomeFormDialog
from decomp_desk.ui.pages.overview_tab import action_button
from decomp_desk.ui.pages.patient_actions import make_action
from decomp_desk.ui.patient_file import PatientFile
from decomp_desk.ui.table_models import CENTRE, RIGHT, Column, RowTableModel
from decomp_desk.ui.table_views import sorted_table
from decomp_desk.ui.widgets.course_box import CourseBox
from decomp_desk.ui.workers import Runner


@record
class OutcomeRow:
    """A form of the course, or a re-exam session without one (form None)."""

    date: date
    order: int
    form: FormView | None
    instrument: Instrument
    session_number: int | None = None

    @property
    def id(self) -> int | None:
        return self.form.id if self.form else None


def _score(r: OutcomeRow) -> str:
    if r.form is None:
        return "not filled in"
    return r.form.scored.score_text()


class OutcomeTableModel(RowTableModel):
    COLUMNS = (
        Column("Date", lambda r: r.date.isoformat(), key=lambda r: f"{r.date.isoformat()} {r.order:012d}"),
        Column("Form", lambda r: r.instrument.short + ("" if r.form else " (missing)"),
               tone=lambda r: None if r.form else "warn"),
        Column("Session", lambda r: "" if r.session_number is None else str(r.session_number),
               key=lambda r: r.session_number or 0, align=RIGHT),
        Column("Answered", lambda r: "" if r.form is None else (
            f"{r.form.scored.answered} of 10" if r.instrument.has_sections else f"{r.form.scored.answered} activities"),
            align=CENTRE),
        Column("Score", _score, key=lambda r: -1 if r.form is None or r.form.scored.score is None
               else float(r.form.scored.score), align=CENTRE,
               tone=lambda r: "warn" if r.form is None or r.form.scored.score is None else None),
        Column("Band", lambda r: (r.form.scored.band or "") if r.form else ""),
        Column("Activities", lambda r: "; ".join(f"{a.name} {a.score}" for a in r.form.form.activities)
               if r.form else ""),
        Column("Recorded by", lambda r: r.form.recorded_by if r.form else ""),
    )


def outcome_rows(o: CourseOutcomes) -> list[OutcomeRow]:
    numbers = {}
    for n, d in enumerate(o.session_dates, start=1):
        numbers.setdefault(d, n)
    rows = [OutcomeRow(f.date, f.id, f, f.instrument, numbers.get(f.date)) for f in o.forms]
    rows += [OutcomeRow(o.session_dates[n - 1], 10 ** 9 + n, None, o.instrument, n) for n in o.missing]
    return sorted(rows, key=lambda r: (r.date, r.order))


class OutcomesTab(QWidget):
    changed = Signal(str, object)  # a status message and what the save changed (domain.op_changes.Changes)

    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.runner = services, runner
        self.file: PatientFile | None = None
        self.course_box = CourseBox(self)
        self.missing = Banner(self, "warn")
        self.missing.setObjectName("missing_forms")
        self.missing.hide()
        self.summary = QLabel()
        self.summary.setObjectName("outcome_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = OutcomeTableModel(self)
        self.proxy, self.table = sorted_table(self.model, "Outcome forms", Qt.SortOrder.AscendingOrder, self)
        self.new_form = make_action(self, "&New ODI form…", "Ctrl+Shift+O",
                                    tip="Record the course's disability questionnaire")
        self.new_psfs = make_action(self, "Ne&w PSFS…", tip="Record a Patient-Specific Functional Scale")
        self.edit_form = make_action(self, "&Edit form…", tip="Correct the selected form")
        self.delete_form = make_action(self, "&Delete form…", tip="Delete the selected form (audited)")
        for action in (self.new_form, self.new_psfs, self.edit_form, self.delete_form):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.new_form.triggered.connect(lambda: self.record(None))
        self.new_psfs.triggered.connect(lambda: self.record(Instrument.PSFS))
        self.edit_form.triggered.connect(self.edit_selected)
        self.delete_form.triggered.connect(self.delete_selected)

        bar = QHBoxLayout()
        bar.addWidget(self.course_box.label)
        bar.addWidget(self.course_box, 1)
        buttons = QHBoxLayout()
        for action in (self.new_form, self.new_psfs, self.edit_form, self.delete_form):
            buttons.addWidget(action_button(action))
        buttons.addStretch(1)
        note = QLabel("Sections are shown by short names; the wording stays on the clinic's licensed paper forms. "
                      "A form is due at session 1, every 10th session and the last planned one.")
        note.setWordWrap(True)
        note.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.missing)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        self.course_box.currentIndexChanged.connect(self._show_course)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.table.activated.connect(lambda _: self.edit_selected())
        self._update_actions()

    # --- showing ----------------------------------------------------------------------------------
    def show_file(self, f: PatientFile) -> None:
        keep = self.course_box.kept_choice(self.file, f)
        self.file = f
        self.course_box.show_courses(f, keep)
        self._show_course()

    def selected_course(self) -> CourseView | None:
        return self.file.course(self.course_box.currentData()) if self.file else None

    def outcomes(self) -> CourseOutcomes | None:
        course = self.selected_course()
        return self.file.outcomes.get(course.id) if course is not None else None

    def _show_course(self) -> None:
        o = self.outcomes()
        self.model.set_rows(outcome_rows(o) if o else [])
        self.table.resizeColumnsToContents()
        if o is None:
            self.summary.setText("No treatment course yet: outcome forms belong to a course.")
            self.missing.hide()
        else:
            self.new_form.setText(f"&New {o.instrument.short} form…")
            lines = [o.summary().plain_sentence()]
            if o.summaries[Instrument.PSFS].forms:
                lines.append(o.summaries[Instrument.PSFS].plain_sentence())
            self.summary.setText("\n".join(lines))
            if o.missing:
                which = ", ".join(map(str, o.missing))
                self.missing.show_text("warn", f"{o.instrument.short} form missing at session"
                                               f"{'s' if len(o.missing) > 1 else ''} {which}: none is dated on "
                                               "that session's day.")
            self.missing.setVisible(bool(o.missing))
        self._update_actions()

    def selected_row(self) -> OutcomeRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(self.proxy.mapToSource(rows[0])) if rows else None

    def _update_actions(self) -> None:
        f, o = self.file, self.outcomes() if self.file else None
        clinician = self.services.actor.has(Role.CLINICIAN)
        live = f is not None and not f.patient.archived and o is not None and clinician
        why = ("Only a clinician records outcome forms." if not clinician else
               "The patient has no course." if o is None else "")
        row = self.selected_row() if f is not None else None
        for action, on in ((self.new_form, live), (self.new_psfs, live),
                           (self.edit_form, live and row is not None),
                           (self.delete_form, live and row is not None and row.form is not None)):
            action.setEnabled(on)
            action.setStatusTip(why if not on and why else action.toolTip())

    # --- forms ------------------------------------------------------------------------------------
    def record(self, instrument: Instrument | None, session_date: date | None = None) -> FormView | None:
        """A new form of `instrument` (the course's own when None); the saved form, or None."""
        o, course = self.outcomes(), self.selected_course()
        if self.file is None or o is None or course is None:
            return None
        instrument = instrument or o.instrument
        activities = o.psfs_activities if instrument is Instrument.PSFS else ()
        if session_date is None and course.status is not CourseStatus.ACTIVE:
            session_date = course.end_date or (o.session_dates[-1] if o.session_dates else None)
        saved = OutcomeFormDialog.ask(self, self.services, self.runner, self.file.patient, course, instrument,
                                      activities=activities, session_date=session_date)
        if saved is not None:
            self.changed.emit(f"{instrument.short} form of {saved.date.isoformat()} saved: "
                              f"{saved.scored.score_text()}.", saved.changes)
        return saved

    def edit_selected(self) -> None:
        row, course = self.selected_row(), self.selected_course()
        if self.file is None or row is None or course is None:
            return
        if row.form is None:  # a missing re-exam: record it, dated that session's day
            self.record(row.instrument, row.date)
            return
        saved = OutcomeFormDialog.ask(self, self.services, self.runner, self.file.patient, course, row.instrument,
                                      existing=row.form)
        if saved is not None:
            self.changed.emit(f"{row.instrument.short} form of {saved.date.isoformat()} changed: "
                              f"{saved.scored.score_text()}.", saved.changes)

    def delete_selected(self) -> None:
        row = self.selected_row()
        if row is None or row.form is None:
            return
        f = row.form
        if not messages.confirm(self, f"Delete the {f.instrument.short} form of {f.date.isoformat()} "
                                      f"({f.scored.score_text()})? The deletion is recorded in the audit trail.",
                                yes="Delete form"):
            return
        self.runner.submit(lambda: self.services.outcomes.delete(f.id, f.version),
                           lambda done: self.changed.emit(f"{f.instrument.short} form of {f.date.isoformat()} deleted.",
                                                          done),
                           write=True, parent=self)
