"""Signing in: the administrator made at the very first start, and the sign-in every start after.

Both check the password with Argon2 on the runner (it takes a noticeable moment on purpose), so the
dialog keeps answering meanwhile."""
from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from decomp_desk.bootstrap import Services
from decomp_desk.domain.account_input import password_errors, validate_account
from decomp_desk.domain.errors import AuthenticationFailed, ValidationError
from decomp_desk.services.accounts import AccountLocked
from decomp_desk.services.context import Actor
from decomp_desk.ui.dialogs.saving import SavingDialog
from decomp_desk.ui.forms import chain_tab_order
from decomp_desk.ui.workers import Runner


def password_field(placeholder: str = "") -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    return field


def minutes_left(until: datetime, now: datetime | None = None) -> int:
    """Whole minutes, rounded up, until a lock ends (at least 1 while it lasts)."""
    now = now or datetime.now(UTC)
    return max(1, math.ceil((until - now).total_seconds() / 60))


def describe_refusal(exc: BaseException) -> str:
    """A locked account also says how long is left: the message names the time, the user wants the wait."""
    if isinstance(exc, AccountLocked):
        n = minutes_left(exc.until)
        return f"{exc} ({n} minute{'s' * (n != 1)} from now.)"
    return str(exc)


MEANWHILE_AFTER_MS = 250  # nobody has typed a user name and a password sooner


class FirstAdminDialog(SavingDialog):
    """The first start of a clinic's database: the account that manages every other one."""

    LABELS = {"username": "User name", "full_name": "Full name", "password": "Password",
              "password_again": "Password again"}

    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None):
        super().__init__(services, runner, parent, save_text="Create administrator")
        self.setWindowTitle("Create the administrator")
        self.username = QLineEdit()
        self.username.setPlaceholderText("e.g. ann")
        self.full_name = QLineEdit()
        self.full_name.setPlaceholderText("e.g. Dr. Ann Lee")
        self.password = password_field("at least 12 characters, not a common one")
        self.password_again = password_field()
        self.also_clinician = QCheckBox("Also a &clinician (screens patients and records sessions)")
        self.also_clinician.setChecked(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&User name:", self.username)
        form.addRow("&Full name:", self.full_name)
        form.addRow("&Password:", self.password)
        form.addRow("Password &again:", self.password_again)
        form.addRow("", self.also_clinician)
        self.arrange("No one can sign in to this clinic's database yet. Create the administrator: the account "
                     "that adds the other users and changes the settings. A chiropractor working alone is "
                     "both administrator and clinician.", form, min_width_em=48)
        self.save_button.setDefault(True)
        chain_tab_order([self.username, self.full_name, self.password, self.password_again, self.also_clinician,
                         self.save_button])
        self.bind({"username": self.username, "full_name": self.full_name, "password": self.password,
                   "password_again": self.password_again}, self.LABELS)
        self.username.setFocus()

    def check(self) -> tuple[tuple[str, str, str, bool], dict[str, str]]:
        errors: dict[str, str] = {}
        try:
            validate_account(self.username.text(), self.full_name.text(), None, None)
        except ValidationError as e:
            errors.update(e.errors)
        errors.update(password_errors(self.password.text(), self.username.text()))
        if self.password_again.text() != self.password.text():
            errors["password_again"] = "does not match the password"
        data = (self.username.text(), self.full_name.text(), self.password.text(), self.also_clinician.isChecked())
        return data, errors

    def store(self, data: tuple[str, str, str, bool]) -> Actor:
        username, full_name, password, clinician = data
        return self.services.accounts.create_first_admin(username, full_name, password, also_clinician=clinician)

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, runner: Runner) -> Actor | None:
        """The new administrator, signed in; None when the user closed the dialog."""
        return cls.run(services, runner, parent=parent)


class LoginDialog(SavingDialog):
    """User name and password. A refusal (wrong password, a locked or disabled account) is said in the
    dialog, the password is cleared for the next try and the user name kept."""

    LABELS = {"username": "User name", "password": "Password"}

    def __init__(self, services: Services, runner: Runner, username: str = "", parent: QWidget | None = None,
                 note: str = "", meanwhile: Callable[[], None] | None = None):
        super().__init__(services, runner, parent, save_text="Sign in")
        # Work the UI thread can do while the sign-in waits on a person (who types for a second or more)
        # or on the password check (Argon2, on a worker): the desk builds its window then. Done once, at
        # whichever comes first.
        self.meanwhile = meanwhile
        if meanwhile is not None:
            QTimer.singleShot(MEANWHILE_AFTER_MS, self, self._do_meanwhile)
        self.setWindowTitle("Sign in to DecompDesk")
        self.note = QLabel(note or "Sign in with your DecompDesk user name and password.")
        self.note.setWordWrap(True)
        self.username = QLineEdit(username)
        self.password = password_field()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&User name:", self.username)
        form.addRow("&Password:", self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.save_button.setDefault(True)  # Enter in either field signs in
        self.save_button.setShortcut("")  # Ctrl+S means nothing here
        self.save_button.setToolTip("Sign in (Enter)")
        chain_tab_order([self.username, self.password, self.save_button])
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("m") * 44)
        self.bind({"username": self.username, "password": self.password}, self.LABELS)
        (self.password if username else self.username).setFocus()

    def save(self) -> None:
        super().save()
        if self.saving:  # the check is on its way: the password is hashed on a worker meanwhile
            self._do_meanwhile()

    def _do_meanwhile(self) -> None:
        task, self.meanwhile = self.meanwhile, None
        if task is not None:
            task()

    def check(self) -> tuple[tuple[str, str], dict[str, str]]:
        errors = {}
        if not self.username.text().strip():
            errors["username"] = "is required"
        if not self.password.text():
            errors["password"] = "is required"
        return (self.username.text(), self.password.text()), errors

    def recheck(self) -> None:
        """Nothing to say while typing: a half-typed password is not an error."""

    def store(self, data: tuple[str, str]) -> Actor:
        return self.services.accounts.login(*data)

    def show_refusal(self, exc: BaseException) -> str:
        if not isinstance(exc, AuthenticationFailed):
            return super().show_refusal(exc)
        text = describe_refusal(exc)
        self.marks.show({})
        self.summary.setText(text)
        self.summary.show()
        self.password.clear()
        self.password.setFocus()
        return text

    def _refused(self, exc: BaseException) -> None:
        # Said in the dialog itself: a box to click away at every mistyped password is one step too many.
        if isinstance(exc, AuthenticationFailed):
            self._set_saving(False)
            self.show_refusal(exc)
            self.refused.emit(exc)
        else:
            super()._refused(exc)

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, runner: Runner, username: str = "",
            note: str = "", meanwhile: Callable[[], None] | None = None) -> Actor | None:
        """Who signed in; None when the user closed the dialog. `meanwhile` is done while it waits (at
        most once, and maybe not at all: the caller does it after when it still needs doing)."""
        return cls.run(services, runner, username, parent=parent, note=note, meanwhile=meanwhile)


def sign_in(services: Services, runner: Runner, parent: QWidget | None = None,
            meanwhile: Callable[[], None] | None = None, has_accounts: bool | None = None) -> Actor | None:
    """The start of the desk: the administrator made on a database that has no account yet, else the
    sign-in. Who signed in acts from then on (services.act_as); None when the user closed the dialog.
    `meanwhile`: work for the UI thread while the sign-in waits (LoginDialog). `has_accounts`: what the
    caller has just asked of these services, if nothing could have changed it since (else it is asked)."""
    if not has_accounts and services.accounts.needs_first_admin():
        actor = FirstAdminDialog.ask(parent, services, runner)
    else:
        actor = LoginDialog.ask(parent, services, runner, meanwhile=meanwhile)
    if actor is not None:
        services.act_as(actor)
    return actor
