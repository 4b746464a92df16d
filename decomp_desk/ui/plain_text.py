"""What a person typed is shown as they typed it: a name like `</b> · chart 1001<!--` must never be read
as markup and show another chart number.

Qt reads a label's text as HTML whenever it looks like HTML (Qt.AutoText, every QLabel's default), and
labels here show names, notes and reasons that people typed. So every label of the desk, including the
ones inside message boxes and tool tips, is made plain text as Qt polishes it (once, before it is first
shown), by two rules of the application's style sheet (`LABEL_RULES`). The few labels that mean their
markup say so with `rich_label()`, which escapes what they interpolate (`escape`).

Style-sheet rules, not a Python event filter on the application: such a filter is handed every object
that gets an event, Qt's private ones too, and the first private QObject it is handed (the gesture
manager, made with the first table) makes PySide build a Python type, enums and all, for every Qt
class it has not needed yet: about 40 ms of the desk's start, for nothing. The rules run in Qt alone."""
from __future__ import annotations

from html import escape as _escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

RICH = "decomp_rich_text"  # a label's property: its text is markup the program wrote, typed parts escaped

# qproperty- sets the label's textFormat property as the label is polished; a rich label's own rule is
# the more specific one, so it wins. A tool tip's label answers to QToolTip in a style sheet, not QLabel.
LABEL_RULES = ("\n/* ui/plain_text.py: every label shows its text as typed, but the program's rich_label()s */\n"
               "QLabel, QToolTip { qproperty-textFormat: PlainText; }\n"
               f'QLabel[{RICH}="true"] {{ qproperty-textFormat: RichText; }}\n')


def escape(typed: str) -> str:
    """A typed value, safe inside a rich label's markup."""
    return _escape(typed, quote=False)


def rich_label(markup: str, parent: QWidget | None = None) -> QLabel:
    """A label whose markup is the program's own; every typed value in it must go through `escape`."""
    label = QLabel(parent)
    label.setProperty(RICH, True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setText(markup)
    return label


def with_plain_text_labels(sheet: str) -> str:
    """A style sheet with the label rules at its end (once)."""
    return sheet if LABEL_RULES in sheet else sheet + LABEL_RULES


def install_plain_text_labels(app: QApplication | None = None) -> None:
    """Every label polished from now on is plain text: the rules are added to the application's style
    sheet unless it has them already (the desk's own sheet does: ui/theme.py)."""
    target = app if app is not None else QApplication.instance()
    if not isinstance(target, QApplication):
        return
    sheet = target.styleSheet()
    ruled = with_plain_text_labels(sheet)
    if ruled != sheet:
        target.setStyleSheet(ruled)
