"""Void a payment entered in error: it stays on the account, struck through, with the reason given here."""
from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from decomp_desk.bootstrap import Services
from decomp_desk.domain.billing import PaymentView
from decomp_desk.domain.money import fmt_dollars
from decomp_desk.ui.dialogs.saving import SavingDialog
from decomp_desk.ui.forms import plain_text
from decomp_desk.ui.workers import Runner

LABELS = {"reason": "Reason"}
MAX_REASON = 400


class VoidPaymentDialog(SavingDialog):
    def __init__(self, services: Services, runner: Runner, payment: PaymentView, patient_name: str = "",
                 parent: QWidget | None = None):
        super().__init__(services, runner, parent, save_text="Void payment")
        self.payment = payment
        self.setWindowTitle(f"Void a payment{': ' + patient_name if patient_name else ''}")
        what = QLabel(f"Void the {payment.method.label.lower()} payment of {fmt_dollars(payment.amount)} "
                      f"received on {payment.paid_on.isoformat()}"
                      f"{' (' + payment.reference + ')' if payment.reference else ''}?\n"
                      "It stays on the account and the statement, struck through, and no longer counts.")
        what.setWordWrap(True)
        self.reason = plain_text(3)
        self.reason.setPlaceholderText("e.g. entered twice; the check bounced")
        form = QFormLayout()
        form.addRow("&Reason:", self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("m") * 42)
        self.bind({"reason": self.reason}, LABELS)
        self.reason.setFocus()

    def check(self) -> tuple[str, dict[str, str]]:
        reason = " ".join(self.reason.toPlainText().split())
        if not reason:
            return reason, {"reason": "is required (say why the payment is voided)"}
        if len(reason) > MAX_REASON:
            return reason, {"reason": f"must be at most {MAX_REASON} characters"}
        return reason, {}

    def store(self, reason: str) -> PaymentView:
        return self.services.billing.void_payment(self.payment.id, reason, expected_version=self.payment.version)

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, runner: Runner, payment: PaymentView,
            patient_name: str = "") -> PaymentView | None:
        return cls.run(services, runner, payment, patient_name, parent=parent)
