"""The book's grid: a column per table (per day and table in the week view), a row per quarter hour,
each appointment a block spanning its minutes. Double-click or Enter on a free cell books it; drag an
appointment (or Ctrl+arrow keys) to move it; Delete cancels it. The grid only says what the user asked
for (signals); the page asks the services and reloads."""
from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from decomp_desk.domain.appointments import AppointmentStatus, clock
from decomp_desk.domain.records import record
from decomp_desk.services.book_dto import AppointmentView, DayBook

STEP = 15  # minutes a row stands for
FIRST, LAST = 8 * 60, 19 * 60  # shown when every day of the view is closed
COLOURS = {AppointmentStatus.BOOKED: "#dbe9f6", AppointmentStatus.ARRIVED: "#fde9b8",
           AppointmentStatus.DONE: "#d5ecd4"}
CLOSED = "#ececec"


@record
class Cell:
    day: date
    at: time
    table: str


class BookGrid(QTableWidget):
    book_requested = Signal(object)  # Cell
    move_requested = Signal(object, object)  # AppointmentView, Cell
    cancel_requested = Signal(object)  # AppointmentView

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("book_grid")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setWordWrap(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 3)
        self.columns: list[tuple[date, str]] = []
        self.first = FIRST
        self.days: list[DayBook] = []
        self._covering: dict[tuple[int, int], AppointmentView] = {}
        self._origin: dict[int, tuple[int, int]] = {}
        self._drag_from: AppointmentView | None = None
        self._press_cell: tuple[int, int] | None = None

    # --- filling ------------------------------------------------------------------------------------
    def set_days(self, days: list[DayBook]) -> None:
        """Show these days: one column per table, per day when there are several."""
        keep = self.current_cell()
        self.days = days
        self.clearSpans()
        self.clear()
        week = len(days) > 1
        shown = [d for d in days if d.hours is not None or d.rows] if week else days
        tables = list(dict.fromkeys(t for d in shown for t in d.tables))
        self.columns = [(d.date, t) for d in shown for t in tables]
        opens = [d.hours.opens.hour * 60 + d.hours.opens.minute for d in shown if d.hours]
        closes = [d.hours.closes.hour * 60 + d.hours.closes.minute for d in shown if d.hours]
        starts = [r.appointment.start_time.hour * 60 + r.appointment.start_time.minute for d in shown for r in d.rows]
        ends = [r.appointment.end_minute for d in shown for r in d.rows]
        self.first = (min(opens + starts, default=FIRST) // STEP) * STEP
        last = max(closes + ends, default=LAST)
        self.setColumnCount(len(self.columns))
        self.setRowCount(max(1, -(-(last - self.first) // STEP)))
        self.setHorizontalHeaderLabels([f"{d:%a %m-%d}\n{t}" if week else t for d, t in self.columns])
        self.setVerticalHeaderLabels([clock(self.first + r * STEP) if (self.first + r * STEP) % 30 == 0 else ""
                                      for r in range(self.rowCount())])
        by_day = {d.date: d for d in shown}
        for c, (day, _) in enumerate(self.columns):
            hours = by_day[day].hours
            for r in range(self.rowCount()):
                minute = self.first + r * STEP
                item = QTableWidgetItem()
                open_ = hours is not None and (hours.opens.hour * 60 + hours.opens.minute) <= minute < (
                    hours.closes.hour * 60 + hours.closes.minute)
                if not open_:
                    item.setBackground(QBrush(QColor(CLOSED)))
                    item.setToolTip("Closed")
                self.setItem(r, c, item)
        self._covering, self._origin = {}, {}
        for d in shown:
            for row in d.rows:
                a = row.appointment
                if a.status not in COLOURS or (a.date, a.table) not in self.columns:
                    continue  # cancelled and no-show appointments hold no slot: listed under the grid
                self._place(a, row.session_recorded, row.behind)
        if keep is not None:
            self.setCurrentCell(*keep)

    def _place(self, a: AppointmentView, recorded: bool, behind: int) -> None:
        c = self.columns.index((a.date, a.table))
        start = a.start_time.hour * 60 + a.start_time.minute
        r = (start - self.first) // STEP
        span = max(1, -(-(a.end_minute - self.first) // STEP) - r)
        if r < 0 or any((r + i, c) in self._covering for i in range(span)):
            return
        item = QTableWidgetItem(f"{a.span} {a.patient_name} ({a.chart_number})"
                                + (f" · {a.status.label.lower()}" if a.status is not AppointmentStatus.BOOKED else "")
                                + (" · recorded" if recorded and a.status is not AppointmentStatus.DONE else "")
                                + (f" · {behind} behind" if behind else ""))
        item.setBackground(QBrush(QColor(COLOURS[a.status])))
        item.setToolTip(a.describe())
        item.setData(Qt.ItemDataRole.UserRole, a)
        item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setItem(r, c, item)
        if span > 1:
            self.setSpan(r, c, span, 1)
        for i in range(span):
            self._covering[(r + i, c)] = a
        self._origin[a.id] = (r, c)

    # --- reading --------------------------------------------------------------------------------------
    def current_cell(self) -> tuple[int, int] | None:
        r, c = self.currentRow(), self.currentColumn()
        return (r, c) if r >= 0 and c >= 0 else None

    def cell(self, r: int, c: int) -> Cell:
        minute = self.first + r * STEP
        day, table = self.columns[c]
        return Cell(day, time(minute // 60, minute % 60), table)

    def appointment_at(self, r: int, c: int) -> AppointmentView | None:
        return self._covering.get((r, c))

    def selected_appointment(self) -> AppointmentView | None:
        here = self.current_cell()
        return self.appointment_at(*here) if here else None

    def position_of(self, appointment_id: int) -> tuple[int, int] | None:
        return self._origin.get(appointment_id)

    def select_appointment(self, appointment_id: int) -> None:
        where = self.position_of(appointment_id)
        if where:
            self.setCurrentCell(*where)

    def point_of(self, r: int, c: int) -> QPoint:
        """The middle of a cell, in the viewport (where a test or a user aims the mouse)."""
        return self.visualRect(self.model().index(r, c)).center()

    # --- the user's gestures ---------------------------------------------------------------------------
    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        if index.isValid() and self.appointment_at(index.row(), index.column()) is None:
            self.book_requested.emit(self.cell(index.row(), index.column()))
            return
        super().mouseDoubleClickEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        self._drag_from, self._press_cell = None, None
        if index.isValid() and event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = self.appointment_at(index.row(), index.column())
            self._press_cell = (index.row(), index.column())
            if self._drag_from is not None:
                self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None:
            index = self.indexAt(event.position().toPoint())
            if index.isValid():
                self.setCurrentCell(index.row(), index.column())  # where it would land
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        dragged, pressed = self._drag_from, self._press_cell
        self._drag_from, self._press_cell = None, None
        self.viewport().unsetCursor()
        index = self.indexAt(event.position().toPoint())
        if dragged is not None and index.isValid() and pressed is not None:
            origin = self.position_of(dragged.id)
            offset = pressed[0] - origin[0] if origin else 0  # grabbed by its middle: keep the grip
            target = (index.row() - offset, index.column())
            if target != origin and 0 <= target[0] < self.rowCount():
                self.move_requested.emit(dragged, self.cell(*target))
                return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        here = self.current_cell()
        a = self.selected_appointment()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and a is not None:
            self.cancel_requested.emit(a)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and here is not None and a is None:
            self.book_requested.emit(self.cell(*here))
            return
        moves = {Qt.Key.Key_Up: (-1, 0), Qt.Key.Key_Down: (1, 0), Qt.Key.Key_Left: (0, -1), Qt.Key.Key_Right: (0, 1)}
        if mods & Qt.KeyboardModifier.ControlModifier and key in moves and a is not None:
            r, c = self.position_of(a.id)
            dr, dc = moves[key]
            target = (r + dr, c + dc)
            if 0 <= target[0] < self.rowCount() and 0 <= target[1] < self.columnCount():
                self.move_requested.emit(a, self.cell(*target))
            return
        super().keyPressEvent(event)
