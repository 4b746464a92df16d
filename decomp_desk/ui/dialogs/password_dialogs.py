"""Passwords: a user changes their own (proving the current one); an administrator sets a new one for a
user who forgot theirs."""
from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QWidget

from decomp_desk.bootstrap import Services
from decomp_desk.domain.account_input import password_errors
from decomp_desk.domain.errors import AuthenticationFailed, ValidationError
from decomp_desk.services.accounts import AccountLocked
from decomp_desk.services.dto import UserView
from decomp_desk.ui.dialogs.saving import SavingDialog
from decomp_desk.ui.dialogs.sign_in_dialogs import describe_refusal, password_field
from decomp_desk.ui.forms import chain_tab_order
from decomp_desk.ui.workers import Runner


class ChangePasswordDialog(SavingDialog):
    LABELS = {"current_password": "Current password", "new_password": "New password",
              "new_password_again": "New password again"}

    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None):
        super().__init__(services, runner, parent, save_text="Change password")
        self.username = services.actor.username
        self.setWindowTitle("Change your password")
        self.current_password = password_field()
        self.new_password = password_field("at least 12 characters, not a common one")
        self.new_password_again = password_field()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Current password:", self.current_password)
        form.addRow("&New password:", self.new_password)
        form.addRow("New password &again:", self.new_password_again)
        self.arrange(f"The password of {services.actor.display_name} ({self.username}). The new one: at "
                     "least 12 characters, not a common password, not your user name.", form, min_width_em=44)
        self.save_button.setDefault(True)
        chain_tab_order([self.current_password, self.new_password, self.new_password_again, self.save_button])
        self.bind({"current_password": self.current_password, "new_password": self.new_password,
                   "new_password_again": self.new_password_again}, self.LABELS)
        self.current_password.setFocus()

    def check(self) -> tuple[tuple[str, str], dict[str, str]]:
        errors: dict[str, str] = {}
        if not self.current_password.text():
            errors["current_password"] = "is required"
        errors.update(password_errors(self.new_password.text(), self.username, "new_password"))
        if "new_password" not in errors and self.new_password.text() == self.current_password.text():
            errors["new_password"] = "must differ from the current password"
        if self.new_password_again.text() != self.new_password.text():
            errors["new_password_again"] = "does not match the new password"
        return (self.current_password.text(), self.new_password.text()), errors

    def store(self, data: tuple[str, str]) -> str:
        self.services.accounts.change_password(self.username, *data)
        return self.username

    def show_refusal(self, exc: BaseException) -> str:
        if type(exc) is AuthenticationFailed and str(exc).startswith("The current password is wrong"):
            # A wrong current password: that field is the one to fix (the new ones are kept).
            return super().show_refusal(ValidationError.single("current_password", "is wrong; the password "
                                                               "was not changed"))
        if isinstance(exc, AccountLocked):
            return super().show_refusal(AuthenticationFailed(describe_refusal(exc)))
        return super().show_refusal(exc)

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, runner: Runner) -> str | None:
        """The user name whose password was changed; None when cancelled."""
        return cls.run(services, runner, parent=parent)


class ResetPasswordDialog(SavingDialog):
    """The administrator's: a new password for someone else (it also lifts a lock)."""

    LABELS = {"new_password": "New password", "new_password_again": "New password again"}

    def __init__(self, services: Services, runner: Runner, user: UserView, parent: QWidget | None = None):
        super().__init__(services, runner, parent, save_text="Set password")
        self.user = user
        self.setWindowTitle(f"New password for {user.username}")
        self.new_password = password_field("at least 12 characters, not a common one")
        self.new_password_again = password_field()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&New password:", self.new_password)
        form.addRow("New password &again:", self.new_password_again)
        self.arrange(f"A new password for {user.display_name} ({user.username}); tell it to them in person. "
                     "This also lifts a lock after wrong passwords.", form, min_width_em=44)
        self.save_button.setDefault(True)
        self.bind({"new_password": self.new_password, "new_password_again": self.new_password_again}, self.LABELS)
        self.new_password.setFocus()

    def check(self) -> tuple[str, dict[str, str]]:
        errors = password_errors(self.new_password.text(), self.user.username, "new_password")
        if self.new_password_again.text() != self.new_password.text():
            errors["new_password_again"] = "does not match the new password"
        return self.new_password.text(), errors

    def store(self, password: str) -> UserView:
        return self.services.accounts.reset_password(self.user.username, password)

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, runner: Runner, user: UserView) -> UserView | None:
        return cls.run(services, runner, user, parent=parent)
