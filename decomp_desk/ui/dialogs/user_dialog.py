"""One account, as the administrator adds it or changes its name and roles."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from decomp_desk.bootstrap import Services
from decomp_desk.domain.account_input import password_errors, validate_account
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.types import Role
from decomp_desk.services.dto import UserView
from decomp_desk.ui.dialogs.saving import SavingDialog
from decomp_desk.ui.dialogs.sign_in_dialogs import password_field
from decomp_desk.ui.forms import chain_tab_order
from decomp_desk.ui.workers import Runner

ROLE_TEXT = {
    Role.ADMINISTRATOR: ("A&dministrator", "Manages the users and the clinic's settings; reads the audit trail"),
    Role.CLINICIAN: ("&Clinician", "Screens patients and records sessions"),
    Role.FRONT_DESK: ("F&ront desk", "Registers patients, records insurance and payments, prints"),
}
LABELS = {"username": "User name", "full_name": "Full name", "roles": "Roles", "password": "Password",
          "password_again": "Password again"}


class UserDialog(SavingDialog):
    def __init__(self, services: Services, runner: Runner, existing: UserView | None = None,
                 parent: QWidget | None = None):
        super().__init__(services, runner, parent, save_text="Add user" if existing is None else "Save changes")
        self.existing = existing
        self.setWindowTitle("New user" if existing is None else f"User {existing.username}")
        self.username = QLineEdit(existing.username if existing else "")
        self.username.setPlaceholderText("e.g. sam (what they type to sign in)")
        self.username.setReadOnly(existing is not None)  # the audit trail is filed under it
        self.full_name = QLineEdit(existing.full_name if existing else "")
        self.role_boxes: dict[Role, QCheckBox] = {}
        roles_row = QWidget()
        row = QHBoxLayout(roles_row)
        row.setContentsMargins(0, 0, 0, 0)
        for role, (text, tip) in ROLE_TEXT.items():
            box = QCheckBox(text)
            box.setToolTip(tip)
            box.setChecked(existing is not None and role in existing.roles)
            self.role_boxes[role] = box
            row.addWidget(box)
        row.addStretch(1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&User name:", self.username)
        form.addRow("&Full name:", self.full_name)
        form.addRow("Roles:", roles_row)
        fields: dict[str, QWidget] = {"username": self.username, "full_name": self.full_name, "roles": roles_row}
        order: list[QWidget] = [self.username, self.full_name, *self.role_boxes.values()]
        self.password = self.password_again = None
        if existing is None:
            self.password = password_field("at least 12 characters; they can change it later")
            self.password_again = password_field()
            form.addRow("&Password:", self.password)
            form.addRow("Password &again:", self.password_again)
            fields.update(password=self.password, password_again=self.password_again)
            order += [self.password, self.password_again]
        hint = QLabel("A user may hold several roles: a chiropractor working alone is administrator and clinician.")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.save_button.setDefault(True)
        chain_tab_order(order + [self.save_button])
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("m") * 50)
        self.bind(fields, LABELS)
        for box in self.role_boxes.values():
            box.toggled.connect(lambda *_: self._edited("roles"))
        (self.full_name if existing else self.username).setFocus()

    def roles(self) -> frozenset[Role]:
        return frozenset(r for r, box in self.role_boxes.items() if box.isChecked())

    def check(self) -> tuple[tuple[str, str, frozenset[Role], str | None], dict[str, str]]:
        errors: dict[str, str] = {}
        password = self.password.text() if self.password is not None else None
        try:
            validate_account(self.username.text(), self.full_name.text(), self.roles(), None)
        except ValidationError as e:
            errors.update(e.errors)
        if password is not None:
            errors.update(password_errors(password, self.username.text()))
            if self.password_again.text() != password:
                errors["password_again"] = "does not match the password"
        return (self.username.text(), self.full_name.text(), self.roles(), password), errors

    def store(self, data: tuple[str, str, frozenset[Role], str | None]) -> UserView:
        username, full_name, roles, password = data
        accounts = self.services.accounts
        if self.existing is None:
            return accounts.create_user(username, full_name, roles, password)
        user = self.existing
        # Roles first: they are what may be refused (the last administrator), before the name is saved.
        if roles != user.roles:
            user = accounts.set_roles(user.username, roles, expected_version=user.version)
            # Saved: should the name then be refused, Save again goes on from here, not from the old version.
            self.existing = user
        if " ".join(full_name.split()) != user.full_name:
            user = accounts.set_full_name(user.username, full_name, expected_version=user.version)
        return user

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, runner: Runner,
            existing: UserView | None = None) -> UserView | None:
        return cls.run(services, runner, existing, parent=parent)
