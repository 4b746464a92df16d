"""The audit trail, read-only, for administrators: who viewed, changed, printed which record, who signed
in, failed to, or locked the desk, and when.

The filters (user, action, chart number, a date range) are asked of the service, so a filter looks
through the whole trail, not just the rows on show; each query is itself recorded ('view_audit'), so
they run when a filter is chosen or Enter is pressed, not at every keystroke. 'Contains' narrows the
rows already loaded, without asking again."""
from __future__ import annotations

from datetime import UTC, date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from decomp_desk.bootstrap import Services
from decomp_desk.services.audit import AuditChoices, AuditRow
from decomp_desk.ui.forms import date_edit
from decomp_desk.ui.table_models import Column, RowTableModel
from decomp_desk.ui.table_views import sorted_table
from decomp_desk.ui.workers import Runner

LIMIT = 2000
ALERTS = frozenset({"login_failed", "account_locked", "unlock_failed", "password_change_failed"})


def _when_key(e: AuditRow) -> str:
    """A text, which Qt compares: the UTC time, then the id for events of the same microsecond."""
    return f"{e.at.astimezone(UTC):%Y%m%d%H%M%S%f}{e.id:012d}"


def _record(e: AuditRow) -> str:
    """A patient by their chart number (the database's id means nothing at the desk); others by their id."""
    if e.entity == "patient" and e.chart_number:
        return f"patient {e.chart_number}"
    return f"{e.entity} {e.entity_id}" if e.entity_id is not None else e.entity


class AuditTableModel(RowTableModel):
    COLUMNS = (
        Column("When", lambda e: e.local_time, key=_when_key),
        Column("User", lambda e: e.actor),
        Column("Action", lambda e: e.action, tone=lambda e: "bad" if e.action in ALERTS else None),
        Column("Record", _record),
        Column("Chart", lambda e: e.chart_number),
        Column("Detail", lambda e: e.detail),
    )


def _qdate_to_date(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


class AuditView(QWidget):
    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.runner = services, runner
        self._query = 0
        self.user = QComboBox()
        self.user.setAccessibleName("User")
        self.action = QComboBox()
        self.action.setAccessibleName("Action")
        for combo, everything in ((self.user, "Everyone"), (self.action, "Every action")):
            combo.addItem(everything, None)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(16)
        self.chart = QLineEdit()
        self.chart.setPlaceholderText("any patient")
        self.chart.setClearButtonEnabled(True)
        today = services.today()
        self.since_on = QCheckBox("&From:")
        self.since = date_edit(value=today - timedelta(days=30))
        self.until_on = QCheckBox("&To:")
        self.until = date_edit(value=today)
        self.since.setEnabled(False)
        self.until.setEnabled(False)
        self.show_button = QPushButton("&Show")
        self.show_button.setToolTip("Look up the events these filters name (Enter)")
        self.contains = QLineEdit()
        self.contains.setPlaceholderText("narrow the rows on show: any text")
        self.contains.setClearButtonEnabled(True)
        self.count = QLabel()
        self.count.setObjectName("audit_count")

        self.model = AuditTableModel(self)
        self.proxy, self.table = sorted_table(self.model, "Audit trail", Qt.SortOrder.DescendingOrder, self)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        grid = QGridLayout()
        labels = (("&User:", self.user), ("&Action:", self.action), ("C&hart number:", self.chart))
        for col, (text, w) in enumerate(labels):
            label = QLabel(text)
            label.setBuddy(w)
            grid.addWidget(label, 0, col * 2)
            grid.addWidget(w, 0, col * 2 + 1)
        dates = QHBoxLayout()
        for w in (self.since_on, self.since, self.until_on, self.until):
            dates.addWidget(w)
        dates.addStretch(1)
        dates.addWidget(self.show_button)
        grid.addLayout(dates, 1, 0, 1, 6)
        narrow = QHBoxLayout()
        contains_label = QLabel("Co&ntains:")
        contains_label.setBuddy(self.contains)
        narrow.addWidget(contains_label)
        narrow.addWidget(self.contains, 1)
        narrow.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.table, 1)
        layout.addLayout(narrow)

        # Any change of choice, by mouse or keyboard (the lists are refilled with signals blocked).
        self.user.currentIndexChanged.connect(lambda *_: self.reload())
        self.action.currentIndexChanged.connect(lambda *_: self.reload())
        self.chart.returnPressed.connect(self.reload)
        self.show_button.clicked.connect(self.reload)
        for box, edit in ((self.since_on, self.since), (self.until_on, self.until)):
            box.toggled.connect(edit.setEnabled)
            box.toggled.connect(lambda *_: self.reload())
            edit.editingFinished.connect(lambda box=box: box.isChecked() and self.reload())
        self.contains.textChanged.connect(self._narrow)

    # --- loading ---------------------------------------------------------------------------------------
    def filters(self) -> dict:
        return {"actor": self.user.currentData(), "action": self.action.currentData(),
                "chart_number": self.chart.text().strip() or None,
                "since": _qdate_to_date(self.since.date()) if self.since_on.isChecked() else None,
                "until": _qdate_to_date(self.until.date()) if self.until_on.isChecked() else None}

    def reload(self) -> None:
        self._query += 1
        query, filters, audit = self._query, self.filters(), self.services.audit
        self.count.setText("Looking up…")
        # A write: reading the trail records itself in it, and two at once would race on SQLite.
        self.runner.submit(lambda: (audit.choices(), audit.events(limit=LIMIT, **filters)),
                           lambda got: self._show(query, *got), self._failed, write=True, parent=self)

    def _failed(self, exc: BaseException) -> None:
        from decomp_desk.ui.dialogs import messages

        self.count.setText("Not loaded.")
        messages.show_error(self, messages.describe_error(exc))

    def _show(self, query: int, choices: AuditChoices, rows: list[AuditRow]) -> None:
        if query != self._query:  # a later filter is on its way
            return
        self._offer(self.user, choices.actors)
        self._offer(self.action, choices.actions)
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self._narrow()

    @staticmethod
    def _offer(combo: QComboBox, values: tuple[str, ...]) -> None:
        """The values in the trail, keeping the one chosen."""
        chosen = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for v in values:
            combo.addItem(v, v)
        if chosen is not None and combo.findData(chosen) < 0:
            combo.addItem(chosen, chosen)
        combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)
        combo.blockSignals(False)

    def _narrow(self) -> None:
        self.proxy.setFilterFixedString(self.contains.text().strip())
        shown, loaded = self.proxy.rowCount(), self.model.rowCount()
        text = f"{loaded:,} event{'s' * (loaded != 1)}"
        if loaded >= LIMIT:
            text = f"the newest {LIMIT:,} events (narrow the filters to see older ones)"
        self.count.setText(text if shown == loaded else f"{shown:,} of {text}")

    def rows_on_show(self) -> list[AuditRow]:
        return [self.model.row_at(self.proxy.mapToSource(self.proxy.index(r, 0))) for r in range(self.proxy.rowCount())]


class AuditDialog(QDialog):
    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Audit trail")
        self.view = AuditView(services, runner, self)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        # Enter in the chart number looks it up; it must not also press a default button (Close).
        for button in [*close.buttons(), self.view.show_button]:
            button.setAutoDefault(False)
            button.setDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(close)
        self.resize(self.fontMetrics().horizontalAdvance("m") * 110, self.fontMetrics().height() * 36)
        self.view.reload()

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, runner: Runner) -> None:
        dialog = cls(services, runner, parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
