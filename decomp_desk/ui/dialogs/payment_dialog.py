"""Record a payment or correct one: date, amount, method, a reference and, optionally, the course it is for."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from decomp_desk.bootstrap import Services
from decomp_desk.domain.billing import Account, PaymentInput, PaymentView, validate_payment_input
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.money import fmt_dollars, parse_money
from decomp_desk.domain.types import PaymentMethod
from decomp_desk.ui.dialogs.saving import SavingDialog
from decomp_desk.ui.forms import EnumCombo, chain_tab_order, date_edit, to_qdate
from decomp_desk.ui.workers import Runner

LABELS = {"paid_on": "Date", "amount": "Amount", "method": "Method", "reference": "Reference",
          "course_id": "Course"}
_PROBE = Decimal("1.00")  # stands in for an amount that did not parse, so the other fields are still checked


class PaymentDialog(SavingDialog):
    def __init__(self, services: Services, runner: Runner, account: Account, existing: PaymentView | None = None,
                 parent: QWidget | None = None):
        super().__init__(services, runner, parent,
                         save_text="Record payment" if existing is None else "Save changes")
        self.account, self.existing = account, existing
        self.setWindowTitle(f"{'Record a payment' if existing is None else 'Correct a payment'}: "
                            f"{account.patient_name} (chart {account.chart_number})")
        # No latest date: a future date is refused with the field named rather than silently clamped.
        self.paid_on = date_edit(latest=None, value=services.today())
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("e.g. 85.00")
        self.amount.setToolTip("In dollars, more than zero, at most two decimals")
        self.method = EnumCombo(PaymentMethod)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("Check number, card receipt or the insurer's claim number")
        self.course = QComboBox()
        self.course.addItem("Not for a particular course", None)
        for c in reversed(account.courses):
            self.course.addItem(f"{c.title} from {c.start_date.isoformat()} ({c.status.label.lower()})", c.course_id)
        owed = QLabel(f"Balance {'before this payment' if existing is None else 'now'}: "
                      f"{fmt_dollars(account.balance)}")

        form = QFormLayout()
        form.addRow("&Date:", self.paid_on)
        form.addRow("&Amount ($):", self.amount)
        form.addRow("&Method:", self.method)
        form.addRow("&Reference:", self.reference)
        form.addRow("&Course:", self.course)
        layout = QVBoxLayout(self)
        layout.addWidget(owed)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        order = [self.paid_on, self.amount, self.method, self.reference, self.course]
        chain_tab_order(order + [self.save_button])
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("m") * 44)

        if existing is not None:
            self._fill(existing.as_input())
        self.bind(dict(zip(LABELS, order)), LABELS)
        self.amount.setFocus()

    def _fill(self, p: PaymentInput) -> None:
        self.paid_on.setDate(to_qdate(p.paid_on))
        self.amount.setText(f"{p.amount:.2f}")
        self.method.set_current(p.method)
        self.reference.setText(p.reference)
        self.course.setCurrentIndex(max(0, self.course.findData(p.course_id)))

    def check(self) -> tuple[PaymentInput | None, dict[str, str]]:
        errors: dict[str, str] = {}
        try:
            amount = parse_money("amount", self.amount.text(), allow_zero=False)
        except ValidationError as e:
            errors.update(e.errors)
            amount = _PROBE
        data = PaymentInput(paid_on=self.paid_on.date().toPython(), amount=amount, method=self.method.current(),
                            reference=self.reference.text(), course_id=self.course.currentData())
        try:
            data = validate_payment_input(data, self.services.today())
        except ValidationError as e:
            errors = {**e.errors, **errors}  # the parse's words about the amount are the more exact
        return data, errors

    def store(self, data: PaymentInput) -> PaymentView:
        if self.existing is None:
            return self.services.billing.record_payment(self.account.patient_id, data)
        return self.services.billing.edit_payment(self.existing.id, data, expected_version=self.existing.version)

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, runner: Runner, account: Account,
            existing: PaymentView | None = None) -> PaymentView | None:
        return cls.run(services, runner, account, existing, parent=parent)
