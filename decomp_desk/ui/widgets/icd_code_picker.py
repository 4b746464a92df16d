"""The course's ICD-10-CM codes: typed, or picked from the clinic's short list for the course's region.

The short list (File > Settings… > Diagnosis codes) is loaded by whoever owns the picker and handed
over with `set_codes`; the menu shows the codes of the region chosen in the form (and those for any
region), ticked when the field holds them. A code not on the list can still be typed."""
from __future__ import annotations

import re

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QMenu, QToolButton, QWidget

from decomp_desk.domain.billing import DiagnosisCode
from decomp_desk.domain.types import Region


def split_codes(text: str) -> list[str]:
    return [x.upper() for x in re.split(r"[;,\s]+", text) if x]


class IcdCodePicker(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("e.g. M51.16; M54.16")
        self.edit.setAccessibleName("ICD-10 codes")
        self.button = QToolButton()
        self.button.setText("From the list…")
        self.button.setProperty("picker", True)  # no menu arrow over the text: resources/decomp-desk.qss
        self.button.setAccessibleName("Pick ICD-10 codes from the clinic's list")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.button)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.button.setMenu(self.menu)
        self.button.setEnabled(False)  # until the list has come
        self.button.setToolTip("The clinic's short list is loading…")
        self._codes: list[DiagnosisCode] = []
        self._region: Region | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)

    # --- what the form reads and sets ----------------------------------------------------------------
    def codes(self) -> tuple[str, ...]:
        return tuple(split_codes(self.edit.text()))

    def set_text(self, codes) -> None:
        self.edit.setText("; ".join(codes))

    def set_codes(self, codes: list[DiagnosisCode]) -> None:
        """The clinic's short list (active codes)."""
        self._codes = [c for c in codes if c.active]
        self.button.setEnabled(bool(self._codes))
        self.button.setToolTip("Tick the codes of the course's conditions" if self._codes else
                               "The clinic's list is empty: add codes in File > Settings… > Diagnosis codes")

    def set_region(self, region: Region | None) -> None:
        self._region = region

    def offered(self) -> list[DiagnosisCode]:
        """The codes the menu offers: the region's and those for any region."""
        return [c for c in self._codes if c.region is None or self._region is None or c.region is self._region]

    # --- the menu -------------------------------------------------------------------------------------
    def _fill_menu(self) -> None:
        self.menu.clear()
        chosen = set(self.codes())
        for c in self.offered():
            action = self.menu.addAction(c.text)
            action.setCheckable(True)
            action.setChecked(c.code in chosen)
            action.setData(c.code)
            action.toggled.connect(lambda on, code=c.code: self.toggle(code, on))
        if not self.menu.actions():
            self.menu.addAction("No codes for this region on the clinic's list").setEnabled(False)

    def toggle(self, code: str, on: bool) -> None:
        codes = [c for c in self.codes() if c != code]
        if on:
            codes.append(code)
        self.set_text(codes)
