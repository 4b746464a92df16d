"""The window fits the screen it opens on, and is found as it was left: size, position (or maximised),
splitters, the list's column widths and the patient page's tab, kept with QSettings in an INI file in
the data folder (`desk-window.ini`; tests point the data folder elsewhere).

The first start (nothing kept yet) fits the screen's available area: maximised on a screen below
1440 x 900 (a 1366 x 768 laptop must show the status bar and the last row), otherwise a comfortable
1280 x 800, centred. A kept geometry that no longer fits any screen (a monitor unplugged) is fitted
again. The patient page is built the first time a patient is opened, so its splitters, columns and
tab are restored as it is added to the window."""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSettings, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter, QStackedWidget, QTableView, QTabWidget, QWidget

from decomp_desk import config

FILE_NAME = "desk-window.ini"
SMALL_SCREEN = (1440, 900)  # below this the window opens maximised
COMFORTABLE = (1280, 800)


def settings_file() -> str:
    return str(config.data_dir() / FILE_NAME)


def open_settings() -> QSettings:
    config.data_dir().mkdir(parents=True, exist_ok=True)
    return QSettings(settings_file(), QSettings.Format.IniFormat)


def first_geometry(room: QRect) -> tuple[QRect, bool]:
    """Where the window opens on a screen with `room` available: (its rectangle, maximised?)."""
    if room.width() < SMALL_SCREEN[0] or room.height() < SMALL_SCREEN[1]:
        return QRect(room), True
    width, height = min(COMFORTABLE[0], room.width()), min(COMFORTABLE[1], room.height())
    rect = QRect(0, 0, width, height)
    rect.moveCenter(room.center())
    return rect, False


def _key(widget: QWidget, root: QWidget) -> str:
    """A name for `widget` that stays the same from one start to the next: its object names (or class
    and place among its siblings of that class) from `root` down."""
    parts = []
    w: QWidget | None = widget
    while w is not None and w is not root:
        name = w.objectName()
        if not name or name.startswith("qt_"):
            parent = w.parentWidget()
            same = [c for c in (parent.findChildren(type(w)) if parent is not None else [])
                    if c.parentWidget() is parent]
            name = f"{type(w).__name__}{same.index(w) if w in same else 0}"
        parts.append(name)
        w = w.parentWidget()
    return "/".join(reversed(parts))


def _remembered(root: QWidget) -> list[QWidget]:
    """The widgets whose state is kept: splitters, tab widgets and the tables' column headers."""
    found: list[QWidget] = [*root.findChildren(QSplitter), *root.findChildren(QTabWidget)]
    found += [t.horizontalHeader() for t in root.findChildren(QTableView)]
    return [w for w in found if w.window() is root.window()]  # not the dialogs parented to the window


class WindowMemory(QObject):
    """Restores `window` now (or fits it to the screen the first time) and keeps its state when it closes."""

    def __init__(self, window: QMainWindow, settings: QSettings | None = None):
        super().__init__(window)
        self.window = window
        self.settings = settings or open_settings()
        window.installEventFilter(self)
        central = window.centralWidget()
        if isinstance(central, QStackedWidget):  # a page added later (the patient page) is restored as it comes
            central.widgetAdded.connect(lambda i: self.restore_parts(central.widget(i)))

    # --- the window ---------------------------------------------------------------------------------
    def restore(self) -> None:
        """Call before the window is shown: the kept geometry, or the first start's fit."""
        kept = self.settings.value("window/geometry")
        if isinstance(kept, QByteArray) and not kept.isEmpty() and self.window.restoreGeometry(kept) \
                and self._on_a_screen():
            if self.settings.value("window/maximized", False, type=bool):
                self.window.setWindowState(self.window.windowState() | Qt.WindowState.WindowMaximized)
        else:
            self.fit(self._screen())
        self.restore_parts(self.window)

    def fit(self, screen: QScreen | None) -> None:
        if screen is None:
            return
        rect, maximised = first_geometry(screen.availableGeometry())
        if maximised:
            self.window.setGeometry(rect)
            self.window.setWindowState(self.window.windowState() | Qt.WindowState.WindowMaximized)
        else:
            self.window.resize(rect.size())
            self.window.move(rect.topLeft())

    def _screen(self) -> QScreen | None:
        return self.window.screen() or QGuiApplication.primaryScreen()

    def _on_a_screen(self) -> bool:
        """The kept frame lies mostly on one of today's screens."""
        frame = self.window.frameGeometry()
        for screen in QGuiApplication.screens():
            shared = screen.availableGeometry().intersected(frame)
            if shared.width() * shared.height() >= 0.5 * frame.width() * frame.height():
                return True
        return False

    # --- splitters, columns, tabs ---------------------------------------------------------------------
    def restore_parts(self, root: QWidget | None) -> None:
        if root is None:
            return
        s = self.settings
        for w in _remembered(root):
            key = f"parts/{_key(w, self.window)}"
            value = s.value(key)
            if value is None:
                continue
            if isinstance(w, QSplitter) and isinstance(value, QByteArray):
                w.restoreState(value)
            elif isinstance(w, QTabWidget):
                index = _int(value)
                if index is not None and 0 <= index < w.count() and w.isTabEnabled(index):
                    w.setCurrentIndex(index)
                    page = w.parentWidget()
                    if page is not None and hasattr(page, "start_tab"):  # the patient page opens each patient on it
                        page.start_tab = index
            elif isinstance(w, QHeaderView):
                widths = [_int(x) for x in (value if isinstance(value, list) else [value])]
                if len(widths) == w.count():
                    for i, width in enumerate(widths):
                        if width and w.sectionResizeMode(i) == QHeaderView.ResizeMode.Interactive:
                            w.resizeSection(i, width)

    def save(self) -> None:
        s = self.settings
        maximised = self.window.isMaximized()
        s.setValue("window/geometry", self.window.saveGeometry())
        s.setValue("window/maximized", maximised)
        for w in _remembered(self.window):
            key = f"parts/{_key(w, self.window)}"
            if isinstance(w, QSplitter):
                s.setValue(key, w.saveState())
            elif isinstance(w, QTabWidget):
                s.setValue(key, w.currentIndex())
            elif isinstance(w, QHeaderView) and w.count():
                s.setValue(key, [w.sectionSize(i) for i in range(w.count())])
        s.sync()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.save()
        return False


def _int(value: object) -> int | None:
    try:
        return int(str(value))  # QSettings hands INI values back as strings
    except (TypeError, ValueError):
        return None
