"""Billing: the balance, the insurance on file, the course estimate, the charges and the payments (record,
correct, void), and the printed estimate and statement.

The patient's Account comes with the page's one read, and is read again with whatever else a save
changed (a session's charge, a course's fee), so the balance always agrees with the sessions and courses
shown beside it."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from decomp_desk.bootstrap import Services
from decomp_desk.domain.billing import Account, CourseAccount, PaymentView
from decomp_desk.domain.money import Discount, fmt_dollars
from decomp_desk.domain.types import Role
from decomp_desk.ui.billing_models import ChargeTableModel, PaymentTableModel
from decomp_desk.ui.dialogs.insurance_dialog import InsuranceDialog
from decomp_desk.ui.dialogs.payment_dialog import PaymentDialog
from decomp_desk.ui.dialogs.void_payment_dialog import VoidPaymentDialog
from decomp_desk.ui.page_printer import PagePrinter, PageRequest, estimate_request, statement_request
from decomp_desk.ui.pages.billing_summary import BalanceStrip, EstimateBox, InsuranceBox, course_line
from decomp_desk.ui.patient_file import PatientFile
from decomp_desk.ui.table_views import sorted_table
from decomp_desk.ui.workers import Runner

MONEY_ROLES = (Role.FRONT_DESK, Role.ADMINISTRATOR)


def _button(text: str, tip: str, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button


class BillingTab(QWidget):
    changed = Signal(str, object)  # a status message and what the save changed (domain.op_changes.Changes)
    status = Signal(str)  # a status message about something that changed nothing (a PDF written)
    loaded = Signal()  # the account on show is the latest

    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.runner = services, runner
        self.file: PatientFile | None = None
        self.account: Account | None = None
        self._keep_payment: int | None = None
        self.printer = PagePrinter(services, runner, self)
        self.printer.done.connect(self.status)

        self.balance = BalanceStrip(self)
        self.insurance = InsuranceBox(self)
        self.estimate = EstimateBox(self)
        self.insurance_button = _button("Edit ins&urance…", "Record what the insurer said (coverage, share)",
                                        self.edit_insurance)
        self.print_estimate_button = _button("Print es&timate…", "Preview and print the cost estimate",
                                             self.print_estimate)
        self.estimate_pdf_button = _button("Estimate as PDF…", "Save the cost estimate as a PDF file",
                                           self.save_estimate_pdf)
        self.print_statement_button = _button("Print state&ment…", "Preview and print the patient's statement",
                                              self.print_statement)
        self.statement_pdf_button = _button("Statement as PDF…", "Save the statement as a PDF file",
                                            self.save_statement_pdf)
        self.record_button = _button("Re&cord payment…", "Record a payment received", self.record_payment)
        self.edit_button = _button("&Edit payment…", "Correct the selected payment", self.edit_payment)
        self.void_button = _button("Voi&d payment…", "Void the selected payment (it stays listed, not counted)",
                                   self.void_payment)

        self.charges_model = ChargeTableModel(self)
        self.charges_proxy, self.charges_table = sorted_table(self.charges_model, "Charges",
                                                              Qt.SortOrder.AscendingOrder, self)
        self.discounts = QLabel()
        self.discounts.setObjectName("course_discounts")
        self.discounts.setWordWrap(True)
        self.payments_model = PaymentTableModel(self)
        self.payments_proxy, self.payments_table = sorted_table(self.payments_model, "Payments",
                                                                Qt.SortOrder.AscendingOrder, self)
        self.no_payments = QLabel("No payments yet.")

        top = QHBoxLayout()
        top.addWidget(self.balance, 1)
        prints = QVBoxLayout()
        for pair in ((self.print_estimate_button, self.estimate_pdf_button),
                     (self.print_statement_button, self.statement_pdf_button)):
            row = QHBoxLayout()
            for b in pair:
                row.addWidget(b)
            prints.addLayout(row)
        top.addLayout(prints)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.insurance)
        insurance_row = QHBoxLayout()
        insurance_row.addWidget(self.insurance_button)
        insurance_row.addStretch(1)
        lv.addLayout(insurance_row)
        lv.addWidget(self.estimate)
        lv.addStretch(1)

        charges = QGroupBox("Charges (one per recorded session)")
        cv = QVBoxLayout(charges)
        cv.addWidget(self.charges_table, 1)
        cv.addWidget(self.discounts)
        payments = QGroupBox("Payments")
        pv = QVBoxLayout(payments)
        buttons = QHBoxLayout()
        for b in (self.record_button, self.edit_button, self.void_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        pv.addLayout(buttons)
        pv.addWidget(self.no_payments)
        pv.addWidget(self.payments_table, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(charges)
        right.addWidget(payments)
        right.setChildrenCollapsible(False)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        em = self.fontMetrics().horizontalAdvance("m")
        left.setMinimumWidth(em * 36)
        split.setSizes([em * 40, em * 80])
        header = self.charges_table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the description takes the spare width
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

        self.payments_table.selectionModel().selectionChanged.connect(lambda *_: self.update_buttons())
        self.payments_table.activated.connect(lambda _: self.edit_payment())
        self.update_buttons()

    # --- showing ----------------------------------------------------------------------------------
    def show_file(self, f: PatientFile) -> None:
        if self.file is None or self.file.patient.id != f.patient.id:
            self.account = None
            self._keep_payment = None
            self.balance.loading()
            self.charges_model.set_rows([])
            self.payments_model.set_rows([])
        elif self._keep_payment is None:
            selected = self.selected_payment()
            self._keep_payment = selected.id if selected else None
        self.file = f
        self.update_buttons()
        self._show_account(f.account)  # read with the rest of the page, in the same transaction

    def _show_account(self, a: Account) -> None:
        self.account = a
        self.balance.show_account(a)
        self.insurance.show_insurance(a.insurance)
        self._show_estimate(a)
        self.charges_model.set_rows(a.charge_lines)
        self.charges_table.resizeColumnsToContents()
        discounted = [c for c in a.courses if c.has_discount]
        self.discounts.setText("\n".join(f"{c.title}: {c.discount_description()}: −{fmt_dollars(c.discount_amount)}"
                                          for c in discounted))
        self.discounts.setVisible(bool(discounted))
        self.payments_model.set_rows(a.payments)
        self.payments_table.resizeColumnsToContents()
        self.no_payments.setVisible(not a.payments)
        keep, self._keep_payment = self._keep_payment, None
        row = self.payments_model.row_of(keep) if keep is not None else -1
        if row >= 0:
            self.payments_table.selectRow(self.payments_proxy.mapFromSource(self.payments_model.index(row, 0)).row())
        self.update_buttons()
        self.loaded.emit()

    def estimate_course(self) -> CourseAccount | None:
        """The course the estimate is for: the patient's current course, else none (a course to come)."""
        if self.account is None or self.file is None:
            return None
        wanted = self.file.current_course_id
        return next((c for c in self.account.courses if c.course_id == wanted), None)

    def _show_estimate(self, a: Account) -> None:
        course = self.estimate_course()
        if course is not None:
            est = a.insurance.estimate(course.planned_sessions, course.fee_per_session, course.discount)
            self.estimate.show_estimate(course_line(course), est, course.discount, a.insurance)
        else:
            clinic = self.file.clinic
            est = a.insurance.estimate(clinic.default_planned_sessions, clinic.default_fee)
            self.estimate.show_estimate("No course yet: a course at the clinic's usual number of sessions and fee.",
                                        est, Discount(), a.insurance)

    def selected_payment(self) -> PaymentView | None:
        rows = self.payments_table.selectionModel().selectedRows()
        return self.payments_model.row_at(self.payments_proxy.mapToSource(rows[0])) if rows else None

    def update_buttons(self) -> None:
        loaded = self.account is not None
        may = any(self.services.actor.has(r) for r in MONEY_ROLES)
        why = "" if may else " (only the front desk or an administrator may)"
        self.insurance_button.setEnabled(loaded and may)
        self.insurance_button.setToolTip("Record what the insurer said (coverage, share)" + why)
        self.record_button.setEnabled(loaded and may)
        self.record_button.setToolTip("Record a payment received" + why)
        payment = self.selected_payment() if loaded else None
        live = payment is not None and not payment.voided
        self.edit_button.setEnabled(may and live)
        self.void_button.setEnabled(may and live)
        reason = "Select a payment first" if payment is None else "The payment is voided"
        self.edit_button.setToolTip("Correct the selected payment" + ("" if live else f": {reason}") + why)
        self.void_button.setToolTip("Void the selected payment (it stays listed, not counted)"
                                    + ("" if live else f": {reason}") + why)
        for b in (self.print_estimate_button, self.estimate_pdf_button, self.print_statement_button,
                  self.statement_pdf_button):
            b.setEnabled(loaded)

    # --- saving -----------------------------------------------------------------------------------
    def edit_insurance(self) -> None:
        if self.account is None:
            return
        saved = InsuranceDialog.ask(self, self.services, self.runner, self.account)
        if saved is not None:
            self.changed.emit(f"Insurance of {saved.full_name} saved.", saved.changes)

    def record_payment(self) -> None:
        if self.account is None:
            return
        paid = PaymentDialog.ask(self, self.services, self.runner, self.account)
        if paid is not None:
            self._keep_payment = paid.id
            self.changed.emit(f"Payment of {fmt_dollars(paid.amount)} ({paid.method.label.lower()}) recorded.",
                              paid.changes)

    def edit_payment(self) -> None:
        payment = self.selected_payment()
        if self.account is None or payment is None or payment.voided:
            return
        paid = PaymentDialog.ask(self, self.services, self.runner, self.account, existing=payment)
        if paid is not None:
            self._keep_payment = paid.id
            self.changed.emit(f"Payment of {paid.paid_on.isoformat()} saved: {fmt_dollars(paid.amount)}.", paid.changes)

    def void_payment(self) -> None:
        payment = self.selected_payment()
        if self.account is None or payment is None or payment.voided:
            return
        voided = VoidPaymentDialog.ask(self, self.services, self.runner, payment, self.account.patient_name)
        if voided is not None:
            self._keep_payment = voided.id
            self.changed.emit(f"Payment of {fmt_dollars(voided.amount)} of {voided.paid_on.isoformat()} voided.",
                              voided.changes)

    # --- printed pages ----------------------------------------------------------------------------
    def _estimate(self) -> PageRequest:
        course = self.estimate_course()
        return estimate_request(self.services, self.account.chart_number,
                                course.course_id if course is not None else None)

    def print_estimate(self) -> None:
        if self.account is not None:
            self.printer.preview(self._estimate())

    def save_estimate_pdf(self) -> None:
        if self.account is not None:
            self.printer.save_pdf(self._estimate())

    def print_statement(self) -> None:
        if self.account is not None:
            self.printer.preview(statement_request(self.services, self.account.chart_number))

    def save_statement_pdf(self) -> None:
        if self.account is not None:
            self.printer.save_pdf(statement_request(self.services, self.account.chart_number))
