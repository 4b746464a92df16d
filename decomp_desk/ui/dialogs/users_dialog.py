"""The administrator's list of accounts: add one, change its name and roles, disable or enable it, set a
new password, lift a lock. Accounts are never deleted: the audit trail keeps their names."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from decomp_desk.bootstrap import Services
from decomp_desk.services.accounts import local_time
from decomp_desk.services.dto import UserView
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.dialogs.password_dialogs import ResetPasswordDialog
from decomp_desk.ui.dialogs.user_dialog import UserDialog
from decomp_desk.ui.table_models import Column, RowTableModel
from decomp_desk.ui.table_views import sorted_table
from decomp_desk.ui.workers import Runner


def status_text(u: UserView) -> str:
    if not u.active:
        return "disabled"
    if u.locked_until is not None:
        return f"locked until {local_time(u.locked_until)}"
    if u.failed_logins:
        return f"active ({u.failed_logins} wrong password{'s' * (u.failed_logins != 1)})"
    return "active"


def _status_tone(u: UserView) -> str | None:
    return "bad" if u.locked_until is not None else ("warn" if not u.active else None)


class UserTableModel(RowTableModel):
    COLUMNS = (
        Column("User name", lambda u: u.username),
        Column("Full name", lambda u: u.full_name),
        Column("Roles", lambda u: u.roles_text),
        Column("Status", status_text, tone=_status_tone),
        Column("Last changed", lambda u: f"{local_time(u.updated_at)} by {u.updated_by}",
               key=lambda u: u.updated_at),
    )


class UsersDialog(QDialog):
    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.runner = services, runner
        self.setWindowTitle("Users")
        intro = QLabel("Everyone who signs in to this clinic's database. Disable an account rather than sharing "
                       "one: the audit trail names who did what.")
        intro.setWordWrap(True)
        self.model = UserTableModel(self)
        self.proxy, self.table = sorted_table(self.model, "Users", Qt.SortOrder.AscendingOrder, self)
        self.table.doubleClicked.connect(lambda *_: self.edit_user())
        self.add_button = QPushButton("&Add user…")
        self.edit_button = QPushButton("&Name and roles…")
        self.active_button = QPushButton("&Disable")
        self.reset_button = QPushButton("&Set new password…")
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setToolTip("Lift the lock after five wrong passwords before its 15 minutes are over")
        self.add_button.clicked.connect(self.add_user)
        self.edit_button.clicked.connect(self.edit_user)
        self.active_button.clicked.connect(self.toggle_active)
        self.reset_button.clicked.connect(self.reset_password)
        self.unlock_button.clicked.connect(self.unlock)
        row = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.active_button, self.reset_button, self.unlock_button):
            row.addWidget(b)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(close)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.update_buttons())
        self.resize(self.fontMetrics().horizontalAdvance("m") * 80, self.fontMetrics().height() * 24)
        self.update_buttons()
        self.reload()

    # --- the list -----------------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        select = select or (self.selected().username if self.selected() else None)
        self.runner.submit(self.services.accounts.list_users, lambda rows: self._show(rows, select), parent=self)

    def _show(self, rows: list[UserView], select: str | None) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        for r in range(self.proxy.rowCount()):
            if self.model.row_at(self.proxy.mapToSource(self.proxy.index(r, 0))).username == select:
                self.table.selectRow(r)
                break
        else:
            if self.proxy.rowCount():
                self.table.selectRow(0)
        self.update_buttons()

    def selected(self) -> UserView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(self.proxy.mapToSource(rows[0])) if rows else None

    def update_buttons(self) -> None:
        u = self.selected()
        for b in (self.edit_button, self.active_button, self.reset_button):
            b.setEnabled(u is not None)
        self.active_button.setText("&Enable" if u is not None and not u.active else "&Disable")
        self.unlock_button.setEnabled(u is not None and (u.locked_until is not None or u.failed_logins > 0))

    # --- the actions ---------------------------------------------------------------------------------
    def add_user(self) -> None:
        created = UserDialog.ask(self, self.services, self.runner)
        if created is not None:
            self.reload(created.username)

    def edit_user(self) -> None:
        u = self.selected()
        if u is not None and UserDialog.ask(self, self.services, self.runner, existing=u) is not None:
            self.reload(u.username)

    def reset_password(self) -> None:
        u = self.selected()
        if u is not None and ResetPasswordDialog.ask(self, self.services, self.runner, u) is not None:
            messages.show_info(self, f"{u.username} has a new password; tell it to them in person.")
            self.reload(u.username)

    def toggle_active(self) -> None:
        u = self.selected()
        if u is None:
            return
        if u.active and not messages.confirm(self, f"Disable the account {u.username}? They can no longer sign "
                                                   "in; the account and its history are kept.", yes="Disable"):
            return
        self._apply(lambda: self.services.accounts.set_active(u.username, not u.active, expected_version=u.version))

    def unlock(self) -> None:
        u = self.selected()
        if u is not None:
            self._apply(lambda: self.services.accounts.unlock(u.username))

    def _apply(self, change) -> None:
        def failed(exc: BaseException) -> None:
            messages.show_error(self, messages.describe_error(exc))
            self.reload()
        self.runner.submit(change, lambda view: self.reload(view.username), failed, write=True, parent=self)

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, runner: Runner) -> None:
        dialog = cls(services, runner, parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
