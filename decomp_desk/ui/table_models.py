"""Table models over the services' plain rows. Each cell's text is worked out once, the first time the
cell is shown, and each column's sort values the first time the rows are sorted by that column; after
that painting and sorting never format anything again. Filling ten thousand patients thus costs no more
than the sort values of the one column the list is sorted by (the desk waits for it at start), and the
view's many calls per painted cell (index, data for each role, flags) are answered without a detour."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from decomp_desk.domain.records import record
from decomp_desk.domain.types import COUNTED_ADVERSE_EVENTS, AdverseEvent, ClearanceState, Contraindication
from decomp_desk.services.dto import PatientRow, ScreeningView, SessionView
from decomp_desk.ui import theme
from decomp_desk.ui.banner import clearance_tone

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a value that sorts right (ISO dates, numbers, folded text)
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the record's database id
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3  # the patient list's lowercase search key

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTRE = Qt.AlignmentFlag.AlignCenter

# A view asks data() for seven or eight roles per painted cell: plain ints, compared without an enum lookup.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_TIP = int(Qt.ItemDataRole.ToolTipRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_SORT, _ID, _SEARCH = (int(getattr(r, "value", r)) for r in (SORT_ROLE, ID_ROLE, SEARCH_ROLE))
_ANSWERED = frozenset((_DISPLAY, _ALIGN, _TIP, _FOREGROUND, _SORT, _ID, _SEARCH))
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_NO_FLAGS = Qt.ItemFlag.NoItemFlags


@record
class Column:
    header: str
    text: Callable[[Any], str]
    key: Callable[[Any], Any] | None = None  # the sort value; the folded text when None
    align: Qt.AlignmentFlag | None = None
    tip: Callable[[Any], str] | None = None
    tone: Callable[[Any], str | None] | None = None  # ok / bad / warn / info, for the text colour


def iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def short(label: str) -> str:
    """'Face down (prone)' -> 'Face down'."""
    return label.split(" (")[0]


class RowTableModel(QAbstractTableModel):
    """Rows of one dataclass, shown through COLUMNS. Read-only; `row_at(index)` gives the dataclass back."""

    COLUMNS: tuple[Column, ...] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[Any] = []
        self._cells: list[tuple[str, ...] | None] = []  # a row's texts, None until the row is first shown
        self._keys: dict[int, list[Any]] = {}  # column -> its sort value per row, made when first needed
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._width = len(self.COLUMNS)

    # --- filling -------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._cells = [None] * len(self._rows)
        self._keys = {}
        self._after_fill()
        if self._sort is not None:
            self._reorder(*self._sort)
        self.endResetModel()

    def put_row(self, row: Any) -> None:
        """One record's row, new or changed, without refilling the others (a save changes one patient,
        and the list of ten thousand should not be read again for it). The order and selection are kept.
        The per-row lists are replaced, not changed in place: a proxy that cached one (the search's
        matches) sees by its identity that it must look again."""
        r = self.row_of(row.id)
        new = r < 0
        if new:
            r = len(self._rows)
            self.beginInsertRows(QModelIndex(), r, r)
        for name in self._per_row_lists():
            values = getattr(self, name)
            setattr(self, name, values + [None] if new else list(values))
        self._rows[r] = row
        self._cells[r] = None
        self._keys = {}
        self._after_put(r)
        if new:
            self.endInsertRows()
        if self._sort is not None:
            self.sort(*self._sort)
        elif not new:
            self.dataChanged.emit(self.index(r, 0), self.index(r, self._width - 1))

    def _after_put(self, r: int) -> None:
        """Subclasses bring what they precompute per row (_after_fill) up to date for row r."""

    def _texts(self, r: int) -> tuple[str, ...]:
        """Row r's cell texts, worked out the first time they are asked for."""
        cells = self._cells[r]
        if cells is None:
            row = self._rows[r]
            cells = self._cells[r] = tuple(c.text(row) for c in self.COLUMNS)
        return cells

    def _column_keys(self, column: int) -> list[Any]:
        """Every row's sort value in `column` (the folded text where the column has no key)."""
        keys = self._keys.get(column)
        if keys is None:
            key = self.COLUMNS[column].key
            if key is not None:
                keys = [key(r) for r in self._rows]
            else:
                keys = [self._texts(i)[column].casefold() for i in range(len(self._rows))]
            self._keys[column] = keys
        return keys

    def _after_fill(self) -> None:
        """Subclasses precompute more per row here."""

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_at(self, index: QModelIndex | int) -> Any:
        return self._rows[index if isinstance(index, int) else index.row()]

    def row_of(self, record_id: int) -> int:
        """The row holding the record with this id, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.id == record_id), -1)

    # --- Qt's model interface --------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._width

    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:
        # Qt's own index() asks rowCount() and columnCount() first: two calls into Python for every
        # cell a proxy maps, eight times per painted cell. One call, the same answer.
        if 0 <= row < len(self._rows) and 0 <= column < self._width and not parent.isValid():
            return self.createIndex(row, column)
        return QModelIndex()

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ANSWERED or not index.isValid():
            return None
        return self._value(index.row(), index.column(), role)

    def multiData(self, index: QModelIndex | QPersistentModelIndex, roleDataSpan) -> None:
        """Every role a delegate asks for in one call (Qt 6 paints a cell with one multiData call,
        which would otherwise be a call into Python per role). The proxies forward theirs here."""
        if not index.isValid():
            for rd in roleDataSpan:
                rd.clearData()
            return
        r, c = index.row(), index.column()
        for rd in roleDataSpan:
            role = rd.role()
            value = self._value(r, c, role) if role in _ANSWERED else None
            if value is None:
                rd.clearData()
            else:
                rd.setData(value)

    def _value(self, r: int, c: int, role: int) -> Any:
        """What data() answers for row r, column c (both valid) and a role in _ANSWERED."""
        if role == _DISPLAY:
            return self._texts(r)[c]
        if role == _SORT:
            return self._column_keys(c)[r]
        if role == _ID:
            return self._rows[r].id
        column = self.COLUMNS[c]
        if role == _ALIGN:
            return column.align
        if role == _TIP:
            return column.tip(self._rows[r]) if column.tip else (self._texts(r)[c] or None)
        if role == _FOREGROUND and column.tone is not None:
            tone = column.tone(self._rows[r])
            return theme.tone_text(tone) if tone else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.COLUMNS[section].header
            if role == Qt.ItemDataRole.TextAlignmentRole and self.COLUMNS[section].align is not None:
                return self.COLUMNS[section].align
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else _NO_FLAGS

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorts the rows themselves (a stable sort on the column's sort values)."""
        if not 0 <= column < len(self.COLUMNS):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        moved = self._reorder(column, order)
        self.changePersistentIndexList(old, [self.index(moved[i.row()], i.column()) for i in old])
        self.layoutChanged.emit()

    def _reorder(self, column: int, order: Qt.SortOrder) -> dict[int, int]:
        """Reorder every per-row list; returns old row -> new row."""
        ordering = sorted(range(len(self._rows)), key=self._column_keys(column).__getitem__,
                          reverse=order == Qt.SortOrder.DescendingOrder)
        for name in self._per_row_lists():
            values = getattr(self, name)
            setattr(self, name, [values[i] for i in ordering])
        self._keys = {c: [values[i] for i in ordering] for c, values in self._keys.items()}
        return {old: new for new, old in enumerate(ordering)}

    def _per_row_lists(self) -> tuple[str, ...]:
        """The attributes holding one value per row, in row order (the column sort values are kept too)."""
        return ("_rows", "_cells")


# --- patients ------------------------------------------------------------------------------------

def _chart_key(chart: str) -> str:
    """Numeric chart numbers in numeric order, before the others."""
    return chart.zfill(20) if chart.isdigit() else "~" + chart.casefold()


def _clearance_key(row: PatientRow) -> str:
    order = {ClearanceState.CLEARED: "0", ClearanceState.NOT_CLEARED: "1", ClearanceState.NOT_SCREENED: "2"}
    return order[row.clearance.state] + row.clearance.describe().casefold()


def search_key(row: PatientRow) -> str:
    """Everything a search may match, folded once: chart, both name orders, phone (and its digits)."""
    digits = "".join(filter(str.isdigit, row.phone))
    return (f"{row.chart_number}\t{row.first_name} {row.last_name}\t{row.last_name}, {row.first_name}\t"
            f"{row.last_name} {row.first_name}\t{row.phone}\t{digits}").casefold()


class PatientTableModel(RowTableModel):
    COLUMNS = (
        Column("Chart", lambda r: r.chart_number, key=lambda r: _chart_key(r.chart_number)),
        Column("Name", lambda r: r.name + (" (archived)" if r.archived else ""),
               key=lambda r: f"{r.last_name}\t{r.first_name}".casefold()),
        Column("Date of birth", lambda r: iso(r.date_of_birth)),
        Column("Clearance", lambda r: r.clearance.describe(), key=_clearance_key,
               tone=lambda r: clearance_tone(r.clearance)),
        Column("Course", lambda r: r.course_progress, align=RIGHT,
               key=lambda r: -1.0 if r.sessions_planned is None else float(r.sessions_completed or 0)),
        Column("Last session", lambda r: iso(r.last_session)),
        Column("Plan", lambda r: "" if r.behind is None else (f"{r.behind} behind" if r.behind else "on plan"),
               key=lambda r: -1 if r.behind is None else r.behind),  # the care plan's visit tracker
    )

    def __init__(self, parent=None):
        # The re-exam forms missing in each patient's active course (services.outcomes.missing_by_patient),
        # loaded beside the list and shown in a last column of this instance's own.
        self.missing_forms: dict[int, tuple[int, ...]] = {}
        self.COLUMNS = type(self).COLUMNS + (Column(
            "Outcome form", lambda r: _missing_text(self.missing_forms.get(r.id)),
            key=lambda r: len(self.missing_forms.get(r.id, ())),
            tone=lambda r: "warn" if self.missing_forms.get(r.id) else None,
            tip=lambda r: "No ODI/NDI form is dated on the day of these re-exam sessions (session 1, every 10th, "
                          "the last planned)" if self.missing_forms.get(r.id) else None),)
        super().__init__(parent)
        # Each row's search key, made when first wanted (make_search_keys); a plain attribute, as the
        # search's proxy looks at it for every row of every keystroke.
        self.made_search_keys: list[str] | None = None

    def set_missing_forms(self, missing: dict[int, tuple[int, ...]]) -> None:
        """Only the last column changes: no reset, so the selection and the order stay."""
        self.missing_forms = dict(missing)
        last = len(self.COLUMNS) - 1
        self._cells = [None] * len(self._rows)
        self._keys.pop(last, None)
        if self._rows:
            self.dataChanged.emit(self.index(0, last), self.index(len(self._rows) - 1, last))

    def make_search_keys(self) -> list[str]:
        """Each row's search key, made now if it is not yet (by the first search, or by the list page once
        the list is painted: not while ten thousand rows are being shown at start). A new list whenever
        the rows or their order change, the same list until then."""
        if self.made_search_keys is None:
            self.made_search_keys = [search_key(r) for r in self._rows]
        return self.made_search_keys

    def _after_fill(self) -> None:
        self.made_search_keys = None

    def _after_put(self, r: int) -> None:
        if self.made_search_keys is not None:
            self.made_search_keys[r] = search_key(self._rows[r])

    def _per_row_lists(self) -> tuple[str, ...]:
        return ("_rows", "_cells") + (("made_search_keys",) if self.made_search_keys is not None else ())

    def _value(self, r: int, c: int, role: int) -> Any:
        if role == _SEARCH:
            return self.make_search_keys()[r]
        if role == _FOREGROUND and self._rows[r].archived:
            return theme.tone_text("info")
        return super()._value(r, c, role)


def _missing_text(missing: tuple[int, ...] | None) -> str:
    if not missing:
        return ""
    return f"missing at {', '.join(map(str, missing))}"


# --- sessions ------------------------------------------------------------------------------------

def _stop(s: SessionView) -> str:
    if not s.stop_button:
        return ""
    return "yes" if s.stop_minute is None else f"at {s.stop_minute} min"


def _effects(s: SessionView) -> str:
    return ", ".join(e.label for e in AdverseEvent if e in s.adverse_events)


def _num(value: Any) -> float:
    return -1.0 if value is None else float(value)


class SessionTableModel(RowTableModel):
    COLUMNS = (
        Column("#", lambda s: str(s.number), key=lambda s: s.number, align=RIGHT),
        Column("Date", lambda s: iso(s.date)),
        Column("Start", lambda s: f"{s.start_time:%H:%M}" if s.start_time else ""),
        Column("Minutes", lambda s: f"{s.duration_min}" + (" ⚑" if s.flags else ""), key=lambda s: s.duration_min,
               align=RIGHT, tip=lambda s: "; ".join(s.flags) or None, tone=lambda s: "warn" if s.flags else None),
        Column("Position", lambda s: short(s.position.label)),
        Column("Max force", lambda s: f"{s.max_force_lb:g} lb" if s.max_force_lb is not None else "",
               key=lambda s: _num(s.max_force_lb), align=RIGHT),
        Column("Pain", lambda s: str(s.before.pain), key=lambda s: s.before.pain, align=RIGHT),
        Column("Numbness", lambda s: str(s.before.numbness), key=lambda s: s.before.numbness, align=RIGHT),
        Column("Tingling", lambda s: str(s.before.tingling), key=lambda s: s.before.tingling, align=RIGHT),
        Column("After (P/N/T)", lambda s: " / ".join(str(v) for v in s.after.as_dict().values()) if s.after else "",
               key=lambda s: s.after.pain if s.after else -1, align=CENTRE),
        Column("Stop button", _stop, tone=lambda s: "warn" if s.stop_button else None),
        Column("After-effects", _effects,
               tone=lambda s: "bad" if any(e in COUNTED_ADVERSE_EVENTS for e in s.adverse_events) else None,
               tip=lambda s: "; ".join(x for x in (_effects(s), s.adverse_notes) if x) or None),
        Column("Clinician", lambda s: s.clinician),
    )


# --- screenings ----------------------------------------------------------------------------------

def _finding(s: ScreeningView) -> str:
    if s.xray_on is None:
        return ""
    if s.xray_abnormal:
        return "abnormal" + (f": {s.xray_finding}" if s.xray_finding else "")
    return s.xray_finding or "normal"


class ScreeningTableModel(RowTableModel):
    COLUMNS = (
        Column("Screened", lambda s: iso(s.screened_on)),
        Column("By", lambda s: s.screened_by),
        Column("X-ray", lambda s: iso(s.xray_on) or "none"),
        Column("Finding", _finding),
        Column("Contraindications", lambda s: ", ".join(c.label for c in Contraindication
                                                        if c in s.contraindications) or "none"),
        Column("Region", lambda s: short(s.region.label)),
        Column("Decision", lambda s: s.clearance.describe(), tone=lambda s: clearance_tone(s.clearance)),
    )

