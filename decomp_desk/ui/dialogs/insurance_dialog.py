"""Record what the insurer said about decompression: insurer (or self-pay), policy, coverage, the plan's
share when it pays part, and who verified it when."""
from __future__ import annotations

import re
from decimal import Decimal

from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from decomp_desk.bootstrap import Services
from decomp_desk.domain.billing import KNOWN_INSURERS, SELF_PAY, Account, Insurance, validate_insurance
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.money import parse_money
from decomp_desk.domain.types import Coverage
from decomp_desk.services.dto import PatientDetail
from decomp_desk.ui.dialogs.saving import SavingDialog
from decomp_desk.ui.forms import EnumCombo, chain_tab_order, date_edit, plain_text, to_qdate
from decomp_desk.ui.workers import Runner

LABELS = {"insurer": "Insurer", "policy_number": "Policy number", "coverage": "Coverage",
          "coverage_percent": "Plan's share", "coverage_amount": "Plan's share",
          "coverage_verified_on": "Verified on", "coverage_verified_by": "Verified by", "coverage_notes": "Notes"}
PERCENT, AMOUNT = "percent", "amount"
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


def parse_percent(text: str) -> Decimal | None:
    t = text.strip().rstrip("%").strip()
    if not t:
        return None
    if not _NUMBER.match(t):
        raise ValidationError.single("coverage_percent", f"{text!r} is not a percent")
    return Decimal(t)


class InsuranceDialog(SavingDialog):
    def __init__(self, services: Services, runner: Runner, account: Account, parent: QWidget | None = None):
        super().__init__(services, runner, parent, save_text="Save insurance")
        self.account = account
        today, me = services.today(), services.actor.display_name
        self.setWindowTitle(f"Insurance: {account.patient_name} (chart {account.chart_number})")
        self.insurer = QComboBox()
        self.insurer.setEditable(True)
        self.insurer.addItems((SELF_PAY,) + KNOWN_INSURERS)
        self.insurer.setToolTip("Pick an insurer, type another plan's name, or choose Self-pay")
        self.policy_number = QLineEdit()
        self.coverage = EnumCombo(Coverage)
        self.coverage.setToolTip("Decompression coverage, as the insurer said when called")
        self.share_kind = QComboBox()
        self.share_kind.addItem("% of each session's fee", PERCENT)
        self.share_kind.addItem("$ per session", AMOUNT)
        self.share_kind.setAccessibleName("Plan's share is")
        self.share = QLineEdit()
        self.share.setPlaceholderText("e.g. 50 or 40.00")
        self.share.setAccessibleName("Plan's share")
        self.verified_on = date_edit(latest=today, value=today)
        self.verified_by = QLineEdit(me)
        self.notes = plain_text(3)
        self.notes.setPlaceholderText("Whom you spoke to, reference number, limits (visits per year, deductible)")

        share_row = QHBoxLayout()
        share_row.addWidget(self.share, 1)
        share_row.addWidget(self.share_kind)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Insurer:", self.insurer)
        form.addRow("&Policy / member number:", self.policy_number)
        form.addRow("&Coverage for decompression:", self.coverage)
        self.share_label = QLabel("Plan's s&hare:")
        self.share_label.setBuddy(self.share)
        form.addRow(self.share_label, share_row)
        form.addRow("&Verified on:", self.verified_on)
        form.addRow("Verified &by:", self.verified_by)
        form.addRow("N&otes:", self.notes)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        chain_tab_order([self.insurer, self.policy_number, self.coverage, self.share, self.share_kind,
                         self.verified_on, self.verified_by, self.notes, self.save_button])
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("m") * 50)

        self._fill(account.insurance)
        self.bind({"insurer": self.insurer, "policy_number": self.policy_number, "coverage": self.coverage,
                   "coverage_percent": self.share, "coverage_amount": self.share,
                   "coverage_verified_on": self.verified_on, "coverage_verified_by": self.verified_by,
                   "coverage_notes": self.notes}, LABELS)
        # An editable combo reports typing by editTextChanged, which bind() does not know.
        self.insurer.editTextChanged.connect(lambda *_: self._edited("insurer"))
        self.share_kind.currentIndexChanged.connect(lambda *_: self._edited("coverage_percent"))
        self.coverage.currentIndexChanged.connect(self._coverage_changed)
        self._coverage_changed()
        # A changed answer is a new verification: by whoever records it, today (unless they say otherwise).
        self._verifier_typed = False
        self.verified_on.dateChanged.connect(self._verifier_edited)
        self.verified_by.textEdited.connect(self._verifier_edited)
        for signal in (self.insurer.editTextChanged, self.policy_number.textEdited, self.coverage.currentIndexChanged,
                       self.share.textEdited, self.share_kind.currentIndexChanged):
            signal.connect(self._answer_changed)
        self.insurer.setFocus()

    def _fill(self, ins: Insurance) -> None:
        self.insurer.setCurrentText(ins.insurer_label)
        self.policy_number.setText(ins.policy_number)
        self.coverage.set_current(ins.coverage)
        if ins.coverage_amount is not None:
            self.share_kind.setCurrentIndex(self.share_kind.findData(AMOUNT))
            self.share.setText(f"{ins.coverage_amount:.2f}")
        elif ins.coverage_percent is not None:
            self.share.setText(format(ins.coverage_percent.normalize(), "f"))
        if ins.coverage_verified_on is not None:
            self.verified_on.setDate(to_qdate(ins.coverage_verified_on))
        if ins.coverage_verified_by:
            self.verified_by.setText(ins.coverage_verified_by)
        self.notes.setPlainText(ins.coverage_notes)

    def _verifier_edited(self, *_) -> None:
        if not self.verified_on.signalsBlocked():
            self._verifier_typed = True

    def _answer_changed(self, *_) -> None:
        if self._verifier_typed:
            return
        self.verified_on.blockSignals(True)
        self.verified_on.setDate(to_qdate(self.services.today()))
        self.verified_on.blockSignals(False)
        self.verified_by.setText(self.services.actor.display_name)

    def _coverage_changed(self) -> None:
        """Only a partly covered plan has a share; a coverage not yet verified has no verifier."""
        coverage = self.coverage.current()
        partly = coverage is Coverage.PARTLY_COVERED
        for w in (self.share, self.share_kind, self.share_label):
            w.setEnabled(partly)
        verified = coverage is not Coverage.NOT_VERIFIED
        self.verified_on.setEnabled(verified)
        self.verified_by.setEnabled(verified)

    def check(self) -> tuple[Insurance | None, dict[str, str]]:
        errors: dict[str, str] = {}
        coverage = self.coverage.current()
        percent = amount = None
        if coverage is Coverage.PARTLY_COVERED:
            try:
                if self.share_kind.currentData() == PERCENT:
                    percent = parse_percent(self.share.text())
                elif self.share.text().strip():
                    amount = parse_money("coverage_amount", self.share.text())
            except ValidationError as e:
                errors.update(e.errors)
        data = Insurance(
            insurer=self.insurer.currentText(), policy_number=self.policy_number.text(), coverage=coverage,
            coverage_percent=percent, coverage_amount=amount,
            coverage_verified_on=self.verified_on.date().toPython(),
            coverage_verified_by=self.verified_by.text(), coverage_notes=self.notes.toPlainText(),
        )
        try:
            data = validate_insurance(data, self.services.today(), self.services.actor.display_name)
        except ValidationError as e:
            errors = {**e.errors, **errors}
        return data, errors

    def store(self, data: Insurance) -> PatientDetail:
        return self.services.billing.set_insurance(self.account.patient_id, data,
                                                   expected_version=self.account.patient_version)

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, runner: Runner, account: Account) -> PatientDetail | None:
        return cls.run(services, runner, account, parent=parent)
