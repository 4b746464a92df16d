"""Register a patient or edit their details; every field is checked as it is typed."""
from __future__ import annotations

import re
from datetime import date

from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from decomp_desk.bootstrap import Services
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.types import Sex
from decomp_desk.domain.validation import PatientInput, parse_date, validate_patient
from decomp_desk.services.dto import PatientDetail
from decomp_desk.ui.dialogs.saving import SavingDialog
from decomp_desk.ui.forms import EnumCombo, chain_tab_order, plain_text
from decomp_desk.ui.workers import Runner

INSURERS = ("Blue Cross Blue Shield", "Aetna", "Cigna", "UnitedHealthcare", "Humana", "Medicare")
LABELS = {
    "chart_number": "Chart number", "first_name": "First name", "last_name": "Last name",
    "date_of_birth": "Date of birth", "sex": "Sex", "phone": "Phone", "email": "Email", "address": "Street",
    "city": "City", "state": "State", "zip_code": "ZIP",
    "insurer": "Insurer", "policy_number": "Policy number", "notes": "Notes",
}
MNEMONICS = {"policy_number": "Polic&y number", "notes": "N&otes", "address": "St&reet"}  # each Alt+letter once
PLACE_PARTS = ("city", "state", "zip_code")  # one row: City, state, ZIP
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_birth_date(text: str) -> date | None:
    """Empty, 1960-04-12 or 04/12/1960 (month first, as the front desk writes it)."""
    text = text.strip()
    if not text:
        return None
    us = _US_DATE.match(text)
    if us:
        month, day, year = (int(x) for x in us.groups())
        try:
            return date(year, month, day)
        except ValueError:
            raise ValidationError.single("date_of_birth", f"{text!r} is not a date") from None
    return parse_date("date_of_birth", text)


class PatientDialog(SavingDialog):
    def __init__(self, services: Services, runner: Runner, existing: PatientDetail | None = None,
                 suggested_chart: str = "", parent: QWidget | None = None):
        super().__init__(services, runner, parent, save_text="Save patient" if existing is None else "Save changes")
        self.existing = existing
        self.setWindowTitle("New patient" if existing is None else f"Edit patient {existing.chart_number}")

        self.chart_number = QLineEdit(suggested_chart)
        self.first_name = QLineEdit()
        self.last_name = QLineEdit()
        self.date_of_birth = QLineEdit()
        self.date_of_birth.setPlaceholderText("YYYY-MM-DD or MM/DD/YYYY")
        self.sex = EnumCombo(Sex, blank="")
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.address = QLineEdit()
        self.address.setPlaceholderText("e.g. 44 Oak Ave, Apt 2")
        self.city, self.state, self.zip_code = QLineEdit(), QLineEdit(), QLineEdit()
        for box, hint, chars in ((self.city, "City", 0), (self.state, "State", 6), (self.zip_code, "ZIP", 9)):
            box.setPlaceholderText(hint)
            box.setAccessibleName(hint)
            if chars:
                box.setMaximumWidth(self.fontMetrics().horizontalAdvance("m") * chars)
        self.insurer = QComboBox()
        self.insurer.setEditable(True)
        self.insurer.addItems(("",) + INSURERS)
        self.policy_number = QLineEdit()
        self.notes = plain_text(3)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        order = [self.chart_number, self.first_name, self.last_name, self.date_of_birth, self.sex, self.phone,
                 self.email, self.address, self.city, self.state, self.zip_code, self.insurer, self.policy_number,
                 self.notes]
        names = list(LABELS)
        for name, w in zip(names, order):
            w.setObjectName(name)
            if name in PLACE_PARTS[1:]:
                continue  # on the city's row
            if name == "city":
                place = QHBoxLayout()
                place.addWidget(self.city, 1)
                place.addWidget(self.state)
                place.addWidget(self.zip_code)
                label = QLabel("Ci&ty, state, ZIP:")
                label.setBuddy(self.city)
                form.addRow(label, place)
                continue
            form.addRow(MNEMONICS.get(name, f"&{LABELS[name]}") + ":", w)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        chain_tab_order(order + [self.save_button])
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("m") * 46)

        if existing is not None:
            self._fill(existing)
        self.bind(dict(zip(names, order)), LABELS)
        (self.first_name if existing is None and suggested_chart else self.chart_number).setFocus()

    def _fill(self, p: PatientDetail) -> None:
        self.chart_number.setText(p.chart_number)
        self.first_name.setText(p.first_name)
        self.last_name.setText(p.last_name)
        self.date_of_birth.setText(p.date_of_birth.isoformat() if p.date_of_birth else "")
        self.sex.set_current(p.sex)
        self.phone.setText(p.phone)
        self.email.setText(p.email)
        self.address.setText(p.address)
        self.city.setText(p.city)
        self.state.setText(p.state)
        self.zip_code.setText(p.zip_code)
        self.insurer.setCurrentText(p.insurer)
        self.policy_number.setText(p.policy_number)
        self.notes.setPlainText(p.notes)

    def check(self) -> tuple[PatientInput | None, dict[str, str]]:
        errors: dict[str, str] = {}
        try:
            born = parse_birth_date(self.date_of_birth.text())
        except ValidationError as e:
            errors.update(e.errors)
            born = None
        data = PatientInput(
            chart_number=self.chart_number.text(), first_name=self.first_name.text(),
            last_name=self.last_name.text(), date_of_birth=born,
            sex=self.sex.currentData(), phone=self.phone.text(), email=self.email.text(),
            address=self.address.text(), insurer=self.insurer.currentText(),
            policy_number=self.policy_number.text(), notes=self.notes.toPlainText(),
            city=self.city.text(), state=self.state.text(), zip_code=self.zip_code.text(),
        )
        try:
            data = validate_patient(data, self.services.today())
        except ValidationError as e:
            errors = {**e.errors, **errors}
        return data, errors

    def store(self, data: PatientInput) -> PatientDetail:
        if self.existing is None:
            return self.services.patients.create(data)
        return self.services.patients.update(self.existing.id, data, expected_version=self.existing.version)

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, runner: Runner, existing: PatientDetail | None = None,
            suggested_chart: str = "") -> PatientDetail | None:
        return cls.run(services, runner, existing, suggested_chart, parent=parent)
