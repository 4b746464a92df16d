"""The automatic daily backup, made in the background once the desk's list is up: at most one a day into
the backups folder (config.backup_dir()), keeping as many as the settings say (backup_retention),
encrypted when DECOMP_DESK_BACKUP_PASSPHRASE is set, as `decomp-desk backup` is. A failure is said in
the status bar and never stops the desk."""
from __future__ import annotations

import logging
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer

from decomp_desk import config
from decomp_desk.ui.dialogs import messages

if TYPE_CHECKING:
    from decomp_desk.ui.main_window import MainWindow

log = logging.getLogger(__name__)
PASSPHRASE_ENV = "DECOMP_DESK_BACKUP_PASSPHRASE"  # the command line's too (cli.PASSPHRASE_ENV)


def run_daily_backup(window: MainWindow, folder: Path | None = None, today: date | None = None) -> None:
    services, runner = window.services, window.runner
    folder = Path(folder or config.backup_dir(services.url))
    passphrase = os.environ.get(PASSPHRASE_ENV) or None
    actor = services.actor

    def job() -> tuple[Path | None, str]:
        # Imported here: backups bring cryptography along, which the desk's start does without.
        from decomp_desk.services.backups import daily_backups

        retention = services.settings.get().backup_retention
        made = daily_backups.automatic_backup(services.url, folder, retention, passphrase, today=today, actor=actor)
        # Once a day the newest backup is restored into a scratch database and checked: a backup that
        # would not restore is found the day it is made, not the day it is needed.
        try:
            verified = daily_backups.daily_verification(services.url, folder, passphrase, today=today)
        except Exception as exc:  # said in the status bar, never stops the desk
            log.warning("the daily backup check failed: %s", exc)
            return made, (f"The daily check of the newest backup FAILED: {messages.describe_error(exc)} Make a new "
                          "backup (decomp-desk backup FILE) and tell whoever looks after this computer.")
        return made, verified.sentence() if verified is not None else ""

    def done(result: tuple[Path | None, str]) -> None:
        made, checked = result
        saved = f"Today's backup was saved to {made}." if made is not None else ""
        if made is not None:
            log.info("the daily backup was written to %s", made)
        if checked.startswith("The daily check"):
            window.statusBar().showMessage(" ".join(filter(None, (saved, checked))))  # stays until the next one
        elif saved or checked:
            window.statusBar().showMessage(" ".join(filter(None, (saved, checked))), 15000)

    def failed(exc: BaseException) -> None:
        log.warning("the daily backup failed: %s", exc)
        window.statusBar().showMessage(f"Today's automatic backup failed: {messages.describe_error(exc)} "
                                       "Make one with decomp-desk backup FILE, or tell whoever looks after "
                                       "this computer.")  # no timeout: it stays until the next message

    # A write job: the backup records itself in the audit trail, and the desk's own saves wait for it
    # rather than race its entry (SQLite would refuse the loser).
    runner.submit(job, done, failed, write=True, parent=window)


class _WhenReady(QObject):
    """Runs the daily backup once, when the window is both shown (someone has signed in: the backup is
    filed under them) and its patient list has loaded (the desk's start comes first), in either order.
    It is a child of the window until then.

    The list is read once someone has signed in, and the window is shown then too, so it is usually
    up when the list arrives; only if it is not does this watch the window's events for its showing
    (a Python event filter is handed every event the window gets, some fifty while it comes up)."""

    def __init__(self, window: MainWindow, folder: Path | None):
        super().__init__(window)
        self.window, self.folder = window, folder
        self.watching = False  # the window's events, for its showing: only once the list is in
        window.list_page.loaded.connect(self._loaded)

    def _loaded(self) -> None:
        # After the filled list has been painted: begun at once, the backup's worker (cryptography to
        # import, the day's files to look at) took the interpreter from the list's first paint.
        QTimer.singleShot(0, self._maybe)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            QTimer.singleShot(0, self._maybe)  # after the window has come up
        return False

    def _maybe(self) -> None:
        """Asked once the list is in (each time it loads) and, when it came in first, once the window shows."""
        window = self.window
        if window is None:
            return
        if not window.isVisible():
            if not self.watching:
                window.installEventFilter(self)
                self.watching = True
            return
        self.window = None
        window.list_page.loaded.disconnect(self._loaded)
        if self.watching:
            window.removeEventFilter(self)
        run_daily_backup(window, self.folder)
        self.deleteLater()


def back_up_once_loaded(window: MainWindow, folder: Path | None = None) -> None:
    """Start the daily backup once the window is shown and its patient list has first loaded. Call it as
    the window is made, before the sign-in."""
    _WhenReady(window, folder)
