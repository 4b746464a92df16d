"""The course chooser that the Sessions and Progress tabs share: the patient's courses, newest first."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from decomp_desk.ui.patient_file import PatientFile


class CourseBox(QComboBox):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(30)
        self.setAccessibleName("Course")
        self.label = QLabel("Co&urse:")
        self.label.setBuddy(self)

    def show_courses(self, f: PatientFile, keep: int | None = None) -> None:
        """List `f`'s courses and choose `keep` if it is one of them, else the current course; no signal."""
        self.blockSignals(True)
        self.clear()
        for c in f.courses:
            self.addItem(c.describe(), c.id)
        wanted = keep if f.course(keep) is not None else f.current_course_id
        self.setCurrentIndex(max(0, self.findData(wanted)))
        self.setEnabled(bool(f.courses))
        if not f.courses:
            self.addItem("No course yet", None)
        self.blockSignals(False)

    def kept_choice(self, shown: PatientFile | None, f: PatientFile) -> int | None:
        """The course chosen now, when `f` is the same patient as the file `shown` (a reload after a save);
        None for another patient, who starts on their current course."""
        return self.currentData() if shown is not None and shown.patient.id == f.patient.id else None
