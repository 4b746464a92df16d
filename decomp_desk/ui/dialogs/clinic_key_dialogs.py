"""Before the desk opens its database: make a new clinic on purpose (with its recovery passphrase), or ask
for the recovery passphrase of an encrypted database whose key this user does not hold."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from decomp_desk.services.clinic_files import RECOMMENDED_PASSPHRASE_LENGTH
from decomp_desk.ui.plain_text import escape, rich_label


def _secret(placeholder: str = "") -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    return field


class NewClinicDialog(QDialog):
    """'There is no clinic database here: make a new one?' with the recovery passphrase, twice."""

    def __init__(self, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("DecompDesk: a new clinic database")
        intro = rich_label(
            f"There is no clinic database at<br><b>{escape(str(path))}</b>.<br><br>"
            "Make a new, empty clinic there? It is encrypted: this computer keeps its key for you, and the "
            "<b>recovery passphrase</b> you choose now opens it anywhere else (a new computer, a restore). "
            "Write the passphrase down and keep it somewhere safe, away from the computer.<br><br>"
            "If the clinic's database is somewhere else, cancel and start DecompDesk with:<br>"
            "<tt>decomp-desk --database sqlite:///path/to/clinic.sqlite3</tt>")
        intro.setWordWrap(True)
        self.passphrase = _secret(f"at least {RECOMMENDED_PASSPHRASE_LENGTH} characters")
        self.again = _secret()
        self.problem = QLabel()
        self.problem.setObjectName("fieldError")
        self.problem.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Recovery &passphrase:", self.passphrase)
        form.addRow("The same &again:", self.again)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = buttons.addButton("Create the clinic", QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setDefault(True)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for part in (intro, form, self.problem, buttons):
            layout.addLayout(part) if isinstance(part, QFormLayout) else layout.addWidget(part)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("m") * 44)
        self.passphrase.setFocus()

    def check(self) -> str | None:
        """What is wrong, as a sentence naming the field; None when the passphrase may be used."""
        text = self.passphrase.text()
        if len(text) < RECOMMENDED_PASSPHRASE_LENGTH:
            return f"Recovery passphrase: at least {RECOMMENDED_PASSPHRASE_LENGTH} characters, please."
        if self.again.text() != text:
            return "The same again: does not match the recovery passphrase."
        return None

    def try_accept(self) -> None:
        problem = self.check()
        self.problem.setText(problem or "")
        if problem is None:
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, path: Path) -> str | None:
        """The recovery passphrase for the new clinic; None when cancelled (no clinic is made)."""
        dialog = cls(path, parent)
        try:
            return dialog.passphrase.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class RecoveryPassphraseDialog(QDialog):
    """An encrypted database whose key this user does not hold: its recovery passphrase opens it."""

    def __init__(self, path: Path, problem: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("DecompDesk: the recovery passphrase")
        intro = rich_label(f"The clinic database <b>{escape(str(path))}</b> is encrypted, and this computer holds "
                           "no key for it for you. Its recovery passphrase opens it (and this computer then keeps its "
                           "key for you).")
        intro.setWordWrap(True)
        self.passphrase = _secret()
        self.problem = QLabel(problem)
        self.problem.setObjectName("fieldError")
        self.problem.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Recovery &passphrase:", self.passphrase)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Open", QDialogButtonBox.ButtonRole.AcceptRole).setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("m") * 40)

    @classmethod
    def ask(cls, parent: QWidget | None, path: Path, problem: str = "") -> str | None:
        dialog = cls(path, problem, parent)
        try:
            return dialog.passphrase.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
