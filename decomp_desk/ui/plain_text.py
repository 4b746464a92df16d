"""What a person typed is shown as they typed it: a name like `</b> · chart 1001<!--` must never be read
as markup and show another chart number.

Qt reads a label's text as HTML whenever it looks like HTML (Qt.AutoText, every QLabel's default), and
labels here show names, notes and reasons that people typed. So every label of the desk, including the
ones inside message boxes and tool tips, is made plain text as Qt polishes it (once, before it is first
shown), by one application-wide event filter. The few labels that mean their markup say so with
`rich_label()`, which escapes what they interpolate (`escape`)."""
from __future__ import annotations

from html import escape as _escape

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QWidget

RICH = "decomp_rich_text"  # a label's property: its text is markup the program wrote, typed parts escaped
_INSTALLED = "decomp_plain_text_labels"


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


class PlainTextLabels(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Every event of the application passes here: one comparison, then on its way.
        if event.type() == QEvent.Type.Polish and isinstance(watched, QLabel) and not watched.property(RICH) \
                and watched.textFormat() == Qt.TextFormat.AutoText:
            watched.setTextFormat(Qt.TextFormat.PlainText)
        return False


def install_plain_text_labels(app: QCoreApplication | None = None) -> None:
    """Once per application (later calls do nothing): every label polished from now on is plain text."""
    app = app or QCoreApplication.instance()
    if app is None or app.property(_INSTALLED):
        return
    watcher = PlainTextLabels(app)
    app.installEventFilter(watcher)
    app.setProperty(_INSTALLED, True)
