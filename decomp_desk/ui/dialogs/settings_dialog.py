"""The clinic's settings (administrators): the letterhead, fees and courses, printing, security and
backups, and the ICD-10-CM short list, saved together in one transaction (both or neither)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from decomp_desk.bootstrap import Services
from decomp_desk.domain.billing import DiagnosisCode, validate_icd_codes
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.money import parse_money
from decomp_desk.domain.records import record
from decomp_desk.services.dto import ClinicSettingsView
from decomp_desk.services.settings import PROCEDURE_CODES, settings_errors
from decomp_desk.ui import theme
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.dialogs.icd_code_table import IcdCodeEditor, row_error
from decomp_desk.ui.dialogs.saving import SavingDialog
from decomp_desk.ui.forms import chain_tab_order, plain_text
from decomp_desk.ui.workers import Runner

LABELS = {
    "name": "Clinic name", "address": "Street", "city": "City", "state": "State", "zip_code": "ZIP",
    "phone": "Phone", "tax_id": "Tax id",
    "default_fee": "Default fee per session", "default_planned_sessions": "Default planned sessions",
    "procedure_code": "Procedure code", "paper_size": "Paper size", "idle_lock_minutes": "Lock after",
    "backup_retention": "Backups to keep",
}
PAPER_SIZES = {"letter": "Letter (8.5 × 11 in)", "a4": "A4 (210 × 297 mm)"}
PROCEDURE_HINT = ("Printed beside each session on statements and estimates. HCPCS S9090 where the payer "
                  "recognises it; CPT 97012 (mechanical traction) where it does not; some payers want 97799 "
                  "with a report instead.")


class RowLabels(dict):
    """The form's words for a field; the code table's rows ('row 3 code') are named as the table shows them."""

    def get(self, name, default=None):
        where = row_error(name)
        if where is not None:
            return f"Diagnosis codes, row {where[0] + 1} {name.rsplit(' ', 1)[1]}"
        return super().get(name, default)


@record
class SettingsSaved:
    settings: ClinicSettingsView
    codes: list[DiagnosisCode]


def hint(text: str) -> QLabel:
    """An explanation under a field, in the palette's quieter text (readable, but plainly not a field)."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText))
    label.setPalette(palette)
    return label


def spin(maximum: int, suffix: str) -> QSpinBox:
    """Zero and numbers beyond the rule's range may be typed: the rule then names the field and its range."""
    box = QSpinBox()
    box.setRange(0, maximum)
    box.setSuffix(suffix)
    box.setMaximumWidth(box.fontMetrics().horizontalAdvance("m") * 12)
    return box


class SettingsDialog(SavingDialog):
    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None):
        super().__init__(services, runner, parent, save_text="Save settings")
        self.setWindowTitle("Clinic settings")
        self.loaded: ClinicSettingsView | None = None

        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Riverside Spine & Chiropractic")
        self.address = plain_text(2)
        self.address.setPlaceholderText("Street\nSuite (if any)")
        self.city, self.state, self.zip_code = QLineEdit(), QLineEdit(), QLineEdit()
        place = QHBoxLayout()
        for w, text, chars in ((self.city, "City", 0), (self.state, "State", 6), (self.zip_code, "ZIP", 9)):
            w.setPlaceholderText(text)
            w.setAccessibleName(text)
            if chars:
                w.setMaximumWidth(self.fontMetrics().horizontalAdvance("m") * chars)
            place.addWidget(w, 0 if chars else 1)
        place_label = QLabel("Cit&y, state, ZIP:")
        place_label.setBuddy(self.city)
        self.phone = QLineEdit()
        self.tax_id = QLineEdit()
        self.tax_id.setPlaceholderText("e.g. 12-3456789 (EIN)")
        self.default_fee = QLineEdit()
        self.default_fee.setMaximumWidth(self.fontMetrics().horizontalAdvance("m") * 10)
        self.default_planned_sessions = spin(999, " sessions")
        self.procedure_code = QComboBox()
        for code, description in PROCEDURE_CODES.items():
            self.procedure_code.addItem(description, code)
        self.paper_size = QComboBox()
        for size, text in PAPER_SIZES.items():
            self.paper_size.addItem(text, size)
        self.idle_lock_minutes = spin(999, " minutes")
        self.backup_retention = spin(9999, " backups")
        self.codes = IcdCodeEditor()

        self.tabs = QTabWidget()
        self.tabs.addTab(self._page(
            ("Clinic &name:", self.name), ("&Address:", self.address), (place_label, place), ("&Phone:", self.phone),
            ("&Tax id:", self.tax_id),
            hint("The letterhead of every printed summary, statement and estimate; the tax id is printed on "
                 "statements for the patient's insurance claim.")), "Clinic")
        self.tabs.addTab(self._page(
            ("Default &fee per session ($):", self.default_fee),
            ("Default planned &sessions:", self.default_planned_sessions),
            hint("What a new course starts with (each course can differ); courses already open keep theirs."),
            ("Procedure &code:", self.procedure_code), hint(PROCEDURE_HINT)), "Fees && courses")
        self.tabs.addTab(self._page(
            ("Pa&per size:", self.paper_size),
            hint("The size summaries, statements and estimates are laid out for, in print and in PDF files.")),
            "Printing")
        self.tabs.addTab(self._page(
            ("&Lock after:", self.idle_lock_minutes),
            hint("The desk locks after this many minutes without a key press or a click (from 1 to 240), so a "
                 "patient's record is not left open on an unattended screen."),
            ("&Backups to keep:", self.backup_retention),
            hint("How many of the daily backups the desk makes as it starts are kept (from 1 to 365); the oldest "
                 "is removed when a new one is made.")),
            "Security && backups")
        self.tabs.addTab(self.codes, "Diagnosis codes")
        self.loading = QLabel("Loading the settings…")

        layout = QVBoxLayout(self)
        layout.addWidget(self.loading)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        chain_tab_order([self.tabs, self.name, self.address, self.city, self.state, self.zip_code, self.phone,
                         self.tax_id])
        m = self.fontMetrics().horizontalAdvance("m")
        self.setMinimumSize(m * 62, m * 40)
        self.resize(m * 72, m * 46)

        self.bind({name: getattr(self, name) for name in LABELS}, RowLabels(LABELS))
        self.codes.edited.connect(self.recheck)
        self.tabs.setEnabled(False)
        self.save_button.setEnabled(False)  # until the settings are in: an empty form must never be saved
        self.runner.submit(self._load, self._loaded, self._load_failed, parent=self)

    def _page(self, *rows) -> QWidget:
        """A tab's form: (label, field) rows and hints under the field they explain, kept at the top."""
        page = QWidget()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for row in rows:
            if isinstance(row, QWidget):
                form.addRow("", row)
            else:
                form.addRow(*row)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    # --- loading (off the UI thread) ----------------------------------------------------------------
    def _load(self) -> tuple[ClinicSettingsView, list[DiagnosisCode]]:
        return self.services.settings.get(), self.services.billing.icd_codes(include_inactive=True)

    def _loaded(self, result: tuple[ClinicSettingsView, list[DiagnosisCode]]) -> None:
        settings, codes = result
        self.loaded = settings
        self.name.setText(settings.name)
        self.address.setPlainText(settings.address)
        self.city.setText(settings.city)
        self.state.setText(settings.state)
        self.zip_code.setText(settings.zip_code)
        self.phone.setText(settings.phone)
        self.tax_id.setText(settings.tax_id)
        self.default_fee.setText(f"{settings.default_fee:.2f}")
        self.default_planned_sessions.setValue(settings.default_planned_sessions)
        self._choose(self.procedure_code, settings.procedure_code)
        self._choose(self.paper_size, settings.paper_size)
        self.idle_lock_minutes.setValue(settings.idle_lock_minutes)
        self.backup_retention.setValue(settings.backup_retention)
        self.codes.model.set_codes(codes)
        self.touched.clear()  # filling the form is not the user's typing
        self.marks.clear()
        self.loading.hide()
        self.tabs.setEnabled(True)
        self.save_button.setEnabled(True)
        self.name.setFocus()

    def _load_failed(self, exc: BaseException) -> None:
        self.loading.setText(f"The settings could not be loaded. {messages.describe_error(exc)} "
                             "Close this window and try again.")
        self.loading.setWordWrap(True)
        self.loading.setStyleSheet(f"color: {theme.ERROR_BORDER};")

    @staticmethod
    def _choose(box: QComboBox, value: str) -> None:
        index = box.findData(value)
        if index < 0:  # a value this desk does not know (a newer version wrote it): shown, kept as it is
            box.addItem(value, value)
            index = box.count() - 1
        box.setCurrentIndex(index)

    # --- checking and saving -------------------------------------------------------------------------
    def check(self) -> tuple[tuple[ClinicSettingsView, list[DiagnosisCode]] | None, dict[str, str]]:
        if self.loaded is None:
            return None, {}
        errors: dict[str, str] = {}
        try:
            fee = parse_money("default_fee", self.default_fee.text())
        except ValidationError as e:
            errors.update(e.errors)
            fee = self.loaded.default_fee  # stands in while the typed text is not an amount
        view = ClinicSettingsView(
            name=self.name.text(), address=self.address.toPlainText(), phone=self.phone.text(),
            tax_id=self.tax_id.text(), default_fee=fee,
            default_planned_sessions=self.default_planned_sessions.value(),
            procedure_code=self.procedure_code.currentData(), paper_size=self.paper_size.currentData(),
            idle_lock_minutes=self.idle_lock_minutes.value(), backup_retention=self.backup_retention.value(),
            version=self.loaded.version, city=self.city.text(), state=self.state.text(), zip_code=self.zip_code.text(),
        )
        errors = {**settings_errors(view), **errors}
        codes = self.codes.model.codes()
        try:
            validate_icd_codes(codes)
        except ValidationError as e:
            errors.update(e.errors)
        return (view, codes), errors

    def save(self) -> None:
        if self.loaded is not None:  # nothing to save before the settings are in
            super().save()

    def store(self, data: tuple[ClinicSettingsView, list[DiagnosisCode]]) -> SettingsSaved:
        view, codes = data
        # One transaction: a list that cannot be written leaves the settings as they were too, and the
        # dialog stays open with everything typed, so the user can simply save again.
        saved = self.services.settings.update(view, icd_codes=codes)
        # The list as stored (codes upper-case, descriptions trimmed), without reading it back: a read that
        # failed now would report a save that succeeded as refused.
        return SettingsSaved(saved, validate_icd_codes(codes))

    def recheck(self) -> None:
        if self.loaded is None:
            return
        errors = self.check()[1]
        rows = self.codes.model.rows
        shown = {key: msg for key, msg in errors.items()
                 if (row_error(key) is None and key in self.touched)
                 or (row_error(key) is not None and rows[row_error(key)[0]].touched)}
        self.marks.show(shown)
        self._mark(shown)

    def show_refusal(self, exc: BaseException) -> str:
        errors = exc.errors if isinstance(exc, ValidationError) else {}
        for key in errors:
            where = row_error(key)
            if where is not None and where[0] < len(self.codes.model.rows):
                self.codes.model.rows[where[0]].touched = True
        first = next(iter(errors), None)
        if first is not None:  # bring the first refused field into view before it gets the focus
            where = row_error(first)
            self.tabs.setCurrentWidget(self.codes if where is not None else self._tab_of(self.fields.get(first)))
            if where is not None:
                self.codes.select_row(*where)
        text = super().show_refusal(exc)
        self._mark(errors)
        return text

    def _tab_of(self, widget: QWidget | None) -> QWidget:
        while widget is not None and self.tabs.indexOf(widget) < 0:
            widget = widget.parentWidget()
        return widget if widget is not None else self.tabs.currentWidget()

    def _mark(self, errors: dict[str, str]) -> None:
        """The code table's cells, and each tab's title in red while a field on it is refused."""
        self.codes.model.set_errors(errors)
        bad = {self.tabs.indexOf(self.codes) if row_error(k) is not None else
               self.tabs.indexOf(self._tab_of(self.fields[k])) for k in errors
               if row_error(k) is not None or k in self.fields}
        for i in range(self.tabs.count()):
            colour = QColor(theme.ERROR_BORDER) if i in bad else self.palette().color(self.foregroundRole())
            self.tabs.tabBar().setTabTextColor(i, colour)

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, runner: Runner) -> SettingsSaved | None:
        """The saved settings and code list; None when the user closed the dialog."""
        return cls.run(services, runner, parent=parent)
