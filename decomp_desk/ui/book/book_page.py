"""The appointment book: a day or a week, a column per table. Double-click (or Enter) on a free slot books
it, drag (or Ctrl+arrow) moves an appointment, Delete cancels it, Ctrl+R records its session; a refusal
names the appointment it clashes with. "Book the course…" fills a course's remaining sessions and says
what it could not place; "Send reminders" e-mails the day's booked patients."""
from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from decomp_desk.bootstrap import Services
from decomp_desk.domain.appointments import AppointmentStatus
from decomp_desk.domain.op_changes import Changes
from decomp_desk.services.book_dto import AppointmentView, DayBook
from decomp_desk.ui.book.grid import BookGrid, Cell
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.forms import date_edit, to_qdate
from decomp_desk.ui.plain_text import rich_label
from decomp_desk.ui.workers import Runner


def page_action(widget: QWidget, text: str, shortcut: str | QKeySequence | None, slot) -> QAction:
    """An action whose shortcut works only while the focus is on this page (the patient page has its own)."""
    action = QAction(text, widget)
    if shortcut is not None:
        action.setShortcut(shortcut)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(slot)
    widget.addAction(action)
    return action


class BookPage(QWidget):
    status = Signal(str)
    changed = Signal()  # something was booked, moved or cancelled
    executed = Signal(object)  # what that changed (Changes): the window hands it to every screen, Today too

    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("book_page")
        self.services, self.runner = services, runner
        self.days: list[DayBook] = []
        self.heading = rich_label("")  # the day or week in bold: the program's own words
        self.heading.setObjectName("book_heading")
        self.date = date_edit(value=services.today())
        self.date.dateChanged.connect(lambda *_: self.reload())
        self.previous = QPushButton("◀")
        self.previous.setToolTip("The day (or week) before (Alt+Left is Back)")
        self.next = QPushButton("▶")
        self.next.setToolTip("The day (or week) after")
        self.today_button = QPushButton("&Today")
        self.day_view = QRadioButton("&Day")
        self.week_view = QRadioButton("&Week")
        self.day_view.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.day_view)
        group.addButton(self.week_view)
        self.day_view.toggled.connect(lambda *_: self.reload())
        self.book_course_button = QPushButton("Book the &course…")
        self.remind_button = QPushButton("Send &reminders")
        self.remind_button.setToolTip("E-mail each booked patient of the day (once per appointment)")
        self.grid = BookGrid()
        self.others = QLabel()
        self.others.setObjectName("book_others")
        self.others.setWordWrap(True)
        self.previous.clicked.connect(lambda: self._step(-1))
        self.next.clicked.connect(lambda: self._step(1))
        self.today_button.clicked.connect(lambda: self.date.setDate(to_qdate(self.services.today())))
        self.book_course_button.clicked.connect(self.book_course)
        self.remind_button.clicked.connect(self.send_reminders)
        self.grid.book_requested.connect(self.book_at)
        self.grid.move_requested.connect(self.move)
        self.grid.cancel_requested.connect(self.cancel)
        self.record_action = page_action(self, "&Record session of the appointment", "Ctrl+R", self.record_session)
        self.arrived_action = page_action(self, "Mark &arrived", "Ctrl+Shift+A",
                                          lambda: self.set_status(AppointmentStatus.ARRIVED))
        self.no_show_action = page_action(self, "Mark &no-show", "Ctrl+Shift+M",
                                          lambda: self.set_status(AppointmentStatus.NO_SHOW))

        bar = QHBoxLayout()
        for w in (self.previous, self.date, self.next, self.today_button, self.day_view, self.week_view):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.book_course_button, self.remind_button):
            bar.addWidget(w)
        help_line = QLabel("Double-click or Enter books a free slot · drag or Ctrl+arrows moves · Delete cancels · "
                           "Ctrl+R records the session · Ctrl+Shift+A arrived · Ctrl+Shift+M no-show")
        help_line.setObjectName("book_help")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(bar)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.others)
        layout.addWidget(help_line)

    # --- what is shown ---------------------------------------------------------------------------------
    @property
    def day(self) -> date:
        return self.date.date().toPython()

    @property
    def week(self) -> bool:
        return self.week_view.isChecked()

    def _step(self, direction: int) -> None:
        self.date.setDate(to_qdate(self.day + timedelta(days=7 * direction if self.week else direction)))

    def reload(self, select_id: int | None = None) -> None:
        book = self.services.appointments  # the job holds the service, never this widget (it runs on a worker)
        day, week = self.day, self.week
        if week:
            monday = day - timedelta(days=day.weekday())
            fetch = lambda: book.week(monday)
        else:
            fetch = lambda: [book.day(day, detail=True)]
        self._asked = getattr(self, "_asked", 0) + 1
        asked = self._asked  # only the newest request is shown: an older answer may arrive after it
        self.runner.submit(fetch, lambda days: asked == self._asked and self.show_days(days, select_id), parent=self)

    def show_days(self, days: list[DayBook], select_id: int | None = None) -> None:
        self.days = days
        self.grid.set_days(days)
        first, last = days[0].date, days[-1].date
        count = sum(1 for d in days for r in d.rows if r.appointment.status is not AppointmentStatus.CANCELLED)
        self.heading.setText(f"<b>{first:%A %B %d, %Y}</b>" if first == last else
                             f"<b>Week of {first:%B %d} to {last:%B %d, %Y}</b>")
        self.heading.setText(self.heading.text() + f" · {count} appointment{'s' * (count != 1)}")
        off = [r.appointment for d in days for r in d.rows
               if r.appointment.status in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW)]
        self.others.setText("Cancelled and no-show (not on the grid): " + "; ".join(
            f"{a.date:%a} {a.span} {a.patient_name} ({a.status.label.lower()})" for a in off) if off else "")
        if select_id is not None:
            self.grid.select_appointment(select_id)

    # --- acting ------------------------------------------------------------------------------------------
    def _tables(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for d in self.days for t in d.tables)) or ("Table 1",)

    def book_at(self, cell: Cell) -> None:
        from decomp_desk.ui.book.dialogs import BookAppointmentDialog

        booked = BookAppointmentDialog.ask(self, self.services, self.runner, cell.day, cell.at, cell.table,
                                           self._tables())
        if booked is not None:
            self.status.emit(f"Booked: {booked.describe()}.")
            self._changed(booked.id, booked.changes)

    def move(self, a: AppointmentView, cell: Cell) -> None:
        book = self.services.appointments  # the job holds the service, never this widget (it runs on a worker)

        def moved(v: AppointmentView) -> None:
            self.status.emit(f"Moved: {v.describe()}.")
            self._changed(v.id, v.changes)

        self.runner.submit(lambda: book.move(a.id, cell.day, cell.at, cell.table,
                                                                   expected_version=a.version),
                           moved, self._refused, write=True, parent=self)

    def cancel(self, a: AppointmentView) -> None:
        book = self.services.appointments  # the job holds the service, never this widget (it runs on a worker)
        if not messages.confirm(self, f"Cancel the appointment of {a.describe()}?", yes="Cancel appointment"):
            return
        self.runner.submit(lambda: book.cancel(a.id, a.version),
                           lambda v: (self.status.emit(f"Cancelled: {v.describe()}."), self._changed(None, v.changes)),
                           self._refused, write=True, parent=self)

    def set_status(self, status: AppointmentStatus) -> None:
        book = self.services.appointments  # the job holds the service, never this widget (it runs on a worker)
        a = self.grid.selected_appointment()
        if a is None:
            self.status.emit("Select an appointment first.")
            return
        self.runner.submit(lambda: book.set_status(a.id, status, a.version),
                           lambda v: (self.status.emit(f"{status.label}: {v.describe()}."),
                                      self._changed(v.id, v.changes)),
                           self._refused, write=True, parent=self)

    def record_session(self) -> None:
        a = self.grid.selected_appointment()
        if a is None:
            self.status.emit("Select an appointment first, then Ctrl+R records its session.")
            return
        record_from(self, self.services, self.runner, a, lambda changes: self._changed(a.id, changes))

    def book_course(self) -> None:
        from decomp_desk.ui.book.dialogs import BookCourseDialog

        selected = self.grid.selected_appointment()
        result = BookCourseDialog.ask(self, self.services, self.runner, self.day, self._tables(),
                                      selected.patient_id if selected else None)
        if result is None:
            return
        lines = result.not_placed_lines()
        text = f"Booked {result.count} appointment{'s' * (result.count != 1)}."
        if result.booked:
            text += f" From {result.booked[0].date.isoformat()} to {result.booked[-1].date.isoformat()}."
        if lines:
            text += "\n\nNot placed:\n" + "\n".join(lines)
        messages.show_info(self, text)
        self.status.emit(text.splitlines()[0])
        self._changed(result.booked[0].id if result.booked else None, result.changes)

    def send_reminders(self) -> None:
        reminders = self.services.reminders  # the job holds the service, never this widget
        day = self.day

        def done(run) -> None:
            lines = [o.describe() for o in run.outcomes] + [f"No e-mail address: chart {c}." for c in run.without_address]
            head = f"{run.sent} reminder{'s' * (run.sent != 1)} sent for {day.isoformat()}"
            head += f"; {run.already_reminded} already reminded" if run.already_reminded else ""
            head += f"; {len(run.failed)} failed" if run.failed else ""
            (messages.show_error if run.failed else messages.show_info)(self, head + ".\n\n" + "\n".join(lines))
            self.status.emit(head + ".")

        self.runner.submit(lambda: reminders.send(day), done, write=True, parent=self)

    def _changed(self, select_id: int | None, changes: Changes) -> None:
        self.reload(select_id)
        self.changed.emit()
        self.executed.emit(changes)

    def _refused(self, exc: BaseException) -> None:
        messages.show_error(self, messages.describe_error(exc))
        self.reload()


def record_from(parent: QWidget, services: Services, runner: Runner, a: AppointmentView, after) -> None:
    """Ctrl+R on an appointment: the session form from its date and time; saving marks it done, and
    `after` is given what that changed (the session, its course, the appointment)."""
    from decomp_desk.ui.book.dialogs import AppointmentSessionDialog

    if a.session_id is not None:
        messages.show_info(parent, "The session of this appointment is already recorded.")
        return

    def opened(patient) -> None:
        saved = AppointmentSessionDialog.ask(parent, services, runner, patient, a)
        if saved is not None:
            after(saved.changes)

    runner.submit(lambda: services.patients.get(a.patient_id), opened, parent=parent)
