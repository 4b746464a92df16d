"""The book's dialogs: book one appointment, book a course, record the session of an appointment.
Each has an `ask` classmethod (tests drive the real dialog through it)."""
from __future__ import annotations

from datetime import date, time

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QSpinBox, QWidget

from decomp_desk.bootstrap import Services
from decomp_desk.domain.appointments import MAX_MINUTES, MIN_MINUTES, WEEKDAY_NAMES
from decomp_desk.domain.errors import ValidationError
from decomp_desk.services.book_dto import AppointmentView, CourseBookingResult
from decomp_desk.services.dto import PatientDetail, SavedSession
from decomp_desk.ui.dialogs.saving import SavingDialog
from decomp_desk.ui.dialogs.session_dialog import SessionDialog
from decomp_desk.ui.forms import date_edit, time_edit, to_qdate, to_qtime
from decomp_desk.ui.workers import Runner


def patient_combo(services: Services, selected: int | None = None) -> QComboBox:
    """Every active patient, 'Lee, Ann (1001)', searchable by typing."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItem("", None)
    for row in services.patients.list(""):
        combo.addItem(f"{row.last_name}, {row.first_name} ({row.chart_number})", row.id)
        if row.id == selected:
            combo.setCurrentIndex(combo.count() - 1)
    combo.completer().setFilterMode(combo.completer().filterMode().MatchContains)
    return combo


def table_combo(tables: tuple[str, ...] | list[str], current: str | None) -> QComboBox:
    combo = QComboBox()
    combo.addItems(list(tables))
    if current in tables:
        combo.setCurrentText(current)
    return combo


def minutes_box(value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(MIN_MINUTES, MAX_MINUTES)
    box.setSingleStep(5)
    box.setSuffix(" min")
    box.setValue(value)
    return box


def _chosen_patient(combo: QComboBox) -> int | None:
    """The patient picked (or typed exactly as listed)."""
    index = combo.findText(combo.currentText())
    return combo.itemData(index) if index >= 0 else None


class BookAppointmentDialog(SavingDialog):
    """One appointment at a day, time and table (from a double-click or Enter on the book)."""

    def __init__(self, services: Services, runner: Runner, day: date, at: time, table: str,
                 tables: tuple[str, ...], patient_id: int | None = None, parent: QWidget | None = None):
        super().__init__(services, runner, parent, save_text="Book")
        self.setWindowTitle("Book an appointment")
        settings = services.book_settings.get()
        self.patient = patient_combo(services, patient_id)
        self.day = date_edit(value=day)
        self.start_time = time_edit(at)
        self.table = table_combo(tables, table)
        self.minutes = minutes_box(settings.appointment_minutes)
        form = QFormLayout()
        form.addRow("&Patient:", self.patient)
        form.addRow("&Date:", self.day)
        form.addRow("&Time:", self.start_time)
        form.addRow("T&able:", self.table)
        form.addRow("&Length:", self.minutes)
        self.arrange(form, min_width_em=40)
        self.bind({"chart_number": self.patient, "date": self.day, "start_time": self.start_time,
                   "table": self.table, "minutes": self.minutes},
                  {"chart_number": "Patient", "date": "Date", "start_time": "Time", "table": "Table",
                   "minutes": "Length"})
        self.patient.setFocus()

    def check(self):
        pid = _chosen_patient(self.patient)
        data = (pid, self.day.date().toPython(), self.start_time.time().toPython().replace(second=0),
                self.table.currentText(), self.minutes.value())
        return data, ({} if pid is not None else {"chart_number": "choose the patient from the list"})

    def store(self, data) -> AppointmentView:
        pid, day, at, table, minutes = data
        return self.services.appointments.book(pid, day, at, table, minutes)

    @classmethod
    def ask(cls, parent, services: Services, runner: Runner, day: date, at: time, table: str,
            tables: tuple[str, ...], patient_id: int | None = None) -> AppointmentView | None:
        return cls.run(services, runner, day, at, table, tables, patient_id, parent=parent)


class BookCourseDialog(SavingDialog):
    """Book the active course's remaining sessions: first day, weekdays, time, preferred table."""

    def __init__(self, services: Services, runner: Runner, first_day: date, tables: tuple[str, ...],
                 patient_id: int | None = None, parent: QWidget | None = None):
        super().__init__(services, runner, parent, save_text="Book the course")
        self.setWindowTitle("Book the course")
        self.patient = patient_combo(services, patient_id)
        self.first_day = date_edit(value=first_day)
        self.days = [QCheckBox(name[:3]) for name in WEEKDAY_NAMES]
        for i in (0, 2, 4):
            self.days[i].setChecked(True)
        row = QHBoxLayout()
        for box in self.days:
            row.addWidget(box)
        self.at = time_edit(time(9))
        self.table = table_combo(tables, tables[0] if tables else None)
        days_widget = QWidget()
        days_widget.setLayout(row)
        form = QFormLayout()
        form.addRow("&Patient:", self.patient)
        form.addRow("&From:", self.first_day)
        form.addRow("On:", days_widget)
        form.addRow("&Time:", self.at)
        form.addRow("Preferred t&able:", self.table)
        self.arrange(form, "The course's remaining sessions (planned, less those recorded and booked) are booked one "
                           "per chosen day; where the table is taken, another free table at the same time; where "
                           "none is free or the clinic is closed, the next chosen day.", min_width_em=48)
        self.bind({"chart_number": self.patient, "days": days_widget, "start_time": self.at, "table": self.table},
                  {"chart_number": "Patient", "days": "Weekdays", "start_time": "Time", "table": "Table"})

    def check(self):
        pid = _chosen_patient(self.patient)
        days = tuple(i for i, box in enumerate(self.days) if box.isChecked())
        errors = {}
        if pid is None:
            errors["chart_number"] = "choose the patient from the list"
        if not days:
            errors["days"] = "tick at least one weekday"
        return (pid, self.first_day.date().toPython(), days, self.at.time().toPython().replace(second=0),
                self.table.currentText()), errors

    def store(self, data) -> CourseBookingResult:
        pid, first, days, at, table = data
        return self.services.appointments.book_course(pid, first, days, at, table)

    @classmethod
    def ask(cls, parent, services: Services, runner: Runner, first_day: date, tables: tuple[str, ...],
            patient_id: int | None = None) -> CourseBookingResult | None:
        return cls.run(services, runner, first_day, tables, patient_id, parent=parent)


class AppointmentSessionDialog(SessionDialog):
    """The session form opened from an appointment (Ctrl+R on it): it starts from the appointment's date,
    time and length over the last session's table settings, and saving marks the appointment done."""

    def __init__(self, services: Services, runner: Runner, patient: PatientDetail, appointment: AppointmentView,
                 parent: QWidget | None = None):
        course = services.courses.current(patient.id)
        if course is None:
            raise ValidationError.single("course", f"{patient.full_name} has no course")
        starting = services.sessions.starting_point(course.id)
        super().__init__(services, runner, patient, course, None, starting, parent=parent)
        self.appointment = appointment
        self.date.setDate(to_qdate(appointment.date))
        self.start_time.setTime(to_qtime(appointment.start_time))
        self.duration_min.setValue(appointment.minutes)
        self.setWindowTitle(self.windowTitle() + f" ({appointment.table}, {appointment.span})")

    def store(self, data) -> SavedSession:
        return self.services.appointments.record_session(self.appointment.id, data)

    @classmethod
    def ask(cls, parent, services: Services, runner: Runner, patient: PatientDetail,
            appointment: AppointmentView) -> SavedSession | None:
        return cls.run(services, runner, patient, appointment, parent=parent)



