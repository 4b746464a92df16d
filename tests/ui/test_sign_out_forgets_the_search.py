"""Issue 17, point 10: after signing out and in as someone else, the previous user's search is gone."""
from __future__ import annotations

from PySide6.QtCore import Qt

from decomp_desk.ui.dialogs.sign_in_dialogs import LoginDialog
from tests.factories import patient
from tests.ui import steps
from tests.ui import test_accounts_desk as accounts
from tests.ui.conftest import settle
from tests.ui.test_accounts_desk import FRAN_PASSWORD, fill_login

clinic, ann_desk = accounts.clinic, accounts.ann_desk  # the accounts tests' fixtures, used here by name


def test_the_next_user_starts_from_the_whole_list(qtbot, ann_desk, clinic, drive):
    window = ann_desk
    patient(clinic, "7001", "Rosa", "Whitman")
    patient(clinic, "7002", "Tom", "Baker")
    window.list_page.reload()
    settle(qtbot, window)
    steps.press(qtbot, window, Qt.Key.Key_F, steps.CTRL)
    qtbot.keyClicks(window.list_page.search, "whitman")
    settle(qtbot, window)
    assert window.list_page.proxy.rowCount() == 1

    driven = drive(LoginDialog, fill_login(qtbot, "fran", FRAN_PASSWORD))
    window.account.sign_out_action.trigger()
    qtbot.waitUntil(lambda: bool(driven.results), timeout=10000)
    settle(qtbot, window)
    assert clinic.ctx.actor.username == "fran"
    page = window.list_page
    assert page.search.text() == "" and page.proxy.rowCount() == 2
    assert not page.table.selectionModel().hasSelection()
