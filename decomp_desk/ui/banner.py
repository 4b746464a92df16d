"""A coloured line of text that states something the user must see (clearance, a refusal, a flag)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from decomp_desk.domain.eligibility import Clearance
from decomp_desk.domain.types import ClearanceState
from decomp_desk.ui import theme


def clearance_tone(clearance: Clearance) -> str:
    return {ClearanceState.CLEARED: "ok", ClearanceState.NOT_CLEARED: "bad"}.get(clearance.state, "warn")


class Banner(QLabel):
    def __init__(self, parent: QWidget | None = None, tone: str = "info", text: str = ""):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.tone = tone
        self.show_text(tone, text)

    def show_text(self, tone: str, text: str) -> None:
        self.tone = tone
        self.setText(text)
        self.setAccessibleDescription(text)
        self._restyle()

    def show_clearance(self, clearance: Clearance, lead: str = "") -> None:
        text = clearance.describe()
        if clearance.cleared and clearance.screened_on:
            text = f"Cleared for decompression (screening of {clearance.screened_on.isoformat()})"
        elif clearance.state is ClearanceState.NOT_CLEARED:
            text = "Not cleared for decompression: " + "; ".join(clearance.reasons)
        elif clearance.state is ClearanceState.NOT_SCREENED:
            text = "Not screened: no screening on file, so no session may be recorded"
        self.show_text(clearance_tone(clearance), lead + text)

    def refresh_theme(self) -> None:
        """Called by theme.apply_theme: a style sheet keeps a widget from hearing of palette changes."""
        self._restyle()

    def _restyle(self) -> None:
        bg, fg = theme.tone_colours(self.tone)  # the application's palette: light or dark
        sheet = (f"QLabel {{ background: {bg}; color: {fg}; border: 1px solid {fg}; "
                 f"border-radius: 4px; padding: 6px 10px; }}")
        if sheet != self.styleSheet():  # the sheet itself changes the palette: no loop
            self.setStyleSheet(sheet)
