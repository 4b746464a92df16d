"""The actions that work on the open patient, shared by the page's buttons and the window's menus."""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence


def make_action(parent: QObject, text: str, *shortcuts: str | QKeySequence.StandardKey, tip: str = "") -> QAction:
    action = QAction(text, parent)
    keys = [QKeySequence(s) for s in shortcuts]
    if keys:
        action.setShortcuts(keys)
    plain = text.replace("&", "").rstrip(".…")
    keys_text = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
    action.setToolTip(f"{tip or plain} ({keys_text})" if keys_text else (tip or plain))
    action.setStatusTip(tip or plain)
    return action


class PatientActions(QObject):
    def __init__(self, parent: QObject):
        super().__init__(parent)
        self.edit_patient = make_action(self, "&Edit patient details…", "Ctrl+E")
        self.archive_patient = make_action(self, "&Archive patient…", tip="Archive the patient (kept, not deleted)")
        self.new_screening = make_action(self, "New &screening", "Ctrl+Shift+S",
                                         tip="Go to the screening form")
        self.new_session = make_action(self, "&New session…", "Ctrl+Shift+N", "Ctrl+R",
                                       tip="Record a session")
        self.edit_session = make_action(self, "Edit &session…", "Ctrl+Shift+E", tip="Correct the selected session")
        self.open_course = make_action(self, "&Open a course…", tip="Open a treatment course")
        self.edit_course = make_action(self, "Edit &course…", tip="Planned sessions, fee and conditions of the course")
        self.complete_course = make_action(self, "Co&mplete course…", tip="Mark the course completed")
        self.discontinue_course = make_action(self, "&Discontinue course…", tip="Stop the course early")
        self.show_overview = make_action(self, "&Overview", "Ctrl+1")
        self.show_screening = make_action(self, "Sc&reening", "Ctrl+2")
        self.show_sessions = make_action(self, "Sess&ions", "Ctrl+3")
        self.show_progress = make_action(self, "Pro&gress", "Ctrl+4")
        self.show_billing = make_action(self, "Bi&lling", "Ctrl+5", tip="The Billing tab of the open patient")
        self.show_outcomes = make_action(self, "O&utcomes", "Ctrl+6", tip="The outcome forms (ODI, NDI, PSFS)")
        self.preview_summary = make_action(self, "Print pre&view…", "Ctrl+Shift+P",
                                           tip="Preview the progress summary of the course on show, and print it")
        self.print_summary = make_action(self, "&Print summary…", QKeySequence.StandardKey.Print,
                                         tip="Print the progress summary of the course on show")
        self.save_summary_pdf = make_action(self, "Save summary as P&DF…",
                                            tip="Save the progress summary of the course on show as a PDF file")
        self._tips = {a: a.toolTip() for a in self.all()}

    def all(self) -> list[QAction]:
        return [v for v in vars(self).values() if isinstance(v, QAction)]

    def set_enabled(self, action: QAction, on: bool, why_not: str = "") -> None:
        """Disabled actions say why, in their tooltip and status tip."""
        action.setEnabled(on)
        tip = self._tips[action] if on or not why_not else f"{self._tips[action]}: unavailable. {why_not}"
        action.setToolTip(tip)
        action.setStatusTip(tip)
