"""The window's part in accounts: who is signed in (status bar), File > Users… and Audit trail… for
administrators, Lock now, Change password…, Sign out, and the automatic lock after the idle time."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from decomp_desk.domain.types import Role
from decomp_desk.services.context import Actor
from decomp_desk.services.dto import ClinicSettingsView
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.idle_lock import DeskLock, IdleWatcher
from decomp_desk.ui.pages.patient_actions import make_action

if TYPE_CHECKING:
    from decomp_desk.ui.main_window import MainWindow


def signed_in_text(actor: Actor) -> str:
    roles = ", ".join(r.label for r in Role if actor.has(r)) or "no role"
    return f"Signed in: {actor.display_name} ({roles})"


class AccountControls(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        w = window
        self.users_action = make_action(w, "&Users…", tip="Add users, change their roles, disable an account, set "
                                                          "a new password, lift a lock")
        self.audit_action = make_action(w, "&Audit trail…", tip="Who viewed, changed or printed which record; "
                                                                "sign-ins and locks")
        self.lock_action = make_action(w, "&Lock now", "Ctrl+L", tip="Hide the patient data until your password "
                                                                     "is entered again")
        self.change_password_action = make_action(w, "&Change password…", tip="Change your own password")
        self.sign_out_action = make_action(w, "Sign &out", tip="Sign out and let someone else sign in")
        self._admin_tips = {a: a.toolTip() for a in (self.users_action, self.audit_action)}
        self._add_to_file_menu()

        self.signed_in = QLabel()
        self.signed_in.setObjectName("signed_in_label")
        w.statusBar().addPermanentWidget(self.signed_in)

        self.lock = DeskLock(w, w.services, w.runner, self.sign_in_again)
        self.lock.locked_changed.connect(self._locked_changed)
        self.idle = IdleWatcher(parent=self)
        self.idle.idle.connect(self.lock.lock)
        self.users_action.triggered.connect(self.manage_users)
        self.audit_action.triggered.connect(self.show_audit)
        self.lock_action.triggered.connect(self.lock.lock)
        self.change_password_action.triggered.connect(self.change_password)
        self.sign_out_action.triggered.connect(self.sign_out)
        self.follow_actor()

    def _add_to_file_menu(self) -> None:
        menu = self.window.menuBar().actions()[0].menu()  # File
        menu.setToolTipsVisible(True)  # a disabled Users… says why
        items = menu.actions()
        settings = getattr(self.window, "settings_action", None)
        after_settings = items[items.index(settings) + 1] if settings in items[:-1] else self.window.quit_action
        menu.insertActions(after_settings, [self.users_action, self.audit_action])
        quit_action = self.window.quit_action
        menu.insertActions(quit_action, [self.lock_action, self.change_password_action, self.sign_out_action])
        menu.insertSeparator(quit_action)

    # --- who is signed in ----------------------------------------------------------------------------
    @property
    def actor(self) -> Actor:
        return self.window.services.actor

    def follow_actor(self) -> None:
        """The status bar's name, the administrator's items and the idle lock, for whoever is signed in now
        (no one before the sign-in: nothing to lock then)."""
        actor = self.actor
        self.signed_in.setText(signed_in_text(actor))
        if actor.roles and not self.lock.locked:
            self.idle.start()
        else:
            self.idle.stop()
        admin = actor.has(Role.ADMINISTRATOR)
        for action, tip in self._admin_tips.items():
            action.setEnabled(admin)
            text = tip if admin else f"Only an administrator may open this; {actor.display_name} is not one."
            action.setToolTip(text)
            action.setStatusTip(text)

    def follow_settings(self, clinic: ClinicSettingsView) -> None:
        self.idle.set_minutes(clinic.idle_lock_minutes)

    # --- the administrator's windows -------------------------------------------------------------------
    def _admin_only(self, action) -> bool:
        if self.actor.has(Role.ADMINISTRATOR):
            return True
        messages.show_error(self.window, action.toolTip())
        return False

    def manage_users(self) -> None:
        if self._admin_only(self.users_action):
            from decomp_desk.ui.dialogs.users_dialog import UsersDialog

            UsersDialog.ask(self.window, self.window.services, self.window.runner)
            self._refresh_own_account()

    def _refresh_own_account(self) -> None:
        """The administrator may have changed their own roles or name in Users…: the desk follows at once."""
        services = self.window.services
        me = services.actor.username

        def mine():
            return next((u for u in services.accounts.list_users() if u.username == me), None)

        def got(user) -> None:
            if user is None:
                return
            actor = Actor(user.username, user.full_name, frozenset(user.roles))
            if actor != services.actor:
                services.act_as(actor)
                self.follow_sign_in()

        self.window.runner.submit(mine, got, lambda exc: None, parent=self.window)

    def show_audit(self) -> None:
        if self._admin_only(self.audit_action):
            from decomp_desk.ui.pages.audit_view import AuditDialog

            AuditDialog.ask(self.window, self.window.services, self.window.runner)

    def change_password(self) -> None:
        from decomp_desk.ui.dialogs.password_dialogs import ChangePasswordDialog

        if ChangePasswordDialog.ask(self.window, self.window.services, self.window.runner) is not None:
            self.window.statusBar().showMessage("Your password was changed; use the new one from now on.", 15000)

    # --- locking and signing out ------------------------------------------------------------------------
    def _locked_changed(self, locked: bool) -> None:
        if locked:
            self.idle.stop()
        else:
            self.follow_sign_in()  # the unlock re-read the account: its roles may have changed

    def sign_out(self) -> None:
        if self.lock.locked:
            return
        self.sign_in_again()

    def sign_in_again(self) -> None:
        """Sign out whoever is signed in, and ask who signs in next. Their open dialogs close (unsaved
        input discarded: they chose this), the window shows the list, covered until someone signs in.
        Closing the sign-in ends the desk."""
        from decomp_desk.ui.dialogs.sign_in_dialogs import LoginDialog

        w, services = self.window, self.window.services
        self.idle.stop()
        for d in QApplication.topLevelWidgets():
            if isinstance(d, QDialog) and d.isVisible() and d is not self.lock.panel:
                d.reject()
        w.show_list()
        w.list_page.forget_search()  # the next person starts from the whole list, not the last one's search
        self.lock.cover_all("Signed out. Sign in to go on.")
        # Queued on the one write thread before the sign-in's own check: it is filed under who signs out.
        # A failure to record it does not keep anyone from signing out.
        w.runner.submit(services.accounts.record_logout, None, lambda exc: None, write=True)
        actor = LoginDialog.ask(w, services, w.runner, note=f"{self.actor.display_name} signed out. Sign in to go "
                                                              "on, or close this to quit DecompDesk.")
        if actor is None:
            w.close()
            return
        services.act_as(actor)
        self.lock.uncover_all()
        self.follow_sign_in()
        w.start()  # the list read again for them (audited: the whole clinic is shown to someone new)
        w.statusBar().showMessage(f"{actor.display_name} signed in.", 10000)

    def follow_sign_in(self) -> None:
        """After services.act_as: the whole window follows who signed in."""
        w = self.window
        follow = getattr(w, "follow_actor", None)  # the window's own (the settings)
        if follow is not None:
            follow()
        self.follow_actor()
        page = w._patient_page
        if page is not None:
            page.update_actions()
