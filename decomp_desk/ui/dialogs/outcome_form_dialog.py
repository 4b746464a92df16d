"""Record or correct an outcome form: the ten ODI/NDI sections by our own short names (the licensed
wording stays on the clinic's paper form), each 0-5 or blank, or the PSFS's 3 to 5 named activities
0-10. The score, its band, or "incomplete" show live as the answers are typed."""
from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGridLayout, QGroupBox, QLabel, QLineEdit, QWidget

from decomp_desk.bootstrap import Services
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.outcomes import (
    MAX_ACTIVITIES,
    MIN_ACTIVITIES,
    MIN_ANSWERED,
    SECTIONS,
    Activity,
    FormInput,
    Instrument,
    score_form,
    validate_form,
)
from decomp_desk.services.dto import CourseView, FormView, PatientDetail
from decomp_desk.ui.dialogs.saving import SavingDialog
from decomp_desk.ui.forms import OptionalIntSpin, chain_tab_order, date_edit, plain_text, to_qdate
from decomp_desk.ui.plain_text import escape, rich_label
from decomp_desk.ui.workers import Runner

LABELS = {"date": "Date", "answers": "Answers", "region": "Region", "notes": "Notes", "instrument": "Form",
          "patient": "Patient"}


class OutcomeFormDialog(SavingDialog):
    def __init__(self, services: Services, runner: Runner, patient: PatientDetail, course: CourseView,
                 instrument: Instrument, existing: FormView | None = None, activities: tuple[str, ...] = (),
                 session_date=None, parent: QWidget | None = None):
        super().__init__(services, runner, parent, save_text="Save form")
        self.patient, self.course, self.instrument, self.existing = patient, course, instrument, existing
        self.setWindowTitle(f"{'Edit' if existing else 'New'} {instrument.short} form: {patient.full_name}")
        heading = rich_label(f"<b>{escape(patient.last_name)}, {escape(patient.first_name)}</b> · chart "
                             f"{escape(patient.chart_number)} · {escape(instrument.label)} · "
                             f"{escape(course.describe())}")
        heading.setWordWrap(True)
        self.date = date_edit(latest=services.today(), value=session_date)
        self.notes = plain_text(2)
        self.answers: list[OptionalIntSpin] = []
        self.activity_names: list[QLineEdit] = []
        self.activity_scores: list[OptionalIntSpin] = []
        box = QGroupBox("Answers from the patient's form" if instrument.has_sections else "The patient's activities")
        grid = QGridLayout(box)
        if instrument.has_sections:
            for i, name in enumerate(SECTIONS[instrument]):
                spin = OptionalIntSpin(0, 5)
                spin.setObjectName(f"section_{i + 1}")
                spin.setAccessibleName(f"Section {i + 1}, {name}")
                spin.setToolTip("0 to 5 as ticked on the form; leave blank when the patient skipped it")
                self.answers.append(spin)
                row, col = i % 5, (i // 5) * 2
                grid.addWidget(QLabel(f"{i + 1}. {name}"), row, col)
                grid.addWidget(spin, row, col + 1)
            note = (f"Each section 0 (no difficulty) to 5 (the most); blank where the patient left it. With fewer "
                    f"than {MIN_ANSWERED} sections answered the form is kept but not scored.")
        else:
            grid.addWidget(QLabel("Activity the patient names"), 0, 0)
            grid.addWidget(QLabel("0 (unable) to 10 (as before)"), 0, 1)
            for i in range(MAX_ACTIVITIES):
                name, score = QLineEdit(), OptionalIntSpin(0, 10)
                name.setObjectName(f"activity_{i + 1}")
                score.setObjectName(f"activity_score_{i + 1}")
                name.setPlaceholderText("e.g. tie shoes" if i == 0 else "")
                self.activity_names.append(name)
                self.activity_scores.append(score)
                grid.addWidget(name, i + 1, 0)
                grid.addWidget(score, i + 1, 1)
            note = (f"{MIN_ACTIVITIES} to {MAX_ACTIVITIES} activities; the next PSFS offers the same ones again, so "
                    "the patient rates the same things each time.")
        self.score = QLabel()
        self.score.setObjectName("live_score")
        font = self.score.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.score.setFont(font)
        form = QFormLayout()
        form.addRow("&Date", self.date)
        form.addRow("&Notes", self.notes)
        self.arrange(heading, form, box, note, self.score, min_width_em=60)
        pairs = zip(self.activity_names, self.activity_scores, strict=True)
        chain_tab_order([self.date, *self.answers, *[w for pair in pairs for w in pair], self.notes])

        fields = {"date": self.date, "notes": self.notes, "answers": box}
        self.bind(fields, LABELS)
        for w in (*self.answers, *self.activity_names, *self.activity_scores):
            w.textChanged.connect(self._answers_changed) if isinstance(w, QLineEdit) else \
                w.valueChanged.connect(self._answers_changed)
        if existing is not None:
            self._load(existing.form)
        else:
            for name, text in zip(self.activity_names, activities, strict=False):
                name.setText(text)
        self._show_score()

    def _answers_changed(self, *_) -> None:
        self.touched.add("answers")
        self.recheck()
        self._show_score()

    def _load(self, form: FormInput) -> None:
        self.date.setDate(to_qdate(form.date))
        self.notes.setPlainText(form.notes)
        for spin, value in zip(self.answers, form.answers, strict=False):
            spin.set_number(value)
        for name, score, act in zip(self.activity_names, self.activity_scores, form.activities, strict=False):
            name.setText(act.name)
            score.set_number(act.score)

    def _input(self) -> FormInput:
        day = self.date.date().toPython()
        if self.instrument.has_sections:
            return FormInput(day, self.instrument, answers=tuple(s.number() for s in self.answers),
                             notes=self.notes.toPlainText().strip(), region=self.course.region)
        rows = zip(self.activity_names, self.activity_scores, strict=True)
        acts = tuple(Activity(n.text().strip(), s.number()) for n, s in rows
                     if n.text().strip() or s.number() is not None)
        return FormInput(day, self.instrument, activities=acts, region=self.course.region,
                         notes=self.notes.toPlainText().strip())

    def score_text(self) -> str:
        """'Score 40% (moderate)', 'Incomplete: 7 of 10 sections answered' or 'Mean 3.0 of 10'."""
        data = self._input()
        if self.instrument.has_sections:
            scored = score_form(data)
            if scored.score is None:
                return (f"Incomplete: {scored.answered} of 10 sections answered (at least {MIN_ANSWERED} are needed "
                        "for a score)")
            return f"Score {scored.score}% ({scored.band}), {scored.answered} of 10 sections answered"
        named = [a for a in data.activities if a.name and a.score is not None]
        if len(named) < MIN_ACTIVITIES:
            return f"Name and rate at least {MIN_ACTIVITIES} activities ({len(named)} so far)"
        return f"Mean {score_form(FormInput(data.date, data.instrument, activities=tuple(named))).score} of 10"

    def _show_score(self) -> None:
        self.score.setText(self.score_text())

    def check(self) -> tuple[FormInput, dict[str, str]]:
        data = self._input()
        errors: dict[str, str] = {}
        for i, act in enumerate(data.activities, start=1):
            if act.score is None:
                errors["answers"] = f"activity {i} ({act.name or 'unnamed'}) needs a score from 0 to 10"
                break
        try:
            validate_form(data if not errors else FormInput(data.date, data.instrument, region=data.region,
                                                            answers=data.answers,
                                                            activities=tuple(Activity(a.name, a.score or 0)
                                                                             for a in data.activities)),
                          self.services.today())
        except ValidationError as e:
            errors = {**e.errors, **errors}
        return data, errors

    def store(self, data: FormInput) -> FormView:
        if self.existing is None:
            return self.services.outcomes.record(self.patient.id, data)
        return self.services.outcomes.update(self.existing.id, data, expected_version=self.existing.version)

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, runner: Runner, patient: PatientDetail,
            course: CourseView, instrument: Instrument, existing: FormView | None = None,
            activities: tuple[str, ...] = (), session_date=None) -> FormView | None:
        return cls.run(services, runner, patient, course, instrument, existing, activities, session_date,
                       parent=parent)
