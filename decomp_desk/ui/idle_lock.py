"""The automatic lock: after the idle time in the settings (10 minutes unless changed) with no key
pressed and no mouse moved, or at once with File > Lock now, every window of the desk is covered and
the signed-in user's password is asked for.

A cover is an opaque child laid over each window (the main window and any open dialog), so nothing of a
patient shows, and a dialog half filled in keeps running its exec() loop and its typed text underneath:
hiding a dialog would end its loop and lose what was typed. The password is asked for in an
application-modal panel, shown without an exec() loop of its own, above whatever modal dialog was open."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from decomp_desk.bootstrap import Services
from decomp_desk.domain.errors import AuthenticationFailed
from decomp_desk.services.accounts import WRONG_CREDENTIALS
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.dialogs.sign_in_dialogs import describe_refusal, password_field
from decomp_desk.ui.workers import Runner

DEFAULT_MINUTES = 10
WATCH_AFTER_MS = 2000  # after the sign-in, activity is watched from then on (IdleWatcher)
# The desk's windows and dialogs, whatever their class (not menus, drop-down lists or tooltips: closed first).
WINDOW_TYPES = frozenset({Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Tool, Qt.WindowType.Sheet})
ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                      QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress})


def lock_refusal(exc: BaseException) -> str:
    """The lock asks only for the password: a wrong one is called that, not "user name or password"."""
    if str(exc) == WRONG_CREDENTIALS:
        return ("The password is wrong. (Five wrong passwords in a row lock the account for 15 minutes.)")
    return describe_refusal(exc)


class IdleWatcher(QObject):
    """Emits `idle` once the application has seen no keyboard or mouse activity for `minutes`.

    Activity is seen by an application-wide event filter, put in place by `watch()` two seconds after
    the first `start()` (the sign-in). Not at once: a Python filter on the application is handed Qt's
    private objects too, and the first of them makes PySide build a type for every Qt class it has not
    needed yet (about 40 ms; ui/plain_text.py says more), which would delay the desk's first screen.
    Later it is done while the user reads that screen; the lock itself is minutes away."""

    idle = Signal()

    def __init__(self, minutes: int = DEFAULT_MINUTES, parent: QObject | None = None):
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        self.watching = False

    def watch(self) -> None:
        """See the application's keyboard and mouse from now on (once; later calls do nothing)."""
        if not self.watching:
            QApplication.instance().installEventFilter(self)
            self.watching = True

    def set_minutes(self, minutes: int) -> None:
        self.set_interval_ms(max(1, int(minutes)) * 60_000)

    def set_interval_ms(self, ms: int) -> None:
        self.timer.setInterval(ms)
        if self.timer.isActive():
            self.timer.start()

    def start(self) -> None:
        self.timer.start()
        if not self.watching:
            QTimer.singleShot(WATCH_AFTER_MS, self, self.watch)

    def stop(self) -> None:
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Every event of the application passes here: one set lookup, then on its way.
        if event.type() in ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False


class Cover(QWidget):
    """An opaque sheet over a whole window (menus, toolbar and status bar included), following its size."""

    def __init__(self, window: QWidget, text: str):
        super().__init__(window)
        self.setObjectName("lock_cover")
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_NoMousePropagation)
        self.label = QLabel(text)
        # At the top: the password panel stands in the middle of the main window.
        self.label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.label.setWordWrap(True)
        font = self.label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.label.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 48, 24, 24)
        layout.addWidget(self.label)
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        elif event.type() == QEvent.Type.ChildAdded:  # a widget added later must not show above the cover
            QTimer.singleShot(0, lambda: isValid(self) and self.raise_())
        return False


class LockPanel(QDialog):
    """The password of the signed-in user; Unlock, or sign in as someone else. Not to be closed."""

    unlock_requested = Signal(str)
    switch_requested = Signal()

    def __init__(self, who: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(messages.LOCK_PANEL)
        self.setWindowTitle("DecompDesk is locked")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        title = QLabel("DecompDesk is locked")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.who = QLabel()
        self.who.setWordWrap(True)
        self.password = password_field("your password")
        self.password.setAccessibleName("Password")
        self.message = QLabel()
        self.message.setObjectName("lock_message")
        self.message.setWordWrap(True)
        self.message.setProperty("heading", True)  # bold: resources/decomp-desk.qss
        self.message.hide()
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setDefault(True)
        self.switch_button = QPushButton("Sign in as &someone else…")
        self.switch_button.setAutoDefault(False)
        self.switch_button.setToolTip("Sign this user out (anything typed but not saved is discarded) and sign in "
                                      "with another account")
        buttons = QHBoxLayout()
        buttons.addWidget(self.switch_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.who)
        layout.addWidget(self.password)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.setSpacing(10)
        layout.setContentsMargins(20, 16, 20, 16)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("m") * 46)
        self.set_user(who)
        self.unlock_button.clicked.connect(lambda: self.unlock_requested.emit(self.password.text()))
        self.switch_button.clicked.connect(self.switch_requested)
        self.busy = False

    def set_user(self, who: str) -> None:
        self.who.setText(f"{who} is signed in. Enter your password to go on: what you were doing is kept "
                         "as it was.")
        self.adjustSize()

    def set_busy(self, on: bool) -> None:
        self.busy = on
        for w in (self.password, self.unlock_button, self.switch_button):
            w.setEnabled(not on)
        if not on:
            self.password.setFocus()

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.adjustSize()  # the wrapped sentence gets the lines it needs

    def reject(self) -> None:
        """Esc does not unlock."""

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()


class DeskLock(QObject):
    """Locks and unlocks every window of the desk for the signed-in user. `switch_user` is called when
    the user chooses to sign in as someone else instead."""

    locked_changed = Signal(bool)

    def __init__(self, window: QMainWindow, services: Services, runner: Runner,
                 switch_user: Callable[[], None]):
        super().__init__(window)
        self.window, self.services, self.runner = window, services, runner
        self.switch_user = switch_user
        self.covers: list[Cover] = []
        self.panel: LockPanel | None = None
        self._focus: QWidget | None = None
        self._active: QWidget | None = None

    @property
    def locked(self) -> bool:
        return self.panel is not None

    def lock(self) -> None:
        if self.locked:
            return
        self._focus, self._active = QApplication.focusWidget(), QApplication.activeWindow()
        for _ in range(10):  # an open menu or drop-down list would show above the covers
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            popup.close()
        self.cover_all("Locked. Enter your password to go on.")
        actor = self.services.actor
        self.panel = LockPanel(f"{actor.display_name} ({actor.username})", self.window)
        self.panel.unlock_requested.connect(self._try_unlock)
        self.panel.switch_requested.connect(self._switch)
        self.panel.show()
        self.panel.adjustSize()
        self.panel.move(self.window.geometry().center() - self.panel.rect().center())
        self.panel.raise_()
        self.panel.activateWindow()
        self.panel.password.setFocus()
        # Recorded in the background; a database out of reach must not keep the desk from locking.
        self.runner.submit(self.services.accounts.record_lock, None, lambda exc: None, write=True)
        self.locked_changed.emit(True)

    def cover_all(self, text: str) -> None:
        """A cover over every window on show, the main window first."""
        windows = [self.window] + [w for w in QApplication.topLevelWidgets()
                                   if w is not self.window and w is not self.panel and w.isVisible()
                                   and w.windowType() in WINDOW_TYPES]
        for w in windows:
            words = text if w is self.window else "Locked."
            cover = next((c for c in self.covers if isValid(c) and c.parentWidget() is w), None)
            if cover is None:
                self.covers.append(Cover(w, words))
            else:
                cover.label.setText(words)

    def uncover_all(self) -> None:
        for c in self.covers:
            if isValid(c):
                c.parentWidget().removeEventFilter(c)
                c.hide()
                c.deleteLater()
        self.covers = []

    def _try_unlock(self, password: str) -> None:
        panel = self.panel
        if panel is None or panel.busy:
            return
        if not password:
            panel.say("Enter your password.")
            return
        panel.set_busy(True)
        panel.say("Checking…")
        username = self.services.actor.username
        self.runner.submit(lambda: self.services.accounts.verify_password(username, password),
                           self._unlocked, self._refused, write=True, parent=panel)

    def _unlocked(self, actor) -> None:
        # The account as it is now: an administrator may have changed its roles or name meanwhile.
        self.services.act_as(actor)
        self.unlock()

    def _refused(self, exc: BaseException) -> None:
        if self.panel is None:
            return
        self.panel.set_busy(False)
        self.panel.password.clear()
        self.panel.say(lock_refusal(exc) if isinstance(exc, AuthenticationFailed)
                       else messages.describe_error(exc))

    def unlock(self) -> None:
        """Everything back as it was: the covers go, the window that was active and its focus return."""
        if self.panel is None:
            return
        self.panel.hide()
        self.panel.deleteLater()
        self.panel = None
        self.uncover_all()
        if self._active is not None and isValid(self._active) and self._active.isVisible():
            self._active.activateWindow()
        if self._focus is not None and isValid(self._focus) and self._focus.isVisible():
            self._focus.setFocus()
        self._focus = self._active = None
        self.locked_changed.emit(False)

    def _switch(self) -> None:
        if not messages.confirm(self.panel, "Sign out and sign in as someone else? Anything typed in an open "
                                            "window but not saved is discarded.", yes="Sign out"):
            return
        self.panel.hide()
        self.panel.deleteLater()
        self.panel = None
        self._focus = self._active = None
        # The covers stay until the next user has signed in; the sign-in runs once this click is done.
        QTimer.singleShot(0, self.switch_user)
