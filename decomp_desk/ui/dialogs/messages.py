"""Message boxes as module functions, so tests can replace them with monkeypatch
(call them as `messages.show_error(...)`, never import the function itself)."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget
from shiboken6 import isValid

from decomp_desk.domain.errors import DomainError

TITLE = "DecompDesk"


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


def show_error(parent: QWidget | None, text: str, title: str = TITLE) -> None:
    QMessageBox.warning(_parent(parent), title, text)


def show_info(parent: QWidget | None, text: str, title: str = TITLE) -> None:
    QMessageBox.information(_parent(parent), title, text)


def confirm(parent: QWidget | None, text: str, title: str = TITLE, yes: str = "OK") -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, _parent(parent))
    ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(ok)
    box.exec()
    return box.clickedButton() is ok
