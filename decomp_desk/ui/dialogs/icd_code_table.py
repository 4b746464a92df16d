"""The clinic's ICD-10-CM short list as an editable table: the Settings dialog's Diagnosis codes tab.

A code already saved keeps its code (courses carry it by that code); the clinic corrects its
description or region, or takes it out of use. A code typed in error before saving can be removed."""
from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from decomp_desk.domain.billing import DiagnosisCode
from decomp_desk.domain.types import Region
from decomp_desk.ui import theme

CODE, DESCRIPTION, REGION, ACTIVE = range(4)
HEADERS = ("Code", "Description", "Region", "In use")
PARTS = {"code": CODE, "description": DESCRIPTION}
REGION_TEXT = {None: "Any region", Region.LUMBAR: "Lumbar", Region.CERVICAL: "Cervical"}
ROW_ERROR = re.compile(r"^row (\d+) (code|description)$")  # the keys validate_icd_codes names rows by

Index = QModelIndex | QPersistentModelIndex


def row_error(key: str) -> tuple[int, int] | None:
    """'row 3 code' -> (2, CODE): the model row and column a validation error is about."""
    match = ROW_ERROR.match(key)
    return (int(match.group(1)) - 1, PARTS[match.group(2)]) if match else None


@dataclass
class CodeRow:
    code: str
    description: str
    region: Region | None
    active: bool = True
    saved: bool = False  # on the list in the database: its code is fixed
    touched: bool = False  # edited since the dialog opened: its mistakes are shown as they are typed


class IcdCodeModel(QAbstractTableModel):
    """The list in the order it is saved in, so the validator's "row 3" is the table's third row."""

    edited = Signal(int)  # the row the user changed

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[CodeRow] = []
        self.errors: dict[tuple[int, int], str] = {}

    # --- filling and reading ---------------------------------------------------------------------
    def set_codes(self, codes: list[DiagnosisCode]) -> None:
        self.beginResetModel()
        self.rows = [CodeRow(c.code, c.description, c.region, c.active, saved=True) for c in codes]
        self.errors = {}
        self.endResetModel()

    def codes(self) -> list[DiagnosisCode]:
        return [DiagnosisCode(r.code, r.description, r.region, r.active) for r in self.rows]

    # --- the user's edits --------------------------------------------------------------------------
    def add_row(self, region: Region | None) -> int:
        n = len(self.rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self.rows.append(CodeRow("", "", region, touched=False))
        self.endInsertRows()
        return n

    def remove_row(self, row: int) -> None:
        """Only a code not saved yet: a saved one is taken out of use instead (courses may carry it)."""
        if self.rows[row].saved:
            raise ValueError("a saved code is taken out of use, not removed")
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.rows[row]
        self.errors = {}  # the rows below moved up; the dialog checks again and marks them anew
        self.endRemoveRows()
        self.edited.emit(-1)

    def set_active(self, row: int, on: bool) -> None:
        self.setData(self.index(row, ACTIVE), Qt.CheckState.Checked if on else Qt.CheckState.Unchecked,
                     Qt.ItemDataRole.CheckStateRole)

    def set_errors(self, errors: dict[str, str]) -> None:
        """Mark the cells named by validation keys ('row 3 code'); other keys are not about the table."""
        marked = {}
        for key, message in errors.items():
            where = row_error(key)
            if where is not None and where[0] < len(self.rows):
                marked[where] = message
        if marked != self.errors:
            self.errors = marked
            if self.rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, ACTIVE))

    # --- Qt's model interface ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section] if orientation == Qt.Orientation.Horizontal else str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        row, col = self.rows[index.row()], index.column()
        if col == ACTIVE:
            return flags | Qt.ItemFlag.ItemIsUserCheckable
        if col == CODE and row.saved:
            return flags
        return flags | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], index.column()
        error = self.errors.get((index.row(), col))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == CODE:
                return row.code
            if col == DESCRIPTION:
                return row.description
            if col == REGION:
                return REGION_TEXT[row.region] if role == Qt.ItemDataRole.DisplayRole else (
                    row.region.value if row.region else "")
            return None
        if role == Qt.ItemDataRole.CheckStateRole and col == ACTIVE:
            return Qt.CheckState.Checked if row.active else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            if error:
                return f"{HEADERS[col]}: {error}"
            if col == CODE and row.saved:
                return "A saved code stays as it is (courses carry it); take it out of use and add the right one."
            if col == ACTIVE:
                return ("On the clinic's list" if row.active else
                        "Out of use: off the list; courses that carry it still print its description")
            return None
        if role == Qt.ItemDataRole.BackgroundRole and error:
            return QColor(theme.tone_colours("bad")[0])
        if role == Qt.ItemDataRole.ForegroundRole:
            if error:
                return QColor(theme.tone_colours("bad")[1])
            if not row.active:
                return QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        row, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == ACTIVE:
            row.active = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role == Qt.ItemDataRole.EditRole and col == CODE and not row.saved:
            row.code = str(value).strip().upper()
        elif role == Qt.ItemDataRole.EditRole and col == DESCRIPTION:
            row.description = str(value)
        elif role == Qt.ItemDataRole.EditRole and col == REGION:
            row.region = Region(value) if value else None
        else:
            return False
        row.touched = True
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), ACTIVE))
        self.edited.emit(index.row())
        return True


class RegionDelegate(QStyledItemDelegate):
    """The Region column is edited with a choice of Any region, Lumbar or Cervical."""

    def createEditor(self, parent: QWidget, option, index: Index) -> QWidget:
        box = QComboBox(parent)
        for region, text in REGION_TEXT.items():
            box.addItem(text, region.value if region else "")
        box.activated.connect(lambda *_: self.commitData.emit(box))
        return box

    def setEditorData(self, editor: QComboBox, index: Index) -> None:
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QComboBox, model, index: Index) -> None:
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class RegionFilter(QSortFilterProxyModel):
    """Rows of one region (and those for any region); all rows when no region is chosen."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.region: Region | None = None

    def set_region(self, region: Region | None) -> None:
        self.beginFilterChange()
        self.region = region
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self.region is None:
            return True
        row = self.sourceModel().rows[source_row]
        return row.region in (None, self.region) or not row.saved and not row.code


class IcdCodeEditor(QWidget):
    """The table with its region filter and the buttons to add a code and to take one out of use."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = IcdCodeModel(self)
        self.proxy = RegionFilter(self)
        self.proxy.setSourceModel(self.model)
        intro = QLabel("The clinic's short list of ICD-10-CM codes for the indications it treats, by region. "
                       "Statements and estimates print each course's codes with these descriptions; a code taken "
                       "out of use leaves the list, and the courses that carry it still print it.")
        intro.setWordWrap(True)
        self.region = QComboBox()
        self.region.addItem("All regions", "")
        for region in Region:
            self.region.addItem(REGION_TEXT[region], region.value)
        self.region.setToolTip("Show the codes for one region (codes for any region show under both)")
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setItemDelegateForColumn(REGION, RegionDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(CODE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(REGION, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ACTIVE, QHeaderView.ResizeMode.ResizeToContents)
        self.add_button = QPushButton("&Add code")
        self.add_button.setToolTip("A new row at the end; type the code, then its description")
        self.toggle_button = QPushButton("&Deactivate")
        hint = QLabel("Double-click or type on a cell to change it.")
        hint.setEnabled(False)

        top = QHBoxLayout()
        top.addWidget(QLabel("Show:"))
        top.addWidget(self.region)
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.toggle_button)
        buttons.addStretch(1)
        buttons.addWidget(hint)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.region.currentIndexChanged.connect(self._filter)
        self.add_button.clicked.connect(self.add_code)
        self.toggle_button.clicked.connect(self.toggle_selected)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._follow_selection())
        self.model.edited.connect(lambda _row: self.edited.emit())
        self.model.dataChanged.connect(lambda *_: self._follow_selection())
        self._follow_selection()

    # --- what the buttons do -----------------------------------------------------------------------
    def add_code(self) -> None:
        region = Region(self.region.currentData()) if self.region.currentData() else None
        row = self.model.add_row(region)
        self.select_row(row)
        self.table.edit(self.table.currentIndex())

    def current_row(self) -> int | None:
        index = self.table.currentIndex()
        return self.proxy.mapToSource(index).row() if index.isValid() else None

    def toggle_selected(self) -> None:
        row = self.current_row()
        if row is None:
            return
        code = self.model.rows[row]
        if not code.saved:
            self.model.remove_row(row)
        else:
            self.model.set_active(row, not code.active)
        self._follow_selection()

    def select_row(self, row: int, column: int = CODE) -> None:
        """Show and select a row of the model (the region filter is cleared when it hides the row)."""
        index = self.proxy.mapFromSource(self.model.index(row, column))
        if not index.isValid():
            self.region.setCurrentIndex(0)
            index = self.proxy.mapFromSource(self.model.index(row, column))
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def _filter(self) -> None:
        value = self.region.currentData()
        self.proxy.set_region(Region(value) if value else None)
        self._follow_selection()

    def _follow_selection(self) -> None:
        row = self.current_row()
        code = self.model.rows[row] if row is not None and row < len(self.model.rows) else None
        self.toggle_button.setEnabled(code is not None)
        if code is None or (code.saved and code.active):
            self.toggle_button.setText("&Deactivate")
            self.toggle_button.setToolTip("Take the selected code out of use (courses that carry it keep it)")
        elif code.saved:
            self.toggle_button.setText("Re&activate")
            self.toggle_button.setToolTip("Put the selected code back on the list")
        else:
            self.toggle_button.setText("&Remove new code")
            self.toggle_button.setToolTip("Remove the row added since the dialog opened (not saved yet)")
