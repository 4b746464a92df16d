"""Runs the real `run_desk` in its own process (a test must not run a second application event loop),
with the first-run dialog answered and the window closed once the list has loaded; prints what it saw
as one JSON line.
Usage: python -m tests.ui.desk_probe URL [CLINIC_NAME | --demo | --cancel-first-run | --cancel-sign-in]

The sign-in is answered as the account `probe` (made by the administrator dialog on a new database);
the dialogs themselves are driven by tests/ui/test_accounts_desk.py. Backups go to a data folder beside
an SQLite database (XDG_DATA_HOME), never to the user's own."""
from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import replace

from PySide6.QtCore import QPoint, QRect, QTimer
from PySide6.QtWidgets import QApplication

from decomp_desk.ui import app as desk_app
from decomp_desk.ui import daily_backup, theme
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.dialogs.clinic_key_dialogs import NewClinicDialog, RecoveryPassphraseDialog
from decomp_desk.ui.dialogs.first_run_dialog import FirstRunDialog
from decomp_desk.ui.dialogs.sign_in_dialogs import FirstAdminDialog, LoginDialog

PROBE_PASSWORD = "probe password one"

seen: dict = {"first_run": False, "errors": []}


def new_clinic(cls, parent, path):
    """The first start on a missing file: the clinic is made on purpose, with a recovery passphrase."""
    seen["created"] = str(path)
    return None if answer == "--cancel-new-clinic" else "probe recovery passphrase"


def recovery(cls, parent, path, problem=""):
    """An encrypted file whose key this user does not hold: the passphrases typed, from PROBE_RECOVERY
    (separated by '|'), one per time the desk asks."""
    asked = seen.setdefault("recovery_asked", [])
    asked.append(problem)
    typed = os.environ.get("PROBE_RECOVERY", "").split("|")
    return typed[len(asked) - 1] if len(asked) <= len(typed) and typed[len(asked) - 1] else None


def first_run(cls, parent, services, runner):
    seen["first_run"] = True
    if answer == "--cancel-first-run":
        return None
    if answer == "--demo":
        from decomp_desk.ui.dialogs.first_run_dialog import DEMO_CHOSEN
        return DEMO_CHOSEN
    services.settings.update(replace(services.settings.get(), name=answer))
    return answer


def first_admin(cls, parent, services, runner):
    seen["first_admin"] = True
    return services.accounts.create_first_admin("probe", "Probe Admin", PROBE_PASSWORD, also_clinician=True)


def login(cls, parent, services, runner, **kwargs):
    seen["sign_in"] = True
    if answer == "--cancel-sign-in":
        return None
    return services.accounts.login("probe", PROBE_PASSWORD)


def _rect(r) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def open_and_close(services, runner):
    window = real_open(services, runner)

    def check():
        if window.runner.busy or not window.isVisible() or window.findChildren(daily_backup._WhenReady):
            QTimer.singleShot(20, check)
            return
        seen.update(title=window.windowTitle(), status=window.database_label.text(),
                    patients=window.list_page.model.rowCount(), style=theme.style_name(QApplication.instance()),
                    size=[window.width(), window.height()], actor=window.services.ctx.actor.username,
                    signed_in=window.account.signed_in.text(),
                    # where the program and its resources came from, and that the icon and style loaded
                    package=os.path.dirname(desk_app.__file__), icon=not window.windowIcon().isNull(),
                    style_sheet="invalid" in QApplication.instance().styleSheet())
        header = window.list_page.table.horizontalHeader()
        screen = window.screen().availableGeometry()
        bar = window.statusBar()
        bar_rect = QRect(bar.mapToGlobal(QPoint(0, 0)), bar.size())
        seen["window"] = dict(frame=_rect(window.frameGeometry()), screen=_rect(screen), maximized=window.isMaximized(),
                              status_bar=_rect(bar_rect), status_bar_visible=bar.isVisible(),
                              columns=[header.sectionSize(i) for i in range(header.count())])
        change = os.environ.get("DECOMP_DESK_PROBE_CHANGE")  # "WIDTHxHEIGHT:COLUMN0": as a user leaves it
        if change:
            size, column = change.split(":")
            window.showNormal()
            window.resize(*map(int, size.split("x")))
            header.resizeSection(0, int(column))
        window.close()
        QApplication.quit()

    QTimer.singleShot(20, check)
    return window


if __name__ == "__main__":
    url, answer = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "Test Clinic")
    real_open = desk_app.open_window
    desk_app.open_window = open_and_close
    NewClinicDialog.ask = classmethod(new_clinic)
    RecoveryPassphraseDialog.ask = classmethod(recovery)
    FirstRunDialog.ask = classmethod(first_run)
    FirstAdminDialog.ask = classmethod(first_admin)
    LoginDialog.ask = classmethod(login)
    if url.startswith("sqlite:///"):
        os.environ["XDG_DATA_HOME"] = os.path.join(os.path.dirname(url.removeprefix("sqlite:///")), "data")
    messages.show_error = lambda parent, text, title="": seen["errors"].append(text)
    from decomp_desk.services.accounts import AccountService

    real_needs_first_admin = AccountService.needs_first_admin

    def needs_first_admin(self):  # how often the start asks whether the clinic has an account
        seen["accounts_asked"] = seen.get("accounts_asked", 0) + 1
        return real_needs_first_admin(self)
    AccountService.needs_first_admin = needs_first_admin
    seen["exit"] = desk_app.run_desk(url)
    from decomp_desk.config import backup_dir

    folder = backup_dir(url)  # the database's own folder inside the data folder's backups
    seen["backups"] = sorted(p.name for p in folder.glob("*.backup")) if folder.is_dir() else []
    print(json.dumps(seen))
