"""Start the desk: the application, its style, the services on the chosen database, the window."""
from __future__ import annotations

import gc
import logging
import sys
import traceback

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from decomp_desk.bootstrap import Services, open_services
from decomp_desk.services.context import Actor, command_line_actor
from decomp_desk.ui import theme
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.main_window import MainWindow
from decomp_desk.ui.workers import BusyCursor, Runner

log = logging.getLogger(__name__)


def desk_actor() -> Actor:
    """Until accounts exist, the desk acts as the operating-system user, with every role."""
    return command_line_actor()


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("DecompDesk")
    app.setOrganizationName("DecompDesk")
    theme.follow_system(app)
    return app


def _excepthook(kind, value, tb) -> None:
    """A bug in a slot becomes a message, not a silent half-broken window."""
    log.error("unexpected error", exc_info=(kind, value, tb))
    traceback.print_exception(kind, value, tb)
    messages.show_error(None, messages.describe_error(value))


def open_window(services: Services, runner: Runner | None = None) -> MainWindow:
    window = MainWindow(services, runner)
    window.start()
    return window


def run_desk(url: str | None = None) -> int:
    # What is loaded by now (Qt, SQLAlchemy, the desk's modules) lives as long as the desk. Frozen, it is
    # left out of the garbage collector's full passes, which otherwise walk all of it again each time a
    # few thousand rows are made: a third of the time the ten-thousand-patient list takes at start.
    gc.freeze()
    # And a young-generation pass every 10,000 new objects rather than every 700: the list alone makes
    # a hundred thousand, which are not garbage, and every fifth pass or so went on to walk them all.
    gc.set_threshold(10_000, 10, 10)
    app = make_application()
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        services = open_services(url, desk_actor())
    except Exception as exc:  # unreachable server, unreadable file: said, never a traceback
        QApplication.restoreOverrideCursor()
        messages.show_error(None, f"The database could not be opened. {messages.describe_error(exc)}")
        return 1
    QApplication.restoreOverrideCursor()
    sys.excepthook = _excepthook
    runner = Runner()
    BusyCursor(runner)  # also while the first-run dialog sets up (the demo clinic takes a moment)
    try:
        if services.settings.is_new_database():
            # Imported here: it brings the demo clinic along, which a start on a clinic's own data never needs.
            from decomp_desk.ui.dialogs.first_run_dialog import FirstRunDialog

            if FirstRunDialog.ask(None, services, runner) is None:
                return 0
        window = open_window(services, runner)
        room = app.primaryScreen().availableGeometry()
        window.resize(min(1280, room.width()), min(800, room.height()))
        window.show()
        return app.exec()
    except Exception as exc:
        messages.show_error(None, messages.describe_error(exc))
        return 1
    finally:
        runner.shutdown()
        services.dispose()
