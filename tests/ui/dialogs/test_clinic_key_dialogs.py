"""The first start's new-clinic dialog asks for the recovery passphrase twice, and refuses a short or a
mismatched one with a sentence naming the field."""
from pathlib import Path

from PySide6.QtCore import Qt

from decomp_desk.ui.dialogs.clinic_key_dialogs import NewClinicDialog, RecoveryPassphraseDialog


def test_the_new_clinic_dialog_wants_a_long_passphrase_typed_twice(qtbot):
    d = NewClinicDialog(Path("/srv/clinic/clinic.sqlite3"))
    qtbot.addWidget(d)
    d.show()
    qtbot.keyClicks(d.passphrase, "too short")
    qtbot.mouseClick(d.create_button, Qt.MouseButton.LeftButton)
    assert d.isVisible() and d.problem.text().startswith("Recovery passphrase: at least 12 characters")
    d.passphrase.clear()
    qtbot.keyClicks(d.passphrase, "a long enough passphrase")
    qtbot.keyClicks(d.again, "a long enough passphrasE")
    qtbot.mouseClick(d.create_button, Qt.MouseButton.LeftButton)
    assert d.isVisible() and d.problem.text().startswith("The same again: does not match")
    d.again.clear()
    qtbot.keyClicks(d.again, "a long enough passphrase")
    qtbot.mouseClick(d.create_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible() and d.result() == NewClinicDialog.DialogCode.Accepted
    assert d.size().width() <= 1366 and d.size().height() <= 768


def test_the_recovery_dialog_says_why_it_asks_again(qtbot):
    d = RecoveryPassphraseDialog(Path("/srv/clinic/clinic.sqlite3"), "That passphrase does not open this database.")
    qtbot.addWidget(d)
    assert "does not open" in d.problem.text() and d.passphrase.echoMode() == d.passphrase.EchoMode.Password
