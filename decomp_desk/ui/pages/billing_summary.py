"""The read-only parts of the Billing tab: the balance strip, the insurance on file and the course estimate.
Each shows a domain Account (or Estimate) as it is; nothing here asks the services."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from decomp_desk.domain.billing import Account, CourseAccount, Insurance, fmt_percent
from decomp_desk.domain.money import Discount, Estimate, fmt_dollars
from decomp_desk.domain.types import Coverage
from decomp_desk.ui.banner import Banner


def _value(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def balance_headline(a: Account) -> tuple[str, str]:
    """(tone, words) of the balance, as the statement says it."""
    if a.balance > 0:
        return "bad", f"Balance due: {fmt_dollars(a.balance)}"
    if a.balance < 0:
        return "info", f"Credit balance: {fmt_dollars(-a.balance)}"
    return "ok", "Balance due: $0.00 (paid in full)" if a.sessions_charged or a.payments else "Nothing charged yet"


def balance_breakdown(a: Account) -> str:
    parts = [f"Charges {fmt_dollars(a.charges)} for {a.sessions_charged} "
             f"session{'s' if a.sessions_charged != 1 else ''}"]
    if a.discounts:
        parts.append(f"discounts −{fmt_dollars(a.discounts)}")
    parts.append(f"payments −{fmt_dollars(a.paid)}" if a.paid else "no payments yet")
    voided = sum(1 for p in a.payments if p.voided)
    if voided:
        parts.append(f"{voided} voided payment{'s' if voided != 1 else ''} not counted")
    text = " · ".join(parts)
    if a.insurance_pending:
        text += (f"\nExpected from {a.insurance.insurer_label}: {fmt_dollars(a.insurance_pending)}; the patient's "
                 f"share once it pays: {fmt_dollars(a.balance - a.insurance_pending)}")
    return text


class BalanceStrip(QWidget):
    """The balance, large and coloured, with how it comes about."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.headline = Banner(self, "info", "Loading the account…")
        self.headline.setObjectName("balance_headline")
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.headline.setFont(font)
        self.breakdown = _value("balance_breakdown")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.headline)
        layout.addWidget(self.breakdown)

    def loading(self) -> None:
        self.headline.show_text("info", "Loading the account…")
        self.breakdown.clear()

    def show_account(self, a: Account) -> None:
        self.headline.show_text(*balance_headline(a))
        self.breakdown.setText(balance_breakdown(a))


class InsuranceBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None):
        super().__init__("Insurance", parent)
        self.warning = Banner(self, "warn", "Coverage not yet verified: call the insurer before the course starts. "
                                            "Until then the estimate counts on no insurance payment.")
        self.insurer, self.coverage = _value("insurer_value"), _value("coverage_value")
        self.verified, self.notes = _value("verified_value"), _value("insurance_notes_value")
        self.form = QFormLayout()
        for label, w in (("Insurer:", self.insurer), ("Coverage:", self.coverage), ("Verified:", self.verified),
                         ("Notes:", self.notes)):
            self.form.addRow(label, w)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.warning)
        self.layout_.addLayout(self.form)

    def show_insurance(self, ins: Insurance) -> None:
        policy = f" · member / policy {ins.policy_number}" if ins.policy_number else ""
        self.insurer.setText(ins.insurer_label + policy)
        self.coverage.setText(ins.coverage_text())
        if ins.verified:
            by = f" by {ins.coverage_verified_by}" if ins.coverage_verified_by else ""
            self.verified.setText(f"{ins.coverage_verified_on.isoformat() if ins.coverage_verified_on else ''}{by}")
        else:
            self.verified.setText("not yet")
        self.notes.setText(ins.coverage_notes or "–")
        self.warning.setVisible(not ins.verified and not ins.self_pay)


class EstimateBox(QGroupBox):
    """The course's expected cost (planned sessions x fee, less the discount, split by the coverage)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Estimate", parent)
        self.course = _value("estimate_course")
        self.planned, self.discount = _value("estimate_planned"), _value("estimate_discount")
        self.net, self.insurer = _value("estimate_net"), _value("estimate_insurer")
        self.patient = _value("estimate_patient")
        font = self.patient.font()
        font.setBold(True)
        self.patient.setFont(font)
        form = QFormLayout(self)
        form.addRow(self.course)
        form.addRow("Planned:", self.planned)
        form.addRow("Discount:", self.discount)
        form.addRow("After discount:", self.net)
        self.insurer_label = QLabel("Insurer's share:")
        form.addRow(self.insurer_label, self.insurer)
        form.addRow("Patient's share:", self.patient)

    def show_estimate(self, course_text: str, est: Estimate, discount: Discount, ins: Insurance) -> None:
        self.course.setText(course_text)
        self.planned.setText(f"{est.sessions} sessions × {fmt_dollars(est.fee_per_session)} = "
                             f"{fmt_dollars(est.gross)}")
        if est.discount:
            how = fmt_percent(discount.percent) if discount.percent else fmt_dollars(discount.amount or 0)
            self.discount.setText(f"−{fmt_dollars(est.discount)} ({how}, for paying the course in advance)")
        else:
            self.discount.setText("none")
        self.net.setText(fmt_dollars(est.net))
        self.insurer_label.setText("Insurer's share:" if ins.self_pay else f"{ins.insurer_label}'s share:")
        why = {Coverage.NOT_VERIFIED: " (coverage not yet verified: not counted on)",
               Coverage.NOT_COVERED: " (not covered)"}.get(est.coverage, "")
        self.insurer.setText("none (self-pay)" if ins.self_pay else fmt_dollars(est.insurer_share) + why)
        self.patient.setText(fmt_dollars(est.patient_share))


def course_line(c: CourseAccount) -> str:
    """'Lumbar course from 2026-03-02, active: 12 of 30 sessions charged'."""
    return (f"{c.title} from {c.start_date.isoformat()}, {c.status.label.lower()}: "
            f"{len(c.charges)} of {c.planned_sessions} sessions charged")
