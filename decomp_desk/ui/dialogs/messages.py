"""Message boxes as module functions, so tests can replace them with monkeypatch
(call them as `messages.show_error(...)`, never import the function itself)."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from shiboken6 import isValid

from decomp_desk.domain.errors import DomainError

TITLE = "DecompDesk"
LOCK_PANEL = "lock_panel"  # the object name of ui/idle_lock.LockPanel
RETRY_MS = 1000


def is_expected(exc: BaseException) -> bool:
    """A refusal by a rule or an unreachable database: said to the user, not logged as a bug."""
    return isinstance(exc, DomainError)


def describe_error(exc: BaseException) -> str:
    """A sentence for the user. Rule refusals and database trouble already are sentences."""
    if isinstance(exc, DomainError):
        return str(exc)
    return (f"Something went wrong and nothing was changed: {exc.__class__.__name__}: {exc}. "
            "If it happens again, tell whoever looks after this computer.")


def _parent(parent: QWidget | None) -> QWidget | None:
    return parent if parent is not None and isValid(parent) else None


def desk_locked() -> bool:
    """The lock panel is up: nothing that may carry patient data opens above the covers."""
    return any(w.objectName() == LOCK_PANEL and w.isVisible() for w in QApplication.topLevelWidgets())


def show_error(parent: QWidget | None, text: str, title: str = TITLE) -> None:
    if desk_locked():  # a late job's message waits for the unlock instead of showing above the covers
        QTimer.singleShot(RETRY_MS, lambda: show_error(parent, text, title))
        return
    QMessageBox.warning(_parent(parent), title, text)


def show_info(parent: QWidget | None, text: str, title: str = TITLE) -> None:
    if desk_locked():
        QTimer.singleShot(RETRY_MS, lambda: show_info(parent, text, title))
        return
    QMessageBox.information(_parent(parent), title, text)


def held_while_locked(parent: QWidget | None) -> bool:
    """True when the desk locked while a page (a preview, a print, a PDF) was being prepared: it is not
    opened above the covers, and the user is told, after the unlock, to ask for it again."""
    if not desk_locked():
        return False
    show_info(parent, "A page you asked for was not shown because the desk locked while it was being "
                      "prepared. Ask for it again.")
    return True


def confirm(parent: QWidget | None, text: str, title: str = TITLE, yes: str = "OK") -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, _parent(parent))
    ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(ok)
    box.exec()
    return box.clickedButton() is ok
