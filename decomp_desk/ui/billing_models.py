"""Table models of the Billing tab and the clinic's billing view: charges, payments (a voided one stays
listed, struck through and greyed, with its reason) and each patient's balance."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from decomp_desk.domain.billing import PaymentView
from decomp_desk.domain.money import fmt_dollars
from decomp_desk.ui.table_models import ID_ROLE, RIGHT, Column, RowTableModel, iso

_ID = int(getattr(ID_ROLE, "value", ID_ROLE))
_FONT = int(Qt.ItemDataRole.FontRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)


def cents_key(amount: Decimal) -> int:
    """Money as a sort value: whole cents, exact (a Qt proxy cannot compare Python Decimals)."""
    return int(amount * 100)


class KeyedRowModel(RowTableModel):
    """A RowTableModel whose rows name their record by another attribute than `id`."""

    KEY = "id"

    def row_of(self, record_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if getattr(r, self.KEY) == record_id), -1)

    def _value(self, r: int, c: int, role: int) -> Any:
        if role == _ID:
            return getattr(self._rows[r], self.KEY)
        return super()._value(r, c, role)


class ChargeTableModel(KeyedRowModel):
    """One line per recorded session: the course's fee when the session was recorded."""

    KEY = "session_id"
    COLUMNS = (
        Column("Date", lambda c: iso(c.date)),
        Column("Description", lambda c: c.description),
        Column("Code", lambda c: c.code),
        Column("Amount", lambda c: fmt_dollars(c.amount), key=lambda c: cents_key(c.amount), align=RIGHT),
    )


def _payment_note(p: PaymentView) -> str:
    if not p.voided:
        return p.reference
    when = f" on {p.voided_at:%Y-%m-%d}" if p.voided_at else ""
    void = f"VOIDED by {p.voided_by}{when}: {p.void_reason}"
    return f"{void} (ref. {p.reference})" if p.reference else void


class PaymentTableModel(RowTableModel):
    """The patient's payments by date; a voided one counts for nothing but stays on the list."""

    COLUMNS = (
        Column("Date", lambda p: iso(p.paid_on)),
        Column("Amount", lambda p: fmt_dollars(p.amount), key=lambda p: cents_key(p.amount), align=RIGHT),
        Column("Method", lambda p: p.method.label),
        Column("Status", lambda p: "voided" if p.voided else "received",
               tone=lambda p: None if p.voided else "ok"),
        Column("Reference / note", _payment_note),
    )

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == _FONT and index.isValid():
            return self._font(index.row())
        return super().data(index, role)

    def multiData(self, index: QModelIndex | QPersistentModelIndex, roleDataSpan) -> None:
        super().multiData(index, roleDataSpan)
        if index.isValid():
            for rd in roleDataSpan:
                if rd.role() == _FONT:
                    font = self._font(index.row())
                    rd.setData(font) if font is not None else rd.clearData()

    def _value(self, r: int, c: int, role: int) -> Any:
        if role == _FOREGROUND and self._rows[r].voided:
            palette = QApplication.palette()
            return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        return super()._value(r, c, role)

    def _font(self, r: int) -> QFont | None:
        if not self._rows[r].voided:
            return None
        font = QFont(QApplication.font())
        font.setStrikeOut(True)
        return font


def fmt_balance(amount: Decimal) -> str:
    """'$120.00' owed, '$50.00 credit' (never '-$50.00 credit')."""
    return f"{fmt_dollars(-amount)} credit" if amount < 0 else fmt_dollars(amount)


class BalanceTableModel(KeyedRowModel):
    """Each patient with charges or payments: what they owe (a negative balance is a credit)."""

    KEY = "patient_id"
    COLUMNS = (
        Column("Chart", lambda b: b.chart_number,
               key=lambda b: b.chart_number.zfill(20) if b.chart_number.isdigit() else "~" + b.chart_number.casefold()),
        Column("Name", lambda b: b.name),
        Column("Sessions", lambda b: str(b.sessions_charged), key=lambda b: b.sessions_charged, align=RIGHT),
        Column("Charges", lambda b: fmt_dollars(b.charges), key=lambda b: cents_key(b.charges), align=RIGHT),
        Column("Payments", lambda b: fmt_dollars(b.payments), key=lambda b: cents_key(b.payments), align=RIGHT),
        Column("Balance", lambda b: fmt_balance(b.balance),
               key=lambda b: cents_key(b.balance), align=RIGHT,
               tone=lambda b: "bad" if b.balance > 0 else ("ok" if b.balance == 0 else "info")),
        # The balance split: what the insurer is expected to pay (by the coverage on file, not yet received)
        # and what is the patient's own to pay.
        Column("Insurer expected", lambda b: fmt_dollars(b.insurer_pending) if b.insurer_pending else "–",
               key=lambda b: cents_key(b.insurer_pending), align=RIGHT),
        Column("Patient owes", lambda b: fmt_balance(b.patient_share),
               key=lambda b: cents_key(b.patient_share), align=RIGHT),
        Column("Last payment", lambda b: iso(b.last_payment) or "none",
               key=lambda b: iso(b.last_payment)),
        Column("Last activity", lambda b: iso(b.last_activity)),
    )

