"""Overview: the patient's details, a clearance banner that names the reasons, the course in one line."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from decomp_desk.domain.addresses import display_phone
from decomp_desk.domain.money import fmt_dollars
from decomp_desk.domain.types import Condition
from decomp_desk.ui.banner import Banner
from decomp_desk.ui.pages.patient_actions import PatientActions
from decomp_desk.ui.patient_file import PatientFile


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def action_button(action, parent: QWidget | None = None) -> QToolButton:
    button = QToolButton(parent)
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


def _value() -> QLabel:
    label = QLabel()
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class OverviewTab(QWidget):
    FIELDS = (("chart", "Chart number"), ("born", "Date of birth"), ("sex", "Sex"), ("phone", "Phone"),
              ("email", "Email"), ("address", "Address"), ("insurer", "Insurer"), ("coverage", "Coverage"),
              ("notes", "Notes"))

    def __init__(self, actions: PatientActions, today, parent: QWidget | None = None):
        super().__init__(parent)
        self.today = today
        self.clearance = Banner(self)
        self.clearance.setObjectName("clearance_banner")
        self.archived = Banner(self, "info", "This patient is archived: kept on file, left out of the list.")
        self.course = QLabel()
        self.course.setObjectName("course_line")
        self.course.setWordWrap(True)
        self.screening = QLabel()
        self.screening.setWordWrap(True)
        self.values = {key: _value() for key, _ in self.FIELDS}

        details = QGroupBox("Details")
        form = QFormLayout(details)
        for key, label in self.FIELDS:
            form.addRow(f"{label}:", self.values[key])
        treatment = QGroupBox("Treatment")
        t = QVBoxLayout(treatment)
        t.addWidget(self.screening)
        t.addWidget(self.course)
        course_buttons = QHBoxLayout()
        for action in (actions.new_session, actions.open_course, actions.new_screening):
            course_buttons.addWidget(action_button(action))
        course_buttons.addStretch(1)
        t.addLayout(course_buttons)

        buttons = QHBoxLayout()
        buttons.addWidget(action_button(actions.edit_patient))
        buttons.addWidget(action_button(actions.archive_patient))
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.archived)
        layout.addWidget(self.clearance)
        layout.addWidget(treatment)
        layout.addWidget(details)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def show_file(self, f: PatientFile) -> None:
        p = f.patient
        self.archived.setVisible(p.archived)
        self.clearance.show_clearance(f.clearance)
        born = ""
        if p.date_of_birth:
            born = f"{p.date_of_birth.isoformat()} (age {age_on(p.date_of_birth, self.today())})"
        coverage = p.coverage.label
        if p.coverage_verified_on:
            coverage += f", verified {p.coverage_verified_on.isoformat()}"
            coverage += f" by {p.coverage_verified_by}" if p.coverage_verified_by else ""
        values = {"chart": p.chart_number, "born": born, "sex": p.sex.label if p.sex else "",
                  "phone": display_phone(p.phone), "email": p.email, "address": p.mailing_address,
                  "insurer": " · ".join(x for x in (p.insurer, p.policy_number and f"policy {p.policy_number}") if x),
                  "coverage": coverage, "notes": p.notes}
        for key, label in self.values.items():
            label.setText(values[key] or "–")

        s = f.latest_screening
        if s is None:
            self.screening.setText("Screening: none on file yet. Screen the patient (x-ray and contraindications) "
                                   "before the first session.")
        else:
            conditions = ", ".join(c.label.lower() for c in Condition if c in s.conditions) or "no condition named"
            xray = f"x-ray {s.xray_on.isoformat()}" if s.xray_on else "no x-ray"
            self.screening.setText(f"Latest screening: {s.screened_on.isoformat()} by {s.screened_by or 'unknown'}; "
                                   f"{xray}; {s.region.label.lower()}; {conditions}.")
        c = f.current_course
        if c is None:
            self.course.setText("Course: none yet. Open a course (or record a session) to start one.")
        else:
            self.course.setText(f"Course: {c.describe()}; {fmt_dollars(c.fee_per_session)} per session.")
