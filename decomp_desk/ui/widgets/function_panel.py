"""The function panel under the symptom chart on the Progress tab: the course's ODI or NDI (0-100 %)
session by session (reports/function_chart.py, the drawing the printed summary embeds) beside its
baseline, latest, change, band and whether it is meaningful, in words."""
from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QWidget

from decomp_desk.domain.outcomes import FunctionProgress
from decomp_desk.reports.function_chart import draw_function, plotted_function
from decomp_desk.ui.plain_text import rich_label


class FunctionPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.figure = Figure(figsize=(7.5, 1.9), layout="constrained", facecolor="white")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.canvas.setMinimumSize(420, 150)
        self.canvas.setMaximumHeight(210)
        self.canvas.setAccessibleName("Function chart")
        self.text = rich_label("")  # the program's own words in bold and lines: none of it is typed
        self.text.setObjectName("function_figures")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.text)
        self.fp: FunctionProgress | None = None
        self._due: tuple[FunctionProgress, int] | None = None

    def set_function(self, fp: FunctionProgress | None, sessions: int, text_width: int) -> None:
        self.fp = fp
        self.text.setFixedWidth(text_width)
        if fp is None:
            self.hide()
            return
        self.show()
        self.text.setText(function_text(fp))
        # drawn when on show, as the symptom chart is: a patient opened on another tab does not wait for it
        self._due = (fp, sessions)
        if self.isVisible():
            self._draw()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._draw()

    def _draw(self) -> None:
        if self._due is not None:
            draw_function(self.figure, *self._due)
            self.canvas.draw_idle()
            self._due = None

    def series(self) -> list[tuple[int, float]]:
        return plotted_function(self.figure)


def function_text(fp: FunctionProgress) -> str:
    s = fp.summary
    lines = [f"<b>Function: {fp.instrument.label}</b>"]
    if s.baseline is None:
        lines.append("No scored form yet.")
    else:
        lines.append(f"Baseline {s.baseline.score}% ({s.baseline.band}) on {s.baseline.date.isoformat()}")
        lines.append(f"Latest {s.latest.score}% ({s.latest.band}) on {s.latest.date.isoformat()}")
        if s.change is not None:
            lines.append(f"Change {s.change:+d} points · meaningful: {'yes' if s.meaningful else 'no'}")
    if fp.psfs is not None and fp.psfs.latest is not None:
        p = fp.psfs
        lines.append(f"PSFS {p.baseline.score} → {p.latest.score} of 10 · meaningful: {'yes' if p.meaningful else 'no'}"
                     if p.change is not None else f"PSFS first score {p.baseline.score} of 10")
    if fp.missing:
        lines.append(f"Missing at session{'s' if len(fp.missing) > 1 else ''} {', '.join(map(str, fp.missing))}")
    lines.append(s.plain_sentence())
    return "<br>".join(lines)
