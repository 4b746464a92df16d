"""Start the desk: the application, its style, the services on the chosen database, the window."""
from __future__ import annotations

import gc
import logging
import sys
import traceback

from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QApplication

from decomp_desk.bootstrap import Services, open_services
from decomp_desk.config import database_url
from decomp_desk.services.context import Actor, command_line_actor
from decomp_desk.ui import theme
from decomp_desk.ui.daily_backup import back_up_once_loaded
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.dialogs.sign_in_dialogs import sign_in
from decomp_desk.ui.gc_on_ui_thread import UiThreadGarbageCollector
from decomp_desk.ui.main_window import MainWindow
from decomp_desk.ui.window_memory import WindowMemory
from decomp_desk.ui.workers import BusyCursor, Runner

log = logging.getLogger(__name__)


# Until someone signs in the desk acts as no one: no role, so every service refuses.
SIGNED_OUT = Actor(username="(signed out)", full_name="no one signed in", roles=frozenset())


NO_ACCOUNTS = ("This clinic's database holds records but no user accounts, so the desk cannot tell who may open "
               "it. An administrator must be added from the command line on this computer, for example:\n\n"
               "    decomp-desk add-user USERNAME --full-name \"Full Name\" --role administrator "
               "--password-file FILE\n\nthen start the desk again and sign in.")


def desk_actor() -> Actor:
    """Who the desk acts as before the sign-in: no one."""
    return SIGNED_OUT


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("DecompDesk")
    app.setOrganizationName("DecompDesk")
    theme.follow_system(app)
    theme.install_style(app)  # with its rules that show what people typed as typed, never read as markup
    return app


def _excepthook(kind, value, tb) -> None:
    """A bug in a slot becomes a message, not a silent half-broken window."""
    log.error("unexpected error", exc_info=(kind, value, tb))
    traceback.print_exception(kind, value, tb)
    messages.show_error(None, messages.describe_error(value))


def open_window(services: Services, runner: Runner | None = None) -> MainWindow:
    """The window, built while the sign-in is asked for; it loads its list once someone signed in."""
    return MainWindow(services, runner)


def _switch_to_demo(clinic: Services) -> Services:
    """The demo clinic's own database (made and filled the first time) in place of the clinic's."""
    from decomp_desk.demo_database import open_demo_clinic

    clinic.dispose()
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # the first time, the demo takes a moment
    try:
        services = open_demo_clinic()
    finally:
        QApplication.restoreOverrideCursor()
    services.act_as(desk_actor())
    return services


def run_desk(url: str | None = None) -> int:
    # What is loaded by now (Qt, SQLAlchemy, the desk's modules) lives as long as the desk. Frozen, it is
    # left out of the garbage collector's full passes, which otherwise walk all of it again each time a
    # few thousand rows are made: a third of the time the ten-thousand-patient list takes at start.
    gc.freeze()
    # And a young-generation pass every 10,000 new objects rather than every 700: the list alone makes
    # a hundred thousand, which are not garbage, and every fifth pass or so went on to walk them all.
    gc.set_threshold(10_000, 10, 10)
    app = make_application()
    UiThreadGarbageCollector(app)  # collections on the UI thread only, never in a database worker
    log.info("the desk started (Qt %s on the %s platform)", qVersion(), app.platformName())
    from decomp_desk.ui.database_gate import prepare_database

    if not prepare_database(database_url(url)):  # the first start makes the clinic; a held-out key is asked for
        return 0
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
        no_accounts = services.accounts.needs_first_admin()
        new_database = no_accounts and services.settings.is_new_database()  # a clinic with accounts is not new
        if no_accounts and not new_database:
            # Records but no account (the accounts were lost, or the file came from elsewhere): whoever
            # opened the desk first must not become its administrator.
            messages.show_error(None, NO_ACCOUNTS)
            return 1
        if new_database:
            # Imported here: it brings the demo clinic along, which a start on a clinic's own data never needs.
            from decomp_desk.ui.dialogs.first_run_dialog import DEMO_CHOSEN, FirstRunDialog

            # A brand-new database has no accounts yet: it is set up by whoever started it, as the
            # command line acts; the administrator is made right after.
            services.act_as(command_line_actor())
            named = FirstRunDialog.ask(None, services, runner)
            services.act_as(desk_actor())
            if named is None:
                return 0
            if named is DEMO_CHOSEN:  # the demo lives in its own database; this one stays new
                services = _switch_to_demo(services)
        # The window is made while the sign-in waits: while the user types, or while their password is
        # checked on a worker (Argon2, which leaves the UI thread free); it is shown once someone has
        # signed in, and its list is read then (signed out, the services read nothing). The ORM is set
        # up then too, so the sign-in's own query after the check does not wait for it.
        made: list[MainWindow] = []

        def make_window() -> None:
            if not made:
                made.append(open_window(services, runner))
                back_up_once_loaded(made[0])  # once it is shown and its list is in
                services.set_up_mappers()

        # Without the first-run dialog, nothing could have made an account since it was asked.
        if sign_in(services, runner, meanwhile=make_window, has_accounts=not no_accounts and not new_database) is None:
            for window in made:
                window.close()
            return 0
        make_window()  # if the sign-in did not get to it
        window = made[0]
        window.account.follow_sign_in()
        window.start()
        WindowMemory(window).restore()  # as it was left; the first time, fitted to the screen
        window.show()
        return app.exec()
    except Exception as exc:
        messages.show_error(None, messages.describe_error(exc))
        return 1
    finally:
        runner.shutdown()
        services.dispose()
