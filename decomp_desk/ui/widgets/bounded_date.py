"""A date box that shows which days it takes and says why it refused one.

QDateEdit keeps to its minimum and maximum without a word: a typed day outside them is dropped, and
its calendar shows those days like any other, while clicking one does nothing. Here the days outside
are greyed and struck through in the calendar, the tooltip names the range, and a typed day outside it
is explained (`refused` carries the sentence, for the form's field marks)."""
from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent, QTextCharFormat
from PySide6.QtWidgets import QDateEdit, QWidget

DATE_FORMAT = "yyyy-MM-dd"


def long_day(d: date) -> str:
    return f"{d:%b} {d.day}, {d.year}"


class BoundedDateEdit(QDateEdit):
    refused = Signal(str)

    def __init__(self, low: date, high: date, why_low: str, value: date | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.low, self.high = min(low, high), high
        self.setCalendarPopup(True)
        self.setDisplayFormat(DATE_FORMAT)
        self.setDateRange(_q(self.low), _q(self.high))
        self.setDate(_q(value or high))
        self.range_text = (f"Only days from {long_day(self.low)} ({why_low}) to today, {long_day(self.high)}, "
                           "can be chosen.")
        self.setToolTip(self.range_text)
        calendar = self.calendarWidget()
        calendar.currentPageChanged.connect(self._grey_outside)
        self._grey_outside(calendar.yearShown(), calendar.monthShown())

    def _grey_outside(self, year: int, month: int) -> None:
        """Days outside the range, on the page shown and the days of the months beside it, greyed and
        struck through: they cannot be chosen, and now they look it."""
        calendar = self.calendarWidget()
        outside = QTextCharFormat()
        outside.setForeground(QColor("#9a9a9a"))
        outside.setFontStrikeOut(True)
        first = date(year, month, 1) - timedelta(days=14)
        for i in range(31 + 28):
            d = first + timedelta(days=i)
            calendar.setDateTextFormat(_q(d), outside if not self.low <= d <= self.high else QTextCharFormat())

    def explanation(self) -> str:
        """The typed digits themselves may spell any day by then, so the sentence names the range only."""
        return f"That day cannot be chosen. {self.range_text}"

    def keyPressEvent(self, event: QKeyEvent) -> None:
        before = self.lineEdit().text()
        super().keyPressEvent(event)
        if event.text().isdigit() and self.lineEdit().text() == before:
            self.refused.emit(self.explanation())  # the box dropped the digit: say why

    def focusOutEvent(self, event: QFocusEvent) -> None:
        typed = self._typed()
        if typed is not None and not self.low <= typed <= self.high:
            self.refused.emit(self.explanation())
        super().focusOutEvent(event)

    def _typed(self) -> date | None:
        """The day the text spells, in or out of range (None while it spells none)."""
        q = QDate.fromString(self.lineEdit().text(), DATE_FORMAT)
        return date(q.year(), q.month(), q.day()) if q.isValid() else None


def _q(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)
