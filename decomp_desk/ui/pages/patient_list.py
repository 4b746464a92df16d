"""The patient list: search as you type, sortable columns, Enter or double-click opens a patient."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from decomp_desk.bootstrap import Services
from decomp_desk.domain.op_changes import Changes
from decomp_desk.services.dto import PatientRow
from decomp_desk.ui.banner import Banner
from decomp_desk.ui.proxies import PatientFilterProxy
from decomp_desk.ui.table_models import ID_ROLE, PatientTableModel
from decomp_desk.ui.table_views import list_view
from decomp_desk.ui.workers import Runner

AFTER_PAINT_MS = 150


class PatientListPage(QWidget):
    open_requested = Signal(int)  # a patient id
    loaded = Signal()

    def __init__(self, services: Services, runner: Runner, new_patient: QAction, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.runner = services, runner
        self._select_after_load: int | None = None

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name, chart number or phone  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search patients")
        self.show_archived = QCheckBox("Show a&rchived")
        self.count = QLabel()
        new_button = QToolButton()
        new_button.setDefaultAction(new_patient)
        new_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

        self.model = PatientTableModel(self)
        # What the filled list does not need to be shown waits until it has been painted (and until any
        # typing in the search field pauses: _search): the last column's read (every active course's due
        # sessions; begun at once, its worker took the interpreter from the UI thread half the time while
        # the ten thousand rows were being shown) and the search keys.
        self.after_paint = QTimer(self)
        self.after_paint.setSingleShot(True)
        self.after_paint.setInterval(AFTER_PAINT_MS)
        self.after_paint.timeout.connect(self._reload_missing_forms)
        self.after_paint.timeout.connect(self.model.make_search_keys)
        self.proxy = PatientFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = list_view()
        self.table.setModel(self.proxy)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.table.setAccessibleName("Patients")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        em = self.fontMetrics().horizontalAdvance("m")
        for col, chars in ((0, 8), (1, 24), (2, 11), (4, 7), (5, 11)):
            header.resizeSection(col, em * chars)
        header.resizeSection(6, em * 14)  # the outcome form missing at which sessions
        self.hint = Banner(self, "info")
        self.hint.hide()

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.show_archived)
        bar.addWidget(self.count)
        bar.addWidget(new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)

        self.search.textChanged.connect(self._search)
        self.search.returnPressed.connect(self._open_current_or_first)
        self.search.installEventFilter(self)
        self.show_archived.toggled.connect(lambda _: self.reload())
        self.table.activated.connect(self._open_index)

    # --- loading -----------------------------------------------------------------------------------
    def reload(self, select_id: int | None = None, *, audit: bool = False) -> None:
        """`audit`: record the listing (the first list after a sign-in shows the whole clinic to them)."""
        include = self.show_archived.isChecked()
        self._select_after_load = select_id if select_id is not None else self.current_patient_id()
        self.runner.submit(lambda: self.services.patients.list(include_archived=include, audit=audit), self._fill,
                           parent=self, write=audit)

    def _reload_missing_forms(self) -> None:
        """The list's last column: each patient's missing re-exam forms (signed in only)."""
        if self.services.actor.roles:
            self.runner.submit(self.services.outcomes.missing_by_patient, self.model.set_missing_forms, parent=self,
                               key=("missing_forms",))

    def op_executed(self, changes: Changes) -> None:
        """After a save: the row of the patient it changed, or only the column of missing forms."""
        if changes.patient_id is not None and changes.list_row:
            self.refresh_patient(changes.patient_id)
        elif changes.missing_forms:
            self._reload_missing_forms()

    def refresh_patient(self, patient_id: int) -> None:
        """After a save that changed one patient: their row alone is read again and put in place."""
        self.runner.submit(lambda: self.services.patients.row(patient_id), self._put, parent=self,
                           key=("row", patient_id))
        self._reload_missing_forms()

    def _put(self, row: PatientRow) -> None:
        if row.archived and not self.show_archived.isChecked():
            self.reload()  # an archived patient leaves the list; a rare save, read the list again
            return
        self.model.put_row(row)
        self.select_patient(row.id)
        self._update_count()

    def _fill(self, rows: list[PatientRow]) -> None:
        self.model.set_rows(rows)
        if self._select_after_load is not None:
            self.select_patient(self._select_after_load)
        self._update_count()
        self.after_paint.start()
        self.loaded.emit()

    def select_patient(self, patient_id: int) -> bool:
        row = self.model.row_of(patient_id)
        index = self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else None
        if index is None or not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    # --- searching and opening -------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _search(self, text: str) -> None:
        if self.after_paint.isActive():
            # Someone is typing before the list's own reads have begun: they wait until the typing pauses.
            # On SQLite the missing forms' read works in this process, and run beside the keystrokes it
            # took the interpreter from each of them (a keystroke's filter went from 6 to 15 ms).
            self.after_paint.start()
        self.proxy.set_search(text)
        if self.proxy.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._update_count()

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        noun = "patient" if total == 1 else "patients"
        self.count.setText(f"{shown:,} of {total:,} {noun}" if shown != total else f"{total:,} {noun}")
        if total == 0:
            self.hint.show_text("info", "No patients yet. Press Ctrl+N (or New patient) to register the first one.")
        elif shown == 0:
            self.hint.show_text("info", f"No patient matches “{self.search.text().strip()}”. "
                                        "Search by name, chart number or phone.")
        self.hint.setVisible(total == 0 or shown == 0)

    def forget_search(self) -> None:
        """After a sign-out: no search text and no row chosen (a patient's name is not left on show)."""
        self.search.clear()
        self.table.clearSelection()

    def current_patient_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isSelected(index):
            rows = self.table.selectionModel().selectedRows()
            if not rows:
                return None
            index = rows[0]
        return index.data(ID_ROLE)

    def _open_index(self, index) -> None:
        if index.isValid():
            self.open_requested.emit(index.data(ID_ROLE))

    def _open_current_or_first(self) -> None:
        patient_id = self.current_patient_id()
        if patient_id is None and self.proxy.rowCount():
            patient_id = self.proxy.index(0, 0).data(ID_ROLE)
        if patient_id is not None:
            self.open_requested.emit(patient_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Down and self.proxy.rowCount():
                # The first Down selects the next row, as the front desk expects: the top row is already
                # highlighted as they type, so moving only the focus left Enter to open the top one.
                rows = self.table.selectionModel().selectedRows()
                row = min(rows[0].row() + 1, self.proxy.rowCount() - 1) if rows else 0
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                self.table.selectRow(row)
                self.table.scrollTo(self.proxy.index(row, 0))
                return True
        return super().eventFilter(watched, event)
