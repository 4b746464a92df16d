"""What the desk does before it opens its database: the first start makes a new clinic on purpose (never a
missing or emptied file silently), and an encrypted file whose key this user does not hold is opened with
its recovery passphrase."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from decomp_desk.services.clinic_files import (
    create_clinic,
    database_file,
    needs_creating,
    needs_passphrase,
    try_passphrase,
)
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.dialogs.clinic_key_dialogs import NewClinicDialog, RecoveryPassphraseDialog


def prepare_database(url: str) -> bool:
    """True when the database at `url` is there to be opened (made now, or unlocked); False when the user
    cancelled or the clinic could not be made (said in a message)."""
    path = database_file(url)
    if path is not None and needs_creating(url):
        passphrase = NewClinicDialog.ask(None, path)
        if passphrase is None:
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            create_clinic(url, passphrase)
        except Exception as exc:
            QApplication.restoreOverrideCursor()
            messages.show_error(None, f"The new clinic could not be made. {messages.describe_error(exc)}")
            return False
        QApplication.restoreOverrideCursor()
        return True
    problem = ""
    while path is not None and needs_passphrase(url):
        passphrase = RecoveryPassphraseDialog.ask(None, path, problem)
        if passphrase is None:
            return False
        if not try_passphrase(url, passphrase, keep=True):
            problem = "That passphrase does not open this database; try again."
    return True
