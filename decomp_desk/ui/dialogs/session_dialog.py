"""Record a session, or correct one: every field DOMAIN.md lists, scores quick from the keyboard."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from decomp_desk.bootstrap import Services
from decomp_desk.domain.errors import NotCleared, ValidationError
from decomp_desk.domain.types import AdverseEvent, Position, Scores, TableMode
from decomp_desk.domain.validation import SessionInput, duration_flagged, session_flags, validate_session
from decomp_desk.services.dto import CourseView, PatientDetail, SavedSession, SessionView
from decomp_desk.ui import theme
from decomp_desk.ui.dialogs.saving import SavingDialog
from decomp_desk.ui.forms import (
    EnumCombo,
    OptionalIntSpin,
    OptionalSpin,
    ScoreBox,
    chain_tab_order,
    plain_text,
    time_edit,
    to_qdate,
    to_qtime,
)
from decomp_desk.ui.plain_text import escape, rich_label
from decomp_desk.ui.widgets.bounded_date import BoundedDateEdit
from decomp_desk.ui.workers import Runner

DEFAULT_DURATION = 35
SCORES = ("pain", "numbness", "tingling")
LABELS = {
    "date": "Date", "start_time": "Start time", "duration_min": "Duration", "position": "Position",
    "harness": "Harness", "max_force_lb": "Maximum force", "mode": "Mode", "min_force_lb": "Minimum force",
    "hold_s": "Hold", "rest_s": "Rest", "progressive_steps": "Progressive steps",
    "regressive_steps": "Regressive steps", "cycles": "Cycles", "angle_deg": "Angle",
    "pain_before": "Pain before", "numbness_before": "Numbness before", "tingling_before": "Tingling before",
    "pain_after": "Pain after", "numbness_after": "Numbness after", "tingling_after": "Tingling after",
    "stop_button": "Stop button", "stop_minute": "Stop minute", "adverse_notes": "After-effect notes",
    "notes": "Notes", "clinician": "Clinician", "course": "Course", "patient": "Patient",
}
EFFECT_TEXT = {AdverseEvent.SORENESS: "&Soreness", AdverseEvent.MUSCLE_SPASM: "Muscle s&pasm",
               AdverseEvent.TISSUE_DAMAGE: "Tissue &damage", AdverseEvent.OTHER: "Ot&her"}


class SessionDialog(SavingDialog):
    def __init__(self, services: Services, runner: Runner, patient: PatientDetail, course: CourseView,
                 existing: SessionView | None = None, starting_point: SessionInput | None = None,
                 parent: QWidget | None = None):
        super().__init__(services, runner, parent, save_text="Save session")
        self.patient, self.course, self.existing = patient, course, existing
        number = existing.number if existing else course.sessions_completed + 1
        self.setWindowTitle(f"{'Edit' if existing else 'New'} session {number}: {patient.full_name}")
        today = services.today()

        heading = rich_label(f"<b>{escape(patient.last_name)}, {escape(patient.first_name)}</b> · chart "
                             f"{escape(patient.chart_number)} · session {number} of {course.planned_sessions} · "
                             f"{escape(course.describe())}")
        heading.setWordWrap(True)

        # When and how
        # From the course's start (or an earlier day already on record) to today; other days are greyed in
        # the calendar, and a typed one is explained.
        earliest = min(course.start_date, existing.date) if existing else course.start_date
        self.date = BoundedDateEdit(earliest, today, "the course's start" if earliest == course.start_date
                                    else "the day on record")
        self.start_time = time_edit()
        self.duration_min = QSpinBox()
        self.duration_min.setRange(0, 999)
        self.duration_min.setSuffix(" min")
        self.duration_min.setValue(DEFAULT_DURATION)
        self.duration_flag = QLabel()  # one line, its room kept, so the form never jumps
        self.duration_flag.setObjectName("duration_flag")
        self.duration_flag.setMinimumHeight(self.duration_flag.fontMetrics().lineSpacing() + 4)
        self.position = EnumCombo(Position)
        self.harness = QCheckBox("Harness &applied")
        self.harness.setChecked(True)

        # The patient's scores
        self.before = {n: ScoreBox() for n in SCORES}
        self.after_given = QCheckBox("Scores a&fter the session")
        self.after = {n: ScoreBox() for n in SCORES}

        # Table settings
        self.max_force_lb = OptionalSpin(0, 500, 0.5, 1, " lb")
        self.mode = EnumCombo(TableMode, blank="–")
        self.min_force_lb = OptionalSpin(0, 500, 0.5, 1, " lb")
        self.hold_s = OptionalIntSpin(0, 3600, " s")
        self.rest_s = OptionalIntSpin(0, 3600, " s")
        self.progressive_steps = OptionalIntSpin(0, 99)
        self.regressive_steps = OptionalIntSpin(0, 99)
        self.cycles = OptionalIntSpin(0, 999)
        self.angle_deg = OptionalSpin(-90, 90, 1, 0, "°")

        # Stop button and after-effects
        self.stop_button = QCheckBox("Patient pressed the stop &button")
        self.stop_minute = OptionalIntSpin(0, 999)
        self.stop_minute.setPrefix("at minute ")  # "at minute 12" (a " min" after it read "at minute 12 min")
        self.effects = {e: QCheckBox(EFFECT_TEXT[e]) for e in AdverseEvent}
        self.adverse_notes = QLineEdit()
        self.adverse_notes.setPlaceholderText("What happened, and what was done")
        self.notes = plain_text(2)
        self.clinician = QLineEdit(services.actor.display_name)

        self._lay_out(heading)
        if existing is None:  # the re-exam cadence: say so, and offer the outcome form next
            from decomp_desk.ui.outcome_prompt import offer_in_session_dialog

            self.outcome_next = offer_in_session_dialog(self, heading, course, number)
        chain_tab_order([self.date, self.start_time, self.duration_min, self.position, self.harness,
                         *self.before.values(), self.after_given, *self.after.values(),
                         self.max_force_lb, self.mode, self.min_force_lb, self.hold_s, self.rest_s,
                         self.progressive_steps, self.regressive_steps, self.cycles, self.angle_deg,
                         self.stop_button, self.stop_minute, *self.effects.values(), self.adverse_notes,
                         self.notes, self.clinician, self.save_button])

        if existing is not None:
            self._fill(existing.as_input(), scores=True)
        elif starting_point is not None:
            self._fill(starting_point, scores=False)
        self.after_given.toggled.connect(self._sync_enabled)
        self.stop_button.toggled.connect(self._sync_enabled)
        self.duration_min.valueChanged.connect(self._show_flag)
        self._sync_enabled()
        self._show_flag()
        fields = {"date": self.date, "start_time": self.start_time, "duration_min": self.duration_min,
                  "position": self.position, "harness": self.harness, "max_force_lb": self.max_force_lb,
                  "mode": self.mode, "min_force_lb": self.min_force_lb, "hold_s": self.hold_s, "rest_s": self.rest_s,
                  "progressive_steps": self.progressive_steps, "regressive_steps": self.regressive_steps,
                  "cycles": self.cycles, "angle_deg": self.angle_deg, "stop_button": self.stop_button,
                  "stop_minute": self.stop_minute, "adverse_notes": self.adverse_notes, "notes": self.notes,
                  "clinician": self.clinician}
        fields.update({f"{n}_before": w for n, w in self.before.items()})
        fields.update({f"{n}_after": w for n, w in self.after.items()})
        self.bind(fields, LABELS)
        self.date.refused.connect(lambda text: self.marks.show({"date": text}))
        (self.date if existing else self.before["pain"]).setFocus()

    # --- layout -----------------------------------------------------------------------------------
    def _lay_out(self, heading: QLabel) -> None:
        when = QGroupBox("Session")
        f = QFormLayout(when)
        f.addRow("Dat&e:", self.date)
        f.addRow("Start ti&me:", self.start_time)
        f.addRow("D&uration:", self.duration_min)
        f.addRow(self.duration_flag)
        f.addRow("Pos&ition:", self.position)
        f.addRow("", self.harness)

        scores = QGroupBox("Patient's scores, 0 to 10 (type a digit: it moves on by itself)")
        g = QGridLayout(scores)
        for col, name in enumerate(SCORES, start=1):
            g.addWidget(QLabel(name.capitalize()), 0, col)
        g.addWidget(QLabel("Before the session:"), 1, 0)
        g.addWidget(self.after_given, 2, 0)
        for col, name in enumerate(SCORES, start=1):
            g.addWidget(self.before[name], 1, col)
            g.addWidget(self.after[name], 2, col)
        for n in SCORES:
            self.before[n].setAccessibleName(f"{n.capitalize()} before")
            self.after[n].setAccessibleName(f"{n.capitalize()} after")

        table = QGroupBox("Table settings")
        t = QFormLayout(table)
        t.addRow("Ma&ximum force:", self.max_force_lb)
        t.addRow("M&ode:", self.mode)
        t.addRow("Mi&nimum force:", self.min_force_lb)
        hold_rest = QHBoxLayout()
        hold_rest.addWidget(self.hold_s)
        hold_rest.addWidget(QLabel("Rest:"))
        hold_rest.addWidget(self.rest_s)
        t.addRow("Hold:", hold_rest)
        steps = QHBoxLayout()
        steps.addWidget(self.progressive_steps)
        steps.addWidget(QLabel("Regressive:"))
        steps.addWidget(self.regressive_steps)
        t.addRow("Progressive steps:", steps)
        cycles = QHBoxLayout()
        cycles.addWidget(self.cycles)
        cycles.addWidget(QLabel("Angle:"))
        cycles.addWidget(self.angle_deg)
        t.addRow("Cycles:", cycles)

        after = QGroupBox("Stop button and after-effects")
        a = QGridLayout(after)
        a.addWidget(self.stop_button, 0, 0, 1, 2)
        a.addWidget(self.stop_minute, 0, 2, 1, 2)
        for col, box in enumerate(self.effects.values()):
            a.addWidget(box, 1, col)
        a.addWidget(self.adverse_notes, 2, 0, 1, 4)

        left = QVBoxLayout()
        left.addWidget(when)
        left.addWidget(scores)
        right = QVBoxLayout()
        right.addWidget(table)
        right.addWidget(after)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        bottom = QFormLayout()
        bottom.addRow("No&tes:", self.notes)
        bottom.addRow("&Clinician:", self.clinician)

        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(heading)
        layout.addLayout(columns)
        layout.addLayout(bottom)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

    # --- filling and reading ----------------------------------------------------------------------
    def _fill(self, s: SessionInput, scores: bool) -> None:
        """An existing session (everything), or the last session's table settings (no scores, no date)."""
        if scores:
            self.date.setDate(to_qdate(s.date))
            if s.start_time is not None:
                self.start_time.setTime(to_qtime(s.start_time))
            self.duration_min.setValue(s.duration_min)
            for n in SCORES:
                self.before[n].set_score(getattr(s.before, n))
                self.after[n].set_score(getattr(s.after, n) if s.after else None)
            self.after_given.setChecked(s.after is not None)
            self.stop_button.setChecked(s.stop_button)
            self.stop_minute.set_number(s.stop_minute)
            for e, box in self.effects.items():
                box.setChecked(e in s.adverse_events)
            self.adverse_notes.setText(s.adverse_notes)
            self.notes.setPlainText(s.notes)
            self.clinician.setText(s.clinician or self.clinician.text())
        self.position.set_current(s.position)
        self.harness.setChecked(s.harness)
        self.max_force_lb.set_decimal(s.max_force_lb)
        self.mode.set_current(s.mode)
        self.min_force_lb.set_decimal(s.min_force_lb)
        self.hold_s.set_number(s.hold_s)
        self.rest_s.set_number(s.rest_s)
        self.progressive_steps.set_number(s.progressive_steps)
        self.regressive_steps.set_number(s.regressive_steps)
        self.cycles.set_number(s.cycles)
        self.angle_deg.set_decimal(s.angle_deg)

    def _sync_enabled(self) -> None:
        for box in self.after.values():
            box.setEnabled(self.after_given.isChecked())
        self.stop_minute.setEnabled(self.stop_button.isChecked())

    def _show_flag(self) -> None:
        minutes = self.duration_min.value()
        flagged = minutes > 0 and duration_flagged(minutes)
        text = "⚑ " + "; ".join(session_flags(self._input())).capitalize() if flagged else ""
        self.duration_flag.setText(text)
        self.duration_flag.setToolTip("Allowed, and flagged in the session list" if flagged else "")
        self.duration_flag.setStyleSheet(f"color: {theme.tone_colours('warn')[1]}; font-weight: bold;")

    def _input(self) -> SessionInput:
        after = None
        if self.after_given.isChecked():
            after = Scores(*(self.after[n].score() for n in SCORES))
        return SessionInput(
            date=self.date.date().toPython(), start_time=self.start_time.time().toPython().replace(second=0),
            duration_min=self.duration_min.value(), position=self.position.current(),
            before=Scores(*(self.before[n].score() for n in SCORES)), after=after,
            harness=self.harness.isChecked(), max_force_lb=self.max_force_lb.decimal(),
            mode=self.mode.current(), min_force_lb=self.min_force_lb.decimal(),
            hold_s=self.hold_s.number(), rest_s=self.rest_s.number(),
            progressive_steps=self.progressive_steps.number(), regressive_steps=self.regressive_steps.number(),
            cycles=self.cycles.number(), angle_deg=self.angle_deg.decimal(),
            stop_button=self.stop_button.isChecked(),
            stop_minute=self.stop_minute.number() if self.stop_button.isChecked() else None,
            adverse_events=frozenset(e for e, box in self.effects.items() if box.isChecked()),
            adverse_notes=self.adverse_notes.text().strip(), notes=self.notes.toPlainText().strip(),
            clinician=self.clinician.text().strip(),
        )

    def check(self) -> tuple[SessionInput, dict[str, str]]:
        data = self._input()
        errors: dict[str, str] = {}
        for when, scores in (("before", data.before), ("after", data.after)):
            for n in SCORES:
                if scores is not None and getattr(scores, n) is None:
                    errors[f"{n}_{when}"] = "is required (type a digit 0 to 10)"
        try:
            validate_session(data, self.services.today())
        except ValidationError as e:
            errors = {**{k: v for k, v in e.errors.items() if k not in errors}, **errors}
        return data, errors

    def store(self, data: SessionInput) -> SavedSession:
        if self.existing is None:
            return self.services.sessions.record(self.course.id, data)
        return self.services.sessions.update(self.existing.id, data, expected_version=self.existing.version)

    def show_refusal(self, exc: BaseException) -> str:
        if isinstance(exc, NotCleared):  # the date decides which screening governs
            self.marks.show({"date": "not cleared on this date: " + "; ".join(exc.reasons)}, lead="Not saved.")
            self.date.setFocus()
            return str(exc)
        return super().show_refusal(exc)

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, runner: Runner, patient: PatientDetail,
            course: CourseView, existing: SessionView | None = None,
            starting_point: SessionInput | None = None) -> SavedSession | None:
        return cls.run(services, runner, patient, course, existing, starting_point, parent=parent)
