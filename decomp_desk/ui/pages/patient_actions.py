"""The actions that work on the open patient, shared by the page's buttons and the window's menus."""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from decomp_desk.ui.dialogs import messages


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
        self._why_not: dict[QAction, str] = {}  # a disabled action's reason, said when its shortcut is pressed
        self._explainers: dict[QAction, QShortcut] = {}

    def all(self) -> list[QAction]:
        return [v for v in vars(self).values() if isinstance(v, QAction)]

    def set_enabled(self, action: QAction, on: bool, why_not: str = "") -> None:
        """Disabled actions say why, in their tooltip and status tip."""
        action.setEnabled(on)
        tip = self._tips[action] if on or not why_not else f"{self._tips[action]}: unavailable. {why_not}"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        self._explain_when_pressed(action, None if on or not why_not else why_not)

    def _explain_when_pressed(self, action: QAction, why_not: str | None) -> None:
        """A disabled action's shortcut (Ctrl+R on a patient who is not cleared) says why, as the greyed
        button's tooltip does, instead of doing nothing: while the action is disabled its keys go to a
        stand-in (Qt matches no disabled action's shortcut, so the two never clash)."""
        window = self.parent()
        if not isinstance(window, QWidget) or not action.shortcuts():
            return
        shortcut = self._explainers.get(action)
        if shortcut is None:
            if not why_not:
                return
            shortcut = QShortcut(window)
            shortcut.setKeys(action.shortcuts())
            shortcut.activated.connect(lambda a=action: self._explain(a))
            self._explainers[action] = shortcut
        self._why_not[action] = why_not or ""
        shortcut.setEnabled(bool(why_not))

    def quiet(self) -> None:
        """No patient on show: a shortcut pressed now explains nothing about the one shown before."""
        for shortcut in self._explainers.values():
            shortcut.setEnabled(False)

    def _explain(self, action: QAction) -> None:
        why = self._why_not.get(action, "")
        if why and not action.isEnabled():
            what = action.text().replace("&", "").rstrip(".…")
            parent = self.parent()
            messages.show_error(parent if isinstance(parent, QWidget) else None, f"{what} is not available. {why}")
