"""Runs the real `run_desk` in its own process (a test must not run a second application event loop),
with the first-run dialog answered and the window closed once the list has loaded; prints what it saw
as one JSON line. Usage: python -m tests.ui.desk_probe URL [CLINIC_NAME | --cancel-first-run]"""
from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import replace  # noqa: E402

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from decomp_desk.ui import app as desk_app  # noqa: E402
from decomp_desk.ui.dialogs import messages  # noqa: E402
from decomp_desk.ui.dialogs.first_run_dialog import FirstRunDialog  # noqa: E402

seen: dict = {"first_run": False, "errors": []}


def first_run(cls, parent, services, runner):
    seen["first_run"] = True
    if answer == "--cancel-first-run":
        return None
    services.settings.update(replace(services.settings.get(), name=answer))
    return answer


def open_and_close(services, runner):
    window = real_open(services, runner)

    def check():
        if window.runner.busy or not window.isVisible():
            QTimer.singleShot(20, check)
            return
        seen.update(title=window.windowTitle(), status=window.database_label.text(),
                    patients=window.list_page.model.rowCount(), style=QApplication.style().name(),
                    size=[window.width(), window.height()])
        window.close()
        QApplication.quit()

    QTimer.singleShot(20, check)
    return window


if __name__ == "__main__":
    url, answer = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "Test Clinic")
    real_open = desk_app.open_window
    desk_app.open_window = open_and_close
    FirstRunDialog.ask = classmethod(first_run)
    messages.show_error = lambda parent, text, title="": seen["errors"].append(text)
    seen["exit"] = desk_app.run_desk(url)
    print(json.dumps(seen))
