"""The clinic's billing at a glance: who owes how much (a sortable list; double-click opens the patient)
and a month's totals (charged, received, outstanding)."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from decomp_desk.bootstrap import Services
from decomp_desk.domain.billing import BalanceRow, MonthTotals
from decomp_desk.domain.money import ZERO, fmt_dollars
from decomp_desk.ui.billing_models import BalanceTableModel
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.proxies import RowSortProxy
from decomp_desk.ui.table_models import SORT_ROLE
from decomp_desk.ui.table_views import list_view
from decomp_desk.ui.workers import Runner

MONTHS_BACK = 36
BALANCE_COLUMN = 5


def months_up_to(today: date, count: int = MONTHS_BACK) -> list[tuple[int, int]]:
    """(year, month) from today's month back, newest first."""
    y, m = today.year, today.month
    out = []
    for _ in range(count):
        out.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out


class OwingProxy(RowSortProxy):
    """Sorts on the model's sort values; with `owing_only`, keeps the patients whose balance is above zero."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.owing_only = True
        self.setSortRole(SORT_ROLE)

    def set_owing_only(self, on: bool) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later
            self.beginFilterChange()
            self.owing_only = on
            self.endFilterChange(RowSortProxy.Direction.Rows)
        else:
            self.owing_only = on
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not self.owing_only or self.sourceModel().row_at(source_row).balance > 0


def _figure(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    label.setFont(font)
    return label


class ClinicBillingWindow(QDialog):
    """Not modal: the front desk keeps it open beside the patient it opened from it."""

    open_requested = Signal(int)  # a patient id

    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.runner = services, runner
        self.setWindowTitle("Billing: who owes, and the month's totals")
        self.setModal(False)
        self.rows: list[BalanceRow] = []
        self.totals: MonthTotals | None = None
        self._loading = False

        self.month = QComboBox()
        self.month.setAccessibleName("Month")
        for y, m in months_up_to(services.today()):
            self.month.addItem(date(y, m, 1).strftime("%B %Y"), (y, m))
        month_label = QLabel("&Month:")
        month_label.setBuddy(self.month)
        self.charged, self.received = _figure("month_charged"), _figure("month_received")
        self.outstanding = _figure("month_outstanding")
        self.month_note = QLabel()
        self.month_note.setWordWrap(True)
        totals = QGroupBox("The month")
        form = QFormLayout()
        form.addRow("Charged:", self.charged)
        form.addRow("Received:", self.received)
        form.addRow("Outstanding:", self.outstanding)
        tv = QVBoxLayout(totals)
        pick = QHBoxLayout()
        pick.addWidget(month_label)
        pick.addWidget(self.month, 1)
        tv.addLayout(pick)
        tv.addLayout(form)
        tv.addWidget(self.month_note)
        tv.addStretch(1)

        self.model = BalanceTableModel(self)
        self.proxy = OwingProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = list_view(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Balances")
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.sortByColumn(BALANCE_COLUMN, Qt.SortOrder.DescendingOrder)
        self.owing_only = QCheckBox("&Only patients who owe")
        self.owing_only.setChecked(True)
        self.count = QLabel()
        self.count.setObjectName("owing_count")
        self.open_button = QPushButton("&Open patient")
        self.open_button.setAutoDefault(False)
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.setShortcut(QKeySequence.StandardKey.Refresh)
        balances = QGroupBox("Balances (double-click a patient to open them)")
        bv = QVBoxLayout(balances)
        bar = QHBoxLayout()
        bar.addWidget(self.owing_only)
        bar.addWidget(self.count, 1)
        bar.addWidget(self.open_button)
        bar.addWidget(self.refresh_button)
        bv.addLayout(bar)
        bv.addWidget(self.table, 1)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(balances, 1)
        body.addWidget(totals)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(close)
        em, line = self.fontMetrics().horizontalAdvance("m"), self.fontMetrics().height()
        totals.setMinimumWidth(em * 26)
        self.resize(em * 110, line * 44)

        self.month.currentIndexChanged.connect(lambda _: self.load_month())
        self.owing_only.toggled.connect(self._filter)
        self.table.activated.connect(self._open)  # Enter, or a double-click
        self.open_button.clicked.connect(lambda: self._open(self.table.currentIndex()))
        self.refresh_button.clicked.connect(self.reload)

    # --- loading ----------------------------------------------------------------------------------
    def reload(self, *, audit: bool = False) -> None:
        """`audit`: record the listing (when the view is opened; not when it is read again on coming back)."""
        if self._loading:
            return
        self._loading = True
        self.runner.submit(lambda: self.services.billing.balances(audit=audit), self._show_rows, self._failed,
                           parent=self, write=audit)
        self.load_month()

    def changeEvent(self, event: QEvent) -> None:
        # Back from the patient page (a payment recorded there, say): the figures are read again.
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self.isVisible():
            self.reload()

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        messages.show_error(self, messages.describe_error(exc))

    def load_month(self) -> None:
        y, m = self.month.currentData()
        self.runner.submit(lambda: self.services.billing.month_totals(y, m), self._show_totals,
                           parent=self, key="month")

    def _show_rows(self, rows: list[BalanceRow]) -> None:
        self._loading = False
        self.rows = rows
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self._count()

    def _show_totals(self, t: MonthTotals) -> None:
        self.totals = t
        discount = f", less {fmt_dollars(t.discounts)} discounts" if t.discounts else ""
        self.charged.setText(f"{fmt_dollars(t.net_charged)}")
        self.charged.setToolTip(f"{t.sessions} sessions at {fmt_dollars(t.charged)}{discount}")
        self.received.setText(fmt_dollars(t.received))
        self.outstanding.setText(fmt_dollars(t.outstanding))
        self.month_note.setText(
            f"{t.sessions} session{'s' if t.sessions != 1 else ''} charged {fmt_dollars(t.charged)}{discount}. "
            f"Received: payments dated in the month, voided ones left out. Outstanding: what "
            f"{t.patients_owing} patient{'s' if t.patients_owing != 1 else ''} owed at the month's end.")

    def _filter(self, on: bool) -> None:
        self.proxy.set_owing_only(on)
        self._count()

    def _count(self) -> None:
        owing = [r for r in self.rows if r.balance > 0]
        total = sum((r.balance for r in owing), ZERO)
        self.count.setText(f"{len(owing)} patient{'s' if len(owing) != 1 else ''} owe {fmt_dollars(total)} "
                           f"in all; {len(self.rows)} with an account.")

    def _open(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row = self.model.row_at(self.proxy.mapToSource(index))
        # The window steps aside: left open, it would stand in front of the patient it opened
        # (Ctrl+Shift+B brings it back as it was).
        self.hide()
        self.open_requested.emit(row.patient_id)
