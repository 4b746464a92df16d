"""Fusion style with a light or a dark palette that follows the system's colour scheme, and the few
status colours (cleared, not cleared, warning) in a shade that reads on either. The style sheet
(resources/decomp-desk.qss) and the application icon come from the resources folder."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

from decomp_desk import resource_files
from decomp_desk.ui.plain_text import with_plain_text_labels

# tone -> (light background, light text, dark background, dark text)
_TONES = {
    "ok": ("#e3f3e6", "#1b5e20", "#1e3b24", "#a5d6a7"),
    "bad": ("#fde7e7", "#8e1b1b", "#4a1f1f", "#ef9a9a"),
    "warn": ("#fff4d6", "#7a4f00", "#43381a", "#ffd54f"),
    "info": ("#e8eef8", "#1f3a60", "#1f2b3d", "#9fc3f0"),
}
ERROR_BORDER = "#d93025"
BASE_STYLE = "decomp_desk_base_style"  # under a style sheet Qt's style() is the sheet's wrapper, without a name


def style_name(app: QApplication) -> str:
    """The style under the style sheet: "fusion" once apply_theme has set it."""
    return (app.style().name() or str(app.property(BASE_STYLE) or "")).lower()


def dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor("#2b2d30"), QColor("#1e1f22"), QColor("#e6e6e6")
    disabled = QColor("#7f8287")
    for role, colour in (
        (QPalette.ColorRole.Window, window), (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base), (QPalette.ColorRole.AlternateBase, QColor("#26282b")),
        (QPalette.ColorRole.ToolTipBase, QColor("#3c3f41")), (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.PlaceholderText, QColor("#8c8f94")), (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, QColor("#3a3d41")), (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.BrightText, QColor("#ff6b6b")), (QPalette.ColorRole.Light, QColor("#4a4d52")),
        (QPalette.ColorRole.Midlight, QColor("#404347")), (QPalette.ColorRole.Mid, QColor("#35373b")),
        (QPalette.ColorRole.Dark, QColor("#1a1b1d")), (QPalette.ColorRole.Shadow, QColor("#000000")),
        (QPalette.ColorRole.Highlight, QColor("#3d7bd9")), (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
        (QPalette.ColorRole.Link, QColor("#7fb2ff")), (QPalette.ColorRole.LinkVisited, QColor("#c29bff")),
    ):
        p.setColor(role, colour)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base, window)
    return p


def light_palette(app: QApplication) -> QPalette:
    return app.style().standardPalette()


def apply_theme(app: QApplication, scheme: Qt.ColorScheme | None = None) -> None:
    """Fusion, with the palette for `scheme` (the system's, when not given)."""
    if style_name(app) != "fusion":
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setProperty(BASE_STYLE, "fusion")
    scheme = app.styleHints().colorScheme() if scheme is None else scheme
    app.setPalette(dark_palette() if scheme == Qt.ColorScheme.Dark else light_palette(app))
    for widget in app.allWidgets():  # widgets with status colours of their own redo them
        refresh = getattr(widget, "refresh_theme", None)
        if callable(refresh):
            refresh()


def follow_system(app: QApplication) -> None:
    apply_theme(app)
    app.styleHints().colorSchemeChanged.connect(lambda scheme: apply_theme(app, scheme))


def is_dark(widget: QWidget | None = None) -> bool:
    palette = widget.palette() if widget is not None else QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def tone_colours(tone: str, dark: bool | None = None) -> tuple[str, str]:
    """(background, text) for a status tone: ok, bad, warn or info."""
    light_bg, light_fg, dark_bg, dark_fg = _TONES[tone]
    return (dark_bg, dark_fg) if (is_dark() if dark is None else dark) else (light_bg, light_fg)


def tone_text(tone: str) -> QColor:
    return QColor(tone_colours(tone)[1])


def app_icon() -> QIcon:
    """The application icon at every size the resources hold (PNG: no SVG renderer needed at start)."""
    icon = QIcon()
    for size in resource_files.ICON_SIZES:
        icon.addFile(str(resource_files.icon_png(size)))
    return icon


def install_style(app: QApplication) -> None:
    """The icon every window and dialog carries by default, and the desk's style sheet (with the rules
    that keep typed text plain on every label: ui/plain_text.py)."""
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("decomp-desk")  # Wayland and task bars match the window to decomp-desk.desktop
    if app.style().name():
        app.setProperty(BASE_STYLE, app.style().name())
    app.setStyleSheet(with_plain_text_labels(resource_files.read_text(resource_files.STYLE_SHEET)))


def repolish(widget: QWidget) -> None:
    """Apply the style sheet again after a dynamic property it selects on (invalid, fieldError) changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
