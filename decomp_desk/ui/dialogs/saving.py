"""The shape every editing dialog shares: fields checked as the user types, a save that runs in the
background, and a refusal that keeps everything typed and names what is wrong."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLayout, QVBoxLayout, QWidget

from decomp_desk.bootstrap import Services
from decomp_desk.domain.errors import ValidationError
from decomp_desk.ui.forms import FieldMarks, changed_signal
from decomp_desk.ui.plain_text import install_plain_text_labels
from decomp_desk.ui.workers import Runner


class SavingDialog(QDialog):
    """Subclasses build their fields, call `bind(fields, labels)`, and provide:
    `check()` -> (the input for the service, {field: message}): what the form and the domain's
    validators can tell before asking the service (also run as the user types), and
    `store(data)` -> the saved result (runs on a worker thread: services only, no widgets)."""

    saved = Signal(object)
    refused = Signal(object)  # the exception, after it was shown

    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None, save_text: str = "Save"):
        super().__init__(parent)
        install_plain_text_labels()  # also for a dialog shown before the window (the first start)
        self.services, self.runner = services, runner
        self.result_value: Any = None
        self.saving = False
        self.touched: set[str] = set()
        self.summary = QLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(save_text)
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.setToolTip(f"{save_text} (Ctrl+S or Ctrl+Return)")
        # Ctrl+Return saves from any field, a multi-line note included (Return there starts a new line).
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save, context=Qt.ShortcutContext.WindowShortcut)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.marks: FieldMarks | None = None

    def bind(self, fields: dict[str, QWidget], labels: dict[str, str]) -> None:
        self.fields = fields
        self.marks = FieldMarks(self.summary, fields, labels)
        for name, w in fields.items():
            signal = changed_signal(w)
            if signal is not None:
                signal.connect(lambda *_, n=name: self._edited(n))

    def arrange(self, *parts: QWidget | QLayout | str, min_width_em: int = 0) -> QVBoxLayout:
        """The dialog's layout: `parts` top to bottom (a str becomes a wrapped note), then the summary of
        what is wrong and the buttons."""
        layout = QVBoxLayout(self)
        for part in parts:
            if isinstance(part, str):
                part = QLabel(part)
                part.setWordWrap(True)
            layout.addLayout(part) if isinstance(part, QLayout) else layout.addWidget(part)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        if min_width_em:
            self.setMinimumWidth(self.fontMetrics().horizontalAdvance("m") * min_width_em)
        return layout

    # --- for subclasses ---------------------------------------------------------------------------
    def check(self) -> tuple[Any, dict[str, str]]:
        raise NotImplementedError

    def store(self, data: Any) -> Any:
        raise NotImplementedError

    def collect(self) -> Any:
        data, errors = self.check()
        if errors:
            raise ValidationError(errors)
        return data

    def show_refusal(self, exc: BaseException) -> str:
        """Mark what was refused, in the form (each reason once, beside its field); returns it as a sentence."""
        return self.marks.show_error(exc)

    # --- feedback as the user types ---------------------------------------------------------------
    def _edited(self, name: str) -> None:
        self.touched.add(name)
        self.recheck()

    def recheck(self) -> None:
        errors = self.check()[1]
        self.marks.show({k: v for k, v in errors.items() if k in self.touched})

    # --- saving -----------------------------------------------------------------------------------
    def save(self) -> None:
        if self.saving:
            return
        try:
            data = self.collect()
        except ValidationError as exc:
            self.touched.update(exc.errors)
            self._refused(exc)
            return
        self._set_saving(True)
        self.runner.submit(lambda: self.store(data), self._stored, self._refused, write=True, parent=self)

    def _stored(self, result: Any) -> None:
        self._set_saving(False)
        self.result_value = result
        self.marks.clear()
        self.saved.emit(result)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        """Nothing typed is touched: the fields keep their values, the refused ones are marked. Said in
        the form only: a message box repeating the marked fields' reasons said everything twice."""
        self._set_saving(False)
        self.show_refusal(exc)
        self.refused.emit(exc)

    def _set_saving(self, on: bool) -> None:
        self.saving = on
        self.buttons.setEnabled(not on)

    def reject(self) -> None:
        if not self.saving:  # a save in flight finishes first
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.saving:
            event.ignore()
        else:
            super().closeEvent(event)

    @classmethod
    def run(cls, *args: Any, **kwargs: Any) -> Any:
        """Show the dialog modally; the saved result, or None when cancelled."""
        dialog = cls(*args, **kwargs)
        try:
            return dialog.result_value if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
