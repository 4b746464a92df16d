"""Reports > Clinic outcomes…: the clinic's figures for the courses started in a period (lumbar, cervical,
all), the change in pain per course, and the published series beside them, with the plain warning that
the clinic's figures are an uncontrolled series. Print preview and Save as PDF give the same page as
`decomp-desk clinic-report --output`."""
from __future__ import annotations

from datetime import date

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from decomp_desk.bootstrap import Services
from decomp_desk.domain.clinic_outcomes import PUBLISHED_SERIES, REGION_KEYS, UNCONTROLLED_NOTE
from decomp_desk.reports.clinic_report_chart import pain_change_figure
from decomp_desk.reports.clinic_report_html import figure_rows
from decomp_desk.reports.page_data import ClinicReportPage
from decomp_desk.ui.banner import Banner
from decomp_desk.ui.forms import date_edit
from decomp_desk.ui.page_printer import PagePrinter, clinic_report_request
from decomp_desk.ui.plain_text import escape, rich_label
from decomp_desk.ui.workers import Runner


class ClinicReportWindow(QDialog):
    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.runner = services, runner
        self.page: ClinicReportPage | None = None
        self.setWindowTitle("Clinic outcomes")
        self.setObjectName("clinic_report_window")
        today = services.today()
        self.use_from, self.use_to = QCheckBox("&From"), QCheckBox("&To")
        self.start = date_edit(latest=today, value=date(today.year, 1, 1))
        self.end = date_edit(latest=today)
        self.start.setEnabled(False)
        self.end.setEnabled(False)
        self.use_from.toggled.connect(self.start.setEnabled)
        self.use_to.toggled.connect(self.end.setEnabled)
        self.show_button = QPushButton("&Show")
        self.show_button.setDefault(True)
        self.preview_button = QPushButton("Print pre&view…")
        self.pdf_button = QPushButton("Save as P&DF…")
        self.period = rich_label("")  # the clinic's name in bold; the name itself escaped
        self.warning = Banner(self, "warn", UNCONTROLLED_NOTE)
        self.warning.setObjectName("uncontrolled_warning")
        self.table = QTableWidget(len(figure_rows_template()), 1 + len(REGION_KEYS))
        self.table.setObjectName("clinic_figures")
        self.table.setHorizontalHeaderLabels(["Figure", *(k.capitalize() for k in REGION_KEYS)])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.canvas = FigureCanvasQTAgg(pain_change_figure_placeholder())
        self.canvas.setMinimumHeight(190)
        published = QGroupBox("Published series, for comparison")
        inner = QVBoxLayout(published)
        for citation, summary in PUBLISHED_SERIES:
            label = rich_label(f"<b>{escape(summary)}</b><br><span style='color:#555'>{escape(citation)}</span>")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            inner.addWidget(label)

        controls = QHBoxLayout()
        for w in (self.use_from, self.start, self.use_to, self.end, self.show_button):
            controls.addWidget(w)
        controls.addStretch(1)
        controls.addWidget(self.preview_button)
        controls.addWidget(self.pdf_button)
        body = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        right = QVBoxLayout()
        right.addWidget(self.canvas, 1)
        right.addWidget(published)
        body.addLayout(left, 5)
        body.addLayout(right, 6)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.period)
        layout.addWidget(self.warning)
        layout.addLayout(body, 1)
        self.show_button.clicked.connect(self.reload)
        self.preview_button.clicked.connect(self.preview)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.printer = PagePrinter(services, runner, self)
        self.printer.saved.connect(self._saved)
        self.resize(1280, 700)

    def chosen_period(self) -> tuple[date | None, date | None]:
        start = self.start.date().toPython() if self.use_from.isChecked() else None
        end = self.end.date().toPython() if self.use_to.isChecked() else None
        return start, end

    def reload(self) -> None:
        start, end = self.chosen_period()
        # audited (a whole-clinic reading): a write job, one writer at a time
        self.runner.submit(lambda: self.services.clinic_report.report(start, end), self.show_page, write=True,
                           parent=self)

    def show_page(self, page: ClinicReportPage) -> None:
        self.page = page
        self.period.setText(f"<b>{escape(page.clinic_name)}</b>: {page.period()}. Pain figures count courses with at "
                            f"least two sessions. {page.attendance_sentence()}")
        for r, (label, *values) in enumerate(figure_rows(page.report)):
            self.table.setItem(r, 0, QTableWidgetItem(label.strip()))
            for c, value in enumerate(values, start=1):
                item = QTableWidgetItem(value)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.canvas.figure = pain_change_figure(page.report, width=6.4, height=2.6)
        self.canvas.figure.set_canvas(self.canvas)
        # the new figure takes the canvas's size, as a resize would give it: no unpainted strip beside it
        ratio = self.canvas.device_pixel_ratio
        self.canvas.figure.set_size_inches(self.canvas.width() * ratio / self.canvas.figure.dpi,
                                           self.canvas.height() * ratio / self.canvas.figure.dpi, forward=False)
        self.canvas.draw_idle()

    def figures(self) -> dict[str, list[str]]:
        """The table as shown: label -> [lumbar, cervical, all] (for tests and a screen reader)."""
        out = {}
        for r in range(self.table.rowCount()):
            label = self.table.item(r, 0)
            if label is not None:
                out[label.text()] = [self.table.item(r, c).text() for c in range(1, self.table.columnCount())]
        return out

    def preview(self) -> None:
        if self.page is not None:
            self.printer.preview(clinic_report_request(self.page))

    def save_pdf(self) -> None:
        if self.page is not None:
            self.printer.save_pdf(clinic_report_request(self.page))

    def _saved(self, path) -> None:
        self.period.setText(self.period.text() + f" Saved as {path}.")


def figure_rows_template() -> list:
    from decomp_desk.reports.clinic_report_html import ROWS

    return list(ROWS)


def pain_change_figure_placeholder():
    from matplotlib.figure import Figure

    return Figure(figsize=(6.4, 2.6), layout="constrained", facecolor="white")
