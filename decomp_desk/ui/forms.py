"""Form pieces the dialogs share: fields that name what a rule refused, 0-10 score boxes quick from the
keyboard, optional number boxes, and conversions between Qt and Python dates."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLayout,
    QPlainTextEdit,
    QSpinBox,
    QStackedWidget,
    QTimeEdit,
    QWidget,
)
from shiboken6 import isValid

from decomp_desk.domain.errors import ValidationError
from decomp_desk.ui import theme
from decomp_desk.ui.dialogs import messages

BLANK = "–"
DATE_FORMAT = "yyyy-MM-dd"


# --- dates and times ------------------------------------------------------------------------

def to_qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def to_qtime(t: time) -> QTime:
    return QTime(t.hour, t.minute)


def date_edit(latest: date | None = None, value: date | None = None) -> QDateEdit:
    """A date box with a calendar popup, ISO display, and no date after `latest`."""
    w = QDateEdit()
    w.setCalendarPopup(True)
    w.setDisplayFormat(DATE_FORMAT)
    if latest is not None:
        w.setMaximumDate(to_qdate(latest))
    w.setMinimumDate(QDate(1900, 1, 1))
    w.setDate(to_qdate(value or latest or date.today()))
    return w


def time_edit(value: time | None = None) -> QTimeEdit:
    w = QTimeEdit()
    w.setDisplayFormat("HH:mm")
    w.setTime(to_qtime(value or now_rounded()))
    return w


def now_rounded(step_min: int = 5) -> time:
    """The current time rounded to the nearest `step_min` minutes (a session's usual start time)."""
    now = datetime.now()
    minutes = round((now.hour * 60 + now.minute) / step_min) * step_min
    minutes = min(minutes, 23 * 60 + 60 - step_min)
    return (datetime.min + timedelta(minutes=minutes)).time()


def plain_text(max_lines: int = 3) -> QPlainTextEdit:
    """A multi-line note where Tab moves on (it never types a tab character)."""
    w = QPlainTextEdit()
    w.setTabChangesFocus(True)
    w.setFixedHeight(w.fontMetrics().lineSpacing() * max_lines + 12)
    return w


# --- number boxes -----------------------------------------------------------------------------

class ScoreBox(QSpinBox):
    """A 0-10 score. Typing a digit sets it and moves to the next field; "1" waits for a "0" (10).
    Starts blank (no score is prefilled); `score()` is None while blank."""

    scored = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setRange(-1, 10)
        self.setSpecialValueText(BLANK)
        self.setValue(-1)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.setFont(font)
        self.setToolTip("Type a digit 0 to 9 (1 then 0 for 10); the cursor moves on by itself.")
        self._pending_one = False

    def score(self) -> int | None:
        return None if self.value() < 0 else self.value()

    def set_score(self, value: int | None) -> None:
        self.setValue(-1 if value is None else value)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if len(text) == 1 and text.isdigit() and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            digit = int(text)
            if self._pending_one:
                if digit == 0:
                    self._set_and_move(10)
                    return
                # "1" then another digit: the 1 was this box's score, and the digit is the next box's,
                # as typed (1, 5, 2 is pain 1, numbness 5, tingling 2; never pain 5).
                self._set_and_move(1)
                self._pass_on(event)
            elif digit == 1:
                self.setValue(1)
                self.selectAll()
                self._pending_one = True
            else:
                self._set_and_move(digit)
            return
        self._pending_one = False
        if event.matches(QKeySequence.StandardKey.Paste):
            self._paste()
            return
        super().keyPressEvent(event)

    def _paste(self) -> None:
        """A pasted score replaces the box's score whatever is selected (Qt would insert it beside the
        blank mark and refuse the result); anything but a whole number 0 to 10 leaves it as it was."""
        text = QApplication.clipboard().text().strip()
        if text.isdigit() and 0 <= int(text) <= 10:
            self.setValue(int(text))
            self.selectAll()

    def _set_and_move(self, value: int) -> None:
        self._pending_one = False
        self.setValue(value)
        self.scored.emit(value)
        self.focusNextChild()

    def _pass_on(self, event: QKeyEvent) -> None:
        """The key goes to the field the cursor moved to (the window's focus child, set even before the
        window is active again), as if it had been typed there."""
        target = self.window().focusWidget()
        if target is not None and target is not self:
            QApplication.sendEvent(target, QKeyEvent(event.type(), event.key(), event.modifiers(), event.text()))

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._pending_one = False  # a "1" left behind (Tab, a click elsewhere) is the score 1
        super().focusOutEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._pending_one = False
        QTimer.singleShot(0, self.selectAll)


class OptionalSpin(QDoubleSpinBox):
    """A decimal that may be left blank: one step below the minimum reads as blank (None)."""

    def __init__(self, minimum: float, maximum: float, step: float = 1.0, decimals: int = 1, suffix: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setDecimals(decimals)
        self.setSingleStep(step)
        self.setRange(minimum - step, maximum)
        self.setSpecialValueText(BLANK)
        if suffix:
            self.setSuffix(suffix)
        self.setValue(self.minimum())
        self.setAccelerated(True)

    def decimal(self) -> Decimal | None:
        if self.value() <= self.minimum():
            return None
        return Decimal(str(round(self.value(), self.decimals())))

    def set_decimal(self, value: Decimal | None) -> None:
        self.setValue(self.minimum() if value is None else float(value))


class OptionalIntSpin(QSpinBox):
    """A whole number that may be left blank (one below the minimum reads as blank, None)."""

    def __init__(self, minimum: int, maximum: int, suffix: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setRange(minimum - 1, maximum)
        self.setSpecialValueText(BLANK)
        if suffix:
            self.setSuffix(suffix)
        self.setValue(self.minimum())
        self.setAccelerated(True)

    def number(self) -> int | None:
        return None if self.value() <= self.minimum() else self.value()

    def set_number(self, value: int | None) -> None:
        self.setValue(self.minimum() if value is None else value)


# --- naming refused fields ----------------------------------------------------------------------

def changed_signal(w: QWidget):
    if isinstance(w, QPlainTextEdit):
        return w.textChanged
    for name in ("textChanged", "valueChanged", "dateChanged", "timeChanged", "currentIndexChanged", "toggled"):
        signal = getattr(w, name, None)
        if signal is not None:
            return signal
    return None


class FieldMarks:
    """Names the fields a rule refused, each once and next to itself: a red outline, the reason in a
    small red line beside the field (and its tooltip), and the focus on the first refused field (on
    its tab, if the form has tabs). `summary` says only what no field of the form explains (a rule
    about the whole record, a refusal by the database) and "Not saved." after a refused save; it never
    repeats a field's reason. `fields` maps the rules' field names (ValidationError keys) to widgets,
    `labels` to the words the form shows. Typing in a marked field clears its mark."""

    def __init__(self, summary: QLabel, fields: dict[str, QWidget], labels: dict[str, str]):
        self.summary, self.fields, self.labels = summary, fields, labels
        self.marked: dict[str, str] = {}
        self.lead = ""
        self.beside: dict[str, QLabel] = {}  # the reason's line beside each field, made when first needed
        self._tips = {name: w.toolTip() for name, w in fields.items()}
        summary.setWordWrap(True)
        summary.setTextFormat(Qt.TextFormat.PlainText)
        summary.setProperty("formError", True)  # red and bold: resources/decomp-desk.qss
        summary.hide()
        for name, w in fields.items():
            signal = changed_signal(w)
            if signal is not None:
                signal.connect(lambda *_, n=name: self.unmark(n))

    def label(self, name: str) -> str:
        return self.labels.get(name, name.replace("_", " ").capitalize())

    def sentences(self, errors: dict[str, str]) -> list[str]:
        return [f"{self.label(name)}: {msg}" for name, msg in errors.items()]

    def show(self, errors: dict[str, str], lead: str = "") -> None:
        """Mark exactly these fields (earlier marks go) and say what is wrong with each, beside it."""
        for name in list(self.marked):
            if name not in errors:
                self.unmark(name)
        for name, msg in errors.items():
            self.marked[name] = msg
            w = self.fields.get(name)
            if w is not None:
                _outline(w, True)
                w.setToolTip(f"{self.label(name)}: {msg}")
                self._beside(name, msg)
        self.lead = lead
        self._say()

    def show_error(self, exc: BaseException) -> str:
        """A refusal: field errors are marked beside their fields, with the focus on the first; any other
        refusal is said in the summary. Shown once, in the form: the caller shows no message box.
        Returns the refusal as one sentence (for a log or a status line)."""
        if isinstance(exc, ValidationError):
            self.show(exc.errors, "Not saved.")
            first = next((self.fields[n] for n in exc.errors if n in self.fields), None)
            if first is not None and first.isEnabled():
                bring_into_view(first)
                first.setFocus()
            return "Not saved. " + "; ".join(self.sentences(exc.errors)) + "."
        text = messages.describe_error(exc)
        self.show({}, f"Not saved. {text}")
        return text

    def unmark(self, name: str) -> None:
        if self.marked.pop(name, None) is None:
            return
        w = self.fields.get(name)
        if w is not None:
            _outline(w, False)
            w.setToolTip(self._tips.get(name, ""))
            self._beside(name, "")
        if not self.marked:
            self.lead = ""
        self._say()

    def clear(self) -> None:
        self.show({})

    def text(self) -> str:
        """Everything the form now says is wrong, as sentences: the summary, then each field's reason."""
        shown = [self.summary.text()] if self.summary.isVisibleTo(self.summary.window()) else []
        return "\n".join(shown + self.sentences({n: m for n, m in self.marked.items() if n in self.fields}))

    def _say(self) -> None:
        """The summary: the lead and the reasons that belong to no field of the form."""
        lines = self.sentences({n: m for n, m in self.marked.items() if n not in self.fields})
        self.summary.setText("\n".join(([self.lead] if self.lead else []) + lines))
        self.summary.setVisible(bool(lines) or bool(self.lead))

    def _beside(self, name: str, msg: str) -> None:
        label = self.beside.get(name)
        if label is None:
            if not msg:
                return
            label = self.beside[name] = _reason_label(self.fields[name])
        if label.property("namesField"):  # below a grid of fields: which one it is about
            label.setText(f"{self.label(name)}: {msg}" if msg else "")
        else:
            label.setText(msg[:1].upper() + msg[1:] if msg else "")
        label.setVisible(bool(msg))


def _reason_label(field: QWidget) -> QLabel:
    """A small red line for a field's reason, placed in the field's own layout: the row below it in a
    form, after it in a row or column of widgets, below a grid of fields."""
    label = QLabel()
    label.setObjectName("field_error")
    label.setProperty("fieldError", True)  # resources/decomp-desk.qss
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    layout = _layout_holding(field)
    if isinstance(layout, QFormLayout):
        row: int = layout.getWidgetPosition(field)[0]  # type: ignore[index]  # PySide6 returns (row, role)
        layout.insertRow(row + 1, "", label)
        # The row's empty label column follows the reason's visibility.
        label_item = layout.itemAt(row + 1, QFormLayout.ItemRole.LabelRole)
        buddy = label_item.widget() if label_item is not None else None
        if buddy is not None:
            buddy.hide()
            label.installEventFilter(_FollowVisibility(buddy, label))
    elif isinstance(layout, QBoxLayout):
        layout.insertWidget(layout.indexOf(field) + 1, label)
    elif isinstance(layout, QGridLayout):
        layout.addWidget(label, layout.rowCount(), 0, 1, max(1, layout.columnCount()))
        label.setProperty("namesField", True)
    elif (parent := field.parentWidget()) is not None and (outer := parent.layout()) is not None:
        outer.addWidget(label)
    else:  # a field outside any layout: its tooltip and outline still say it
        label.setParent(field.parentWidget())
    return label


def _layout_holding(w: QWidget) -> QLayout | None:
    parent = w.parentWidget()
    top = parent.layout() if parent is not None else None
    return _find_layout(top, w) if top is not None else None


def _find_layout(layout: QLayout, w: QWidget) -> QLayout | None:
    if layout.indexOf(w) >= 0:
        return layout
    for i in range(layout.count()):
        item = layout.itemAt(i)
        child = item.layout() if item is not None else None
        if child is not None:
            found = _find_layout(child, w)
            if found is not None:
                return found
    return None


class _FollowVisibility(QObject):
    """Shows and hides `follower` with the watched widget (the form row's empty label with its reason)."""

    def __init__(self, follower: QWidget, parent: QObject):
        super().__init__(parent)
        self.follower = follower

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.Hide) and isValid(self.follower):
            self.follower.setVisible(event.type() == QEvent.Type.Show)
        return False


def bring_into_view(w: QWidget) -> None:
    """Make the tabs (or stacked pages) that hold `w` show it, so the focus can go there."""
    child, parent = w, w.parentWidget()
    while parent is not None and not child.isWindow():  # within the form's own window only
        if isinstance(parent, QStackedWidget) and parent.indexOf(child) >= 0:
            parent.setCurrentWidget(child)
        child, parent = parent, parent.parentWidget()


def _outline(w: QWidget, on: bool) -> None:
    """The red outline of a refused field: resources/decomp-desk.qss selects on the `invalid` property."""
    if w.property("invalid") == on:
        return
    w.setProperty("invalid", on)
    theme.repolish(w)


def set_enabled(widgets: Iterable[QWidget], on: bool) -> None:
    for w in widgets:
        w.setEnabled(on)


def chain_tab_order(widgets: Iterable[QWidget]) -> None:
    """Tab visits the widgets in this order (the reading order of the form)."""
    items = list(widgets)
    for a, b in zip(items, items[1:]):
        QWidget.setTabOrder(a, b)


class EnumCombo(QComboBox):
    """A choice among an enum's members, by their labels (Qt would hand a str enum back as a plain str,
    so the member is kept by its value and looked up again)."""

    def __init__(self, enum_cls, blank: str | None = None, short_labels: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.enum_cls = enum_cls
        if blank is not None:
            self.addItem(blank, "")
        for member in enum_cls:
            self.addItem(member.label.split(" (")[0] if short_labels else member.label, member.value)

    def current(self):
        value = self.currentData()
        return self.enum_cls(value) if value else None

    def set_current(self, member) -> None:
        self.setCurrentIndex(max(0, self.findData(member.value if member is not None else "")))
