"""Filtering and sorting proxies over the table models."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from decomp_desk.ui.table_models import SEARCH_ROLE, SORT_ROLE, PatientTableModel


class RowSortProxy(QSortFilterProxyModel):
    """A sorting proxy over a RowTableModel that hands a painted cell's roles over in one call."""

    def multiData(self, index: QModelIndex | QPersistentModelIndex, roleDataSpan) -> None:
        # QSortFilterProxyModel would ask the source for each role apart (a call into Python each,
        # seven per painted cell); the source answers them all at once.
        self.sourceModel().multiData(self.mapToSource(index), roleDataSpan)


class PatientFilterProxy(RowSortProxy):
    """Search as you type over name, chart number and phone, case-insensitive.

    Quick on ten thousand patients: each row's search key is folded once by the model (also readable
    through SEARCH_ROLE), and a keystroke tests every key against the needle in one list comprehension;
    Qt then asks filterAcceptsRow once per row, which only reads that list (Qt's call into Python is
    most of its cost: keep the body to one lookup). Sorting is done by the source model on its
    precomputed sort values; the proxy keeps its order."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._needle = ""
        self._model: PatientTableModel | None = None
        self._accepts: list[bool] = []  # per source row, for _needle over _accepts_keys
        self._accepts_keys: list[str] | None = None  # the model's search keys they were made from
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self.setFilterRole(SEARCH_ROLE)
        self.setSortRole(SORT_ROLE)

    def setSourceModel(self, model: PatientTableModel) -> None:
        self._model = model
        super().setSourceModel(model)

    @property
    def needle(self) -> str:
        return self._needle

    def set_search(self, text: str) -> None:
        needle = " ".join(text.split()).casefold()
        if needle == self._needle:
            return
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later
            self.beginFilterChange()
            self._needle = needle
            self._accepts_keys = None
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._needle = needle
            self._accepts_keys = None
            self.invalidateRowsFilter()

    def _match(self) -> list[bool]:
        """Whether each source row matches the needle (not empty: filterAcceptsRow takes every row then),
        for the model's current rows (the model makes a new list of search keys whenever its rows or their
        order change)."""
        keys = self._model.make_search_keys() if self._model is not None else []
        needle = self._needle
        self._accepts = [needle in k for k in keys]
        self._accepts_keys = keys
        return self._accepts

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self._needle:  # no search: every row, and no search keys made for it
            return True
        keys = self._model.made_search_keys
        if keys is None or self._accepts_keys is not keys:  # not made yet, or made anew
            self._match()
        return self._accepts[source_row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self._model is not None:
            self._model.sort(column, order)


def sorting_proxy(model, parent=None) -> QSortFilterProxyModel:
    """A plain sorting proxy on the models' sort values, for the short per-patient tables."""
    proxy = RowSortProxy(parent)
    proxy.setSortRole(SORT_ROLE)
    proxy.setSourceModel(model)
    return proxy
