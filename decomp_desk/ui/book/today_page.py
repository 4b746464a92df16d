"""Today: the page the desk opens on. Each table's appointments of the day, with who has arrived, whose
session is recorded, who is behind their plan, whose outcome form is due and the balance due; Ctrl+R
records the selected appointment's session, Ctrl+Shift+A marks an arrival, and the day sheet prints."""
from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from decomp_desk.bootstrap import Services
from decomp_desk.domain.appointments import AppointmentStatus
from decomp_desk.domain.money import fmt_dollars
from decomp_desk.domain.op_changes import Changes
from decomp_desk.services.book_dto import DayBook, TodayRow
from decomp_desk.ui.book.book_page import page_action, record_from
from decomp_desk.ui.forms import date_edit, to_qdate
from decomp_desk.ui.plain_text import escape, rich_label
from decomp_desk.ui.workers import Runner

if TYPE_CHECKING:
    from decomp_desk.ui.page_printer import PagePrinter

HEADERS = ("Table", "Time", "Patient", "Chart", "Status", "Arrived", "Session", "Plan", "Outcome form", "Balance due")


def row_texts(r: TodayRow) -> tuple[str, ...]:
    a = r.appointment
    arrived = "yes" if a.status in (AppointmentStatus.ARRIVED, AppointmentStatus.DONE) else ""
    plan = (f"{r.behind} behind" if r.behind else "on plan") if r.tracker else ""
    return (a.table, a.span, a.patient_name, a.chart_number, a.status.label, arrived,
            "recorded" if r.session_recorded else "", plan, "due" if r.outcome_form_due else "",
            fmt_dollars(r.balance_due) if r.balance_due else "")


class TodayPage(QWidget):
    status = Signal(str)
    open_requested = Signal(int)  # a patient's page
    changed = Signal()
    executed = Signal(object)  # what a save from Today changed (Changes): the window hands it to every screen

    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("today_page")
        self.services, self.runner = services, runner
        self.book: DayBook | None = None
        self.heading = rich_label("")  # the day in bold: the program's own words
        self.heading.setObjectName("today_heading")
        self.date = date_edit(value=services.today())
        self.date.dateChanged.connect(lambda *_: self.reload())
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("today_table")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        width = self.fontMetrics().horizontalAdvance("M")
        for column, ems in enumerate((7, 11, 20, 6, 8, 7, 8, 9, 11)):  # the last (balance) takes what is left
            self.table.setColumnWidth(column, width * ems)
        self.table.doubleClicked.connect(self._open_patient)
        self.arrived_button = QPushButton("Arrived (Ctrl+Shift+A)")  # Alt+A is taken elsewhere on the desk
        self.record_button = QPushButton("&Record session (Ctrl+R)")
        self.no_show_button = QPushButton("&No-show")
        self.print_button = QPushButton("Save &day sheet as PDF…")
        self.counts = QLabel()
        self.counts.setObjectName("today_counts")
        self.arrived_button.clicked.connect(lambda: self.set_status(AppointmentStatus.ARRIVED))
        self.no_show_button.clicked.connect(lambda: self.set_status(AppointmentStatus.NO_SHOW))
        self.record_button.clicked.connect(self.record_session)
        self.print_button.clicked.connect(self.save_day_sheet)
        self._printer: PagePrinter | None = None  # made at the first day sheet: the start never prints
        self.record_action = page_action(self, "Record session", "Ctrl+R", self.record_session)
        self.arrived_action = page_action(self, "Arrived", "Ctrl+Shift+A",
                                          lambda: self.set_status(AppointmentStatus.ARRIVED))
        previous, following = QPushButton("◀"), QPushButton("▶")
        previous.clicked.connect(lambda: self.date.setDate(to_qdate(self.day - timedelta(days=1))))
        following.clicked.connect(lambda: self.date.setDate(to_qdate(self.day + timedelta(days=1))))
        bar = QHBoxLayout()
        for w in (previous, self.date, following):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.arrived_button, self.no_show_button, self.record_button, self.print_button):
            bar.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.counts)

    @property
    def day(self) -> date:
        return self.date.date().toPython()

    def reload(self, select_id: int | None = None, *, behind_writes: bool = False) -> None:
        """`behind_writes`: in the writes' line (Runner.submit), as the desk's start reads (MainWindow.start)."""
        book = self.services.appointments  # the job holds the service, never this widget (it runs on a worker)
        day = self.day
        self._asked = getattr(self, "_asked", 0) + 1
        asked = self._asked  # only the newest request is shown: an older answer may arrive after it
        self.runner.submit(lambda: book.day(day, detail=True),
                           lambda book: asked == self._asked and self.show_book(book, select_id), parent=self,
                           behind_writes=behind_writes)

    def show_book(self, book: DayBook, select_id: int | None = None) -> None:
        self.book = book
        order = {t: i for i, t in enumerate(book.tables)}
        rows = sorted(book.rows, key=lambda r: (order.get(r.appointment.table, 99), r.appointment.start_time))
        self.rows = rows
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for c, text in enumerate(row_texts(r)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, r.appointment.id)
                if c == 7 and r.behind:
                    item.setForeground(Qt.GlobalColor.darkRed)
                if c == len(HEADERS) - 1:  # money lines up on the right
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, c, item)
            if select_id == r.appointment.id:
                self.table.selectRow(i)
        hours = f"open {book.hours.text}" if book.hours else "closed"
        self.heading.setText(f"<b>{'Today, ' if book.date == self.services.today() else ''}"
                             f"{book.date:%A %B %d, %Y}</b> · {hours} · {len(rows)} appointments on "
                             f"{escape(', '.join(book.tables))}")
        live = [r for r in rows if r.appointment.status not in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW)]
        self.counts.setText(f"{sum(r.appointment.status in (AppointmentStatus.ARRIVED, AppointmentStatus.DONE) for r in live)}"
                            f" arrived · {sum(r.session_recorded for r in live)} sessions recorded · "
                            f"{sum(1 for r in live if r.behind)} behind plan · "
                            f"{sum(r.outcome_form_due for r in live)} outcome forms due")
        if select_id is None and rows and self.table.currentRow() < 0:
            self.table.selectRow(0)

    def selected(self) -> TodayRow | None:
        i = self.table.currentRow()
        return self.rows[i] if self.book is not None and 0 <= i < len(self.rows) else None

    def set_status(self, status: AppointmentStatus) -> None:
        book = self.services.appointments  # the job holds the service, never this widget (it runs on a worker)
        r = self.selected()
        if r is None:
            return
        a = r.appointment
        self.runner.submit(lambda: book.set_status(a.id, status, a.version),
                           lambda v: (self.status.emit(f"{status.label}: {v.describe()}."),
                                      self._changed(v.id, v.changes)),
                           write=True, parent=self)

    def record_session(self) -> None:
        r = self.selected()
        if r is None:
            self.status.emit("Select an appointment first, then Ctrl+R records its session.")
            return
        record_from(self, self.services, self.runner, r.appointment,
                    lambda changes: self._changed(r.appointment.id, changes))

    def _changed(self, select_id: int | None, changes: Changes) -> None:
        self.reload(select_id)
        self.changed.emit()
        self.executed.emit(changes)

    def _open_patient(self, *_args) -> None:
        r = self.selected()
        if r is not None:
            self.open_requested.emit(r.appointment.patient_id)

    @property
    def printer(self) -> PagePrinter:
        if self._printer is None:
            from decomp_desk.ui.page_printer import PagePrinter

            self._printer = PagePrinter(self.services, self.runner, self)
            self._printer.done.connect(self.status)
        return self._printer

    def save_day_sheet(self) -> None:
        from decomp_desk.ui.page_printer import day_sheet_request

        self.printer.save_pdf(day_sheet_request(self.services, self.day))

    def write_day_sheet(self, path: str) -> None:
        from decomp_desk.ui.page_printer import day_sheet_request

        self.printer.save_pdf(day_sheet_request(self.services, self.day), path)



