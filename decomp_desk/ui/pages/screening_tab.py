"""Screening: the history, and a form whose clearance decision updates as the boxes are ticked."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from decomp_desk.bootstrap import Services
from decomp_desk.domain.clearance import clearance_for
from decomp_desk.domain.screening_input import ScreeningInput
from decomp_desk.domain.types import Condition, Contraindication, Region, Role, ScreeningFacts, Sex
from decomp_desk.services.dto import ScreeningView
from decomp_desk.ui.banner import Banner
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.forms import EnumCombo, FieldMarks, chain_tab_order, date_edit, plain_text, to_qdate
from decomp_desk.ui.patient_file import PatientFile
from decomp_desk.ui.table_models import ScreeningTableModel
from decomp_desk.ui.table_views import sorted_table
from decomp_desk.ui.workers import Runner

LABELS = {"screened_on": "Screened on", "xray_on": "X-ray date", "xray_abnormal": "X-ray abnormality",
          "region": "Region", "screened_by": "Screened by"}


def sentence(text: str) -> str:
    """The text with one full stop at its end ("no fracture." never becomes "no fracture..")."""
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def pregnancy_question(patient, data: ScreeningInput) -> str:
    """Pregnancy ticked for a patient recorded as male: asked, never refused (the sex on file may be the
    mistake)."""
    if Contraindication.PREGNANT not in data.contraindications or patient.sex is not Sex.MALE:
        return ""
    return (f"{patient.full_name} is recorded as male, and pregnancy is ticked. Save the screening with "
            "pregnancy (it rules decompression out)? If the sex on file is wrong, correct it with Edit patient "
            "details.")


class ScreeningForm(QGroupBox):
    """A new screening. `facts()` is what the eligibility rules read; `decision` shows their verdict live."""

    changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__("New screening", parent)
        self.services = services
        today = services.today()
        self.screened_on = date_edit(latest=today)
        self.screened_by = QLineEdit()
        self.region = EnumCombo(Region)
        self.xray_taken = QCheckBox("X-ray &taken on")
        self.xray_on = date_edit(latest=today)
        self.xray_abnormal = QCheckBox("X-ray shows a bone &abnormality")
        self.xray_finding = QLineEdit()
        self.xray_finding.setPlaceholderText("What the x-ray shows")
        self.contraindications = {c: QCheckBox(c.label) for c in Contraindication}
        self.conditions = {c: QCheckBox(c.label) for c in Condition}
        self.notes = plain_text(2)
        self.decision = Banner(self)
        self.decision.setObjectName("screening_decision")
        self.save_button = QPushButton("Save screening")
        self.save_button.setDefault(False)
        self.summary = QLabel()

        form = QFormLayout()
        form.addRow("Screened o&n:", self.screened_on)
        form.addRow("Screened b&y:", self.screened_by)
        form.addRow("Re&gion:", self.region)
        xray_row = QHBoxLayout()
        xray_row.addWidget(self.xray_taken)
        xray_row.addWidget(self.xray_on)
        xray_row.addStretch(1)
        form.addRow("X-ray:", xray_row)
        form.addRow("", self.xray_abnormal)
        form.addRow("Finding:", self.xray_finding)
        contra = QGroupBox("Contraindications (any one rules decompression out)")
        cg = QGridLayout(contra)
        for i, box in enumerate(self.contraindications.values()):
            cg.addWidget(box, i // 2, i % 2)
        cond = QGroupBox("Conditions to treat")
        dg = QGridLayout(cond)
        for i, box in enumerate(self.conditions.values()):
            dg.addWidget(box, i // 2, i % 2)
        form_notes = QFormLayout()
        form_notes.addRow("Not&es:", self.notes)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(contra)
        layout.addWidget(cond)
        layout.addLayout(form_notes)
        layout.addWidget(self.decision)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addStretch(1)
        chain_tab_order([self.screened_on, self.screened_by, self.region, self.xray_taken, self.xray_on,
                         self.xray_abnormal, self.xray_finding, *self.contraindications.values(),
                         *self.conditions.values(), self.notes, self.save_button])

        self.marks = FieldMarks(self.summary, {"screened_on": self.screened_on, "xray_on": self.xray_on,
                                               "xray_abnormal": self.xray_abnormal, "region": self.region,
                                               "screened_by": self.screened_by}, LABELS)
        for box in (self.xray_taken, self.xray_abnormal, *self.contraindications.values()):
            box.toggled.connect(self._update)
        self.screened_on.dateChanged.connect(self._update)
        self.xray_on.dateChanged.connect(self._update)
        self.region.currentIndexChanged.connect(self._update)  # the x-ray's reason names the region
        self.reset()

    def reset(self) -> None:
        today = to_qdate(self.services.today())
        for box in (self.screened_on, self.xray_on):
            box.setMaximumDate(today)
            box.setDate(today)
        self.screened_by.setText(self.services.actor.display_name)
        self.xray_taken.setChecked(False)
        self.xray_abnormal.setChecked(False)
        self.xray_finding.clear()
        for box in (*self.contraindications.values(), *self.conditions.values()):
            box.setChecked(False)
        self.notes.clear()
        self.marks.clear()
        self._update()

    def start_from(self, s: ScreeningView | None) -> None:
        """A re-screening starts from what the last one said about region and conditions."""
        if s is not None:
            self.region.set_current(s.region)
            for c, box in self.conditions.items():
                box.setChecked(c in s.conditions)

    def facts(self) -> ScreeningFacts:
        return ScreeningFacts(
            screened_on=self.screened_on.date().toPython(),
            xray_on=self.xray_on.date().toPython() if self.xray_taken.isChecked() else None,
            xray_abnormal=self.xray_abnormal.isChecked(),
            contraindications=frozenset(c for c, box in self.contraindications.items() if box.isChecked()),
        )

    def data(self) -> ScreeningInput:
        f = self.facts()
        return ScreeningInput(
            screened_on=f.screened_on, xray_on=f.xray_on, xray_abnormal=f.xray_abnormal,
            region=self.region.current(), contraindications=f.contraindications,
            conditions=frozenset(c for c, box in self.conditions.items() if box.isChecked()),
            xray_finding=self.xray_finding.text().strip(), screened_by=self.screened_by.text().strip(),
            notes=self.notes.toPlainText().strip(),
        )

    def _update(self) -> None:
        self.xray_on.setEnabled(self.xray_taken.isChecked())
        # This screening alone, for its region: the words the rest of the desk will use once it is saved.
        f, region = self.facts(), self.region.current() or Region.LUMBAR
        self.decision.show_clearance(clearance_for([replace(f, region=region)], region, f.screened_on),
                                     lead="If saved: ")
        self.changed.emit()


class ScreeningTab(QWidget):
    changed = Signal(str, object)  # a status message and what the save changed (domain.op_changes.Changes)

    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.runner = services, runner
        self.file: PatientFile | None = None
        self.model = ScreeningTableModel(self)
        self.proxy, self.table = sorted_table(self.model, "Screening history", Qt.SortOrder.DescendingOrder, self)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form = ScreeningForm(services)
        self.form.save_button.clicked.connect(self.save)
        save_key = QShortcut(QKeySequence.StandardKey.Save, self.form, self.save)
        save_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.form.save_button.setToolTip("Save screening (Ctrl+S)")

        history = QGroupBox("History (the newest screening governs)")
        h = QVBoxLayout(history)
        h.addWidget(self.table, 1)
        h.addWidget(self.detail)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(history)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setChildrenCollapsible(False)
        scroll.setMinimumWidth(self.form.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)

    def show_file(self, f: PatientFile, fresh: bool) -> None:
        """`fresh`: another patient (or the first load), so the form starts over."""
        self.file = f
        self.model.set_rows(f.screenings)
        self.table.resizeColumnsToContents()
        if fresh:
            self.form.reset()
            self.form.start_from(f.latest_screening)
        actor = self.services.actor
        may_screen = actor.has(Role.CLINICIAN)  # the service refuses anyone else: say so before the form is filled
        self.form.setEnabled(not f.patient.archived and may_screen)
        self.form.setToolTip("" if may_screen else
                             f"Only a clinician screens patients; {actor.display_name} is not one.")
        if self.proxy.rowCount():
            self.table.selectRow(0)
        else:
            self.detail.setText("No screening on file yet: fill in the form and save it.")

    def _show_detail(self, current, _previous=None) -> None:
        if not current.isValid():
            return
        s: ScreeningView = self.model.row_at(self.proxy.mapToSource(current))
        conditions = ", ".join(c.label for c in Condition if c in s.conditions) or "none named"
        parts = [f"Conditions: {conditions}."]
        if s.xray_finding:
            parts.append(f"X-ray finding: {sentence(s.xray_finding)}")
        if s.notes:
            parts.append(f"Notes: {sentence(s.notes)}")
        self.detail.setText(" ".join(parts))

    def focus_form(self) -> None:
        self.form.screened_on.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def save(self) -> None:
        if self.file is None or not self.form.save_button.isEnabled():
            return
        data, patient_id = self.form.data(), self.file.patient.id
        question = pregnancy_question(self.file.patient, data)
        if question and not messages.confirm(self, question, yes="Save with pregnancy"):
            return  # nothing saved; the form keeps everything ticked
        self.form.save_button.setEnabled(False)
        self.runner.submit(lambda: self.services.screenings.record(patient_id, data), self._saved, self._refused,
                           write=True, parent=self)

    def _saved(self, view: ScreeningView) -> None:
        self.form.save_button.setEnabled(True)
        self.form.reset()
        self.form.start_from(view)
        self.changed.emit(f"Screening of {view.screened_on.isoformat()} saved: {view.clearance.describe()}.",
                          view.changes)

    def _refused(self, exc: BaseException) -> None:
        """Everything ticked and typed stays; the refused fields are named."""
        self.form.save_button.setEnabled(True)
        self.form.marks.show_error(exc)  # said once, in the form
