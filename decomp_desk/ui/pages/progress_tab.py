"""Progress: the course's chart of pain, numbness and tingling, with the figures of DOMAIN.md beside it
(sessions completed of planned; baseline, latest, change and improvement per score; whether the pain
improvement is meaningful) and the buttons that print the summary the patient takes home."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from decomp_desk.domain.progress import MEANINGFUL_PERCENT, MEANINGFUL_POINTS, Progress, compute_progress
from decomp_desk.domain.types import SCORE_NAMES
from decomp_desk.reports.page_kit import medium_date, percent, signed
from decomp_desk.services.dto import CourseView
from decomp_desk.ui.banner import Banner
from decomp_desk.ui.book.tracker_label import VisitTrackerLabel
from decomp_desk.ui.pages.overview_tab import action_button
from decomp_desk.ui.pages.patient_actions import PatientActions
from decomp_desk.ui.patient_file import PatientFile
from decomp_desk.ui.widgets.chart_canvas import ProgressChart
from decomp_desk.ui.widgets.course_box import CourseBox
from decomp_desk.ui.widgets.function_panel import FunctionPanel

DASH = "\u2013"
COLUMNS = ("Baseline", "Latest", "Change", "Improvement")


def _cell(text: str = "", align=Qt.AlignmentFlag.AlignRight) -> QLabel:
    label = QLabel(text)
    label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def score_rows(progress: Progress) -> dict[str, tuple[str, str, str, str]]:
    """Baseline, latest, change and improvement of each score, as the tab shows them."""
    if progress.baseline is None:
        return {name: (DASH, DASH, DASH, DASH) for name in SCORE_NAMES}
    return {
        name: (str(getattr(progress.baseline, name)), str(getattr(progress.latest, name)),
               signed(progress.change[name]), percent(progress.improvement_percent[name]))
        for name in SCORE_NAMES
    }


def meaningful_text(progress: Progress) -> str:
    rule = f"a fall of at least {MEANINGFUL_POINTS} points and {MEANINGFUL_PERCENT}%"
    if progress.sessions_completed < 2:
        return f"Meaningful pain improvement: not yet measurable ({rule})"
    return f"Meaningful pain improvement: {'yes' if progress.meaningful_pain_improvement else 'no'} ({rule})"


class ProgressFigures(QGroupBox):
    """The numbers beside the chart: one computation (domain.progress) with the summary and the CLI."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Figures", parent)
        self.sessions = _cell(align=Qt.AlignmentFlag.AlignLeft)
        self.sessions.setObjectName("sessions_completed")
        self.dates = _cell(align=Qt.AlignmentFlag.AlignLeft)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        for col, title in enumerate(COLUMNS, start=1):
            header = _cell(title)
            header.setProperty("heading", True)  # bold: resources/decomp-desk.qss
            grid.addWidget(header, 0, col)
        self.cells: dict[str, list[QLabel]] = {}
        for row, name in enumerate(SCORE_NAMES, start=1):
            grid.addWidget(_cell(name.capitalize(), Qt.AlignmentFlag.AlignLeft), row, 0)
            self.cells[name] = [_cell() for _ in COLUMNS]
            for col, label in enumerate(self.cells[name], start=1):
                grid.addWidget(label, row, col)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        self.meaningful = _cell(align=Qt.AlignmentFlag.AlignLeft)
        self.meaningful.setObjectName("meaningful_improvement")
        self.meaningful.setWordWrap(True)
        self.events = _cell(align=Qt.AlignmentFlag.AlignLeft)
        self.events.setWordWrap(True)
        self.sentence = Banner(self, "info")
        self.sentence.setObjectName("progress_sentence")
        note = QLabel("Scores are the patient's own, 0 to 10, asked before each session. Change is latest minus "
                      "baseline (below zero is better); improvement is the fall as a percent of the baseline.")
        note.setWordWrap(True)
        note.setObjectName("progress_note")  # in the text's own colour: the disabled grey was too light to read

        layout = QVBoxLayout(self)
        layout.addWidget(self.sessions)
        layout.addWidget(self.dates)
        layout.addSpacing(6)
        layout.addLayout(grid)
        layout.addWidget(rule)
        layout.addWidget(self.meaningful)
        layout.addWidget(self.events)
        layout.addSpacing(6)
        layout.addWidget(self.sentence)
        layout.addStretch(1)
        layout.addWidget(note)

    def show_progress(self, progress: Progress) -> None:
        self.sessions.setText(f"Sessions completed: {progress.sessions_completed} of {progress.sessions_planned}")
        if progress.first_session is None:
            self.dates.setText("No sessions recorded yet.")
        else:
            self.dates.setText(f"From {medium_date(progress.first_session)} to {medium_date(progress.latest_session)}")
        for name, values in score_rows(progress).items():
            for label, value in zip(self.cells[name], values):
                label.setText(value)
        self.meaningful.setText(meaningful_text(progress))
        self.events.setText(f"Stop-button sessions: {progress.stop_button_count} · "
                            f"adverse events: {progress.adverse_event_count}")
        self.sentence.show_text("ok" if progress.meaningful_pain_improvement else "info", progress.plain_sentence())


class ProgressTab(QWidget):
    course_changed = Signal()

    def __init__(self, actions: PatientActions, parent: QWidget | None = None):
        super().__init__(parent)
        self.file: PatientFile | None = None
        self._chart_due: Progress | None = None  # what the chart shows next time the tab is on show
        self.course_box = CourseBox(self)
        self.empty = Banner(self, "info", "No treatment course yet: the chart shows once a course has sessions.")
        self.empty.setObjectName("no_course")
        self.chart = ProgressChart(self)
        self.figures = ProgressFigures(self)
        # wide enough for the score table's four columns; the wrapped sentences below take what width is left
        self.figures.setMinimumWidth(self.figures.minimumSizeHint().width())
        self.figures.setMaximumWidth(max(self.figures.minimumSizeHint().width(),
                                         self.fontMetrics().horizontalAdvance("M") * 30))

        bar = QHBoxLayout()
        bar.addWidget(self.course_box.label)
        bar.addWidget(self.course_box, 1)
        for action in (actions.preview_summary, actions.print_summary, actions.save_summary_pdf):
            bar.addWidget(action_button(action))
        body = QHBoxLayout()
        body.addWidget(self.chart, 1)
        body.addWidget(self.figures)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        self.tracker = VisitTrackerLabel(self)  # the care plan's visit tracker (ui/book)
        layout.addWidget(self.tracker)
        layout.addWidget(self.empty)
        layout.addLayout(body, 1)
        self.function = FunctionPanel(self)  # the ODI/NDI session by session, its own 0-100 % axis
        layout.addWidget(self.function)
        self.course_box.currentIndexChanged.connect(self._show_course)

    def show_file(self, f: PatientFile) -> None:
        keep = self.course_box.kept_choice(self.file, f)
        self.file = f
        self.course_box.show_courses(f, keep)
        self._show_course()

    def selected_course(self) -> CourseView | None:
        return self.file.course(self.course_box.currentData()) if self.file else None

    def _show_course(self) -> None:
        course = self.selected_course()
        self.tracker.show_course(self.file, course)
        progress = self.file.progress(course.id) if course is not None else None
        self.empty.setVisible(progress is None)
        if progress is None:  # no course: the same empty chart and dashes as a course without sessions
            progress = compute_progress([], self.file.clinic.default_planned_sessions)
        self.figures.show_progress(progress)
        outcomes = self.file.outcomes.get(course.id) if course is not None else None
        fp = outcomes.function_progress() if outcomes is not None else None
        self.function.set_function(fp if fp is not None and fp.has_forms else None, progress.sessions_completed,
                                   self.figures.maximumWidth())
        self._chart_due = progress
        if self.isVisible():
            self._draw_chart()
        self.course_changed.emit()

    # The chart is drawn when the tab is on show: matplotlib takes a tenth of a second over a course of
    # thirty sessions on a small computer, which a patient opened on their Overview would wait for in vain.
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._draw_chart()

    def _draw_chart(self) -> None:
        if self._chart_due is not None:
            self.chart.set_progress(self._chart_due)
            self._chart_due = None
