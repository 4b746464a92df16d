"""The desk's tables as views: read-only, whole rows selected, sortable, Tab leaving them."""
from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from decomp_desk.ui.proxies import sorting_proxy
from decomp_desk.ui.table_models import RowTableModel


def list_view(parent: QWidget | None = None) -> QTableView:
    """A read-only, row-selecting, sortable table as every list of the desk uses it."""
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setSortingEnabled(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)  # Tab leaves the table, as it does everywhere else
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


def sorted_table(model: RowTableModel, name: str, order: Qt.SortOrder, parent: QWidget | None = None
                 ) -> tuple[QSortFilterProxyModel, QTableView]:
    """A short per-patient table, sorted on its first column, its last column taking the spare width."""
    proxy = sorting_proxy(model, parent)
    view = list_view(parent)
    view.setModel(proxy)
    view.setAccessibleName(name)
    view.sortByColumn(0, order)
    view.horizontalHeader().setStretchLastSection(True)
    return proxy, view
