"""The appointment book's place in the main window: the Today and Book pages in its stack, the
Book menu (Today Ctrl+T, the book Ctrl+Shift+T, the book's settings), and their toolbar buttons.
The window opens on Today. Kept here so main_window.py only calls it."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QToolBar

from decomp_desk.domain.op_changes import Changes
from decomp_desk.domain.types import Role
from decomp_desk.ui.book.book_page import BookPage
from decomp_desk.ui.book.today_page import TodayPage
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.pages.patient_actions import make_action

if TYPE_CHECKING:
    from decomp_desk.ui.main_window import MainWindow


class BookDesk:
    def __init__(self, window: MainWindow):
        self.window = window
        self.today = TodayPage(window.services, window.runner)
        self.book = BookPage(window.services, window.runner)
        for page in (self.today, self.book):
            window.stack.addWidget(page)
            page.status.connect(lambda text: window.statusBar().showMessage(text, 15000))
        self.today.open_requested.connect(window.open_patient)
        for page in (self.today, self.book):  # each reloads itself; the window tells the rest (and the other)
            page.executed.connect(lambda changes, page=page: window.op_executed(changes, page))
        self.today_action = make_action(window, "&Today", "Ctrl+T", tip="Today's appointments, table by table")
        self.book_action = make_action(window, "Appointment &book", "Ctrl+Shift+T",
                                       tip="The day and the week, a column per table")
        self.settings_action = make_action(window, "Appointment &settings…",
                                           tip="Tables, opening hours, appointment length and the reminders' e-mail")
        self.today_action.triggered.connect(lambda: self.show_today())  # not show_today(checked=False): no reload
        self.book_action.triggered.connect(self.show_book)
        self.settings_action.triggered.connect(self.edit_settings)
        menu = window.menuBar().addMenu("Boo&k")  # the appointment book; Alt+K is free on every screen
        for action in (self.today_action, self.book_action, None, self.settings_action):
            menu.addSeparator() if action is None else menu.addAction(action)
        tools = window.findChild(QToolBar, "main_toolbar")
        if tools is not None:
            first = tools.actions()[0] if tools.actions() else None
            tools.insertActions(first, [self.today_action, self.book_action])

    def start(self) -> None:
        """As the window starts: loaded now if someone is signed in, else by follow_actor after the sign-in.
        In the writes' line, first of the start's reads (MainWindow.start says why)."""
        if self.window.services.actor.roles:
            self.today.reload(behind_writes=True)

    def follow_actor(self) -> None:
        """After a sign-in (or a change of roles): what they may do. Today is read by start(), which every
        sign-in goes on to call (reading it here too read it twice at every start)."""
        actor = self.window.services.actor
        self.settings_action.setEnabled(actor.has(Role.ADMINISTRATOR))

    def reload(self) -> None:
        self.today.reload()
        if self.window.stack.currentWidget() is self.book:
            self.book.reload()

    def op_executed(self, changes: Changes, handler: object = None) -> None:
        """After a save: Today and the book when it touched appointments, a session (one recorded at an
        appointment marks it done) or a patient's name on them. The page that saved (`handler`) has
        reloaded itself; the book is read while hidden only after a save on Today, as before."""
        if not changes.today:
            return
        if handler is not self.today:
            self.today.reload()
        if handler is self.today or (handler is not self.book and self.window.stack.currentWidget() is self.book):
            self.book.reload()

    def _leave_patient(self) -> None:
        page = self.window._patient_page
        if page is not None:
            page.set_active(False)
        self.window.back_action.setEnabled(False)

    def show_today(self, reload: bool = True) -> None:
        """`reload=False` as the window is built: nobody is signed in yet; start() loads it."""
        self._leave_patient()
        self.window.stack.setCurrentWidget(self.today)
        if reload:
            self.today.reload()
        self.today.table.setFocus()

    def show_book(self) -> None:
        self._leave_patient()
        self.window.stack.setCurrentWidget(self.book)
        self.book.reload()
        self.book.grid.setFocus()

    def edit_settings(self) -> None:
        from decomp_desk.ui.book.settings_dialog import BookSettingsDialog

        actor = self.window.services.actor
        if not actor.has(Role.ADMINISTRATOR):
            messages.show_error(self.window, f"Only an administrator may change the appointment settings; "
                                             f"{actor.display_name} is not one.")
            return
        saved = BookSettingsDialog.ask(self.window, self.window.services, self.window.runner)
        if saved is not None:
            self.window.op_executed(saved.changes)  # the tables and hours: Today and the book
