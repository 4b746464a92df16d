"""Plain data the appointment book's services return (never ORM rows)."""
from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from decomp_desk.domain.appointments import AppointmentStatus, Hours
from decomp_desk.domain.booking import Skipped
from decomp_desk.domain.care_plan import VisitTracker
from decomp_desk.domain.op_changes import Changes, changes_field
from decomp_desk.domain.records import record


@record
class AppointmentView:
    id: int
    patient_id: int
    chart_number: str
    patient_name: str
    date: date
    start_time: time
    minutes: int
    table: str
    status: AppointmentStatus
    course_id: int | None
    session_id: int | None
    version: int
    changes: Changes = changes_field()  # what the write that returned it changed (domain.op_changes)

    @property
    def end_minute(self) -> int:
        return self.start_time.hour * 60 + self.start_time.minute + self.minutes

    @property
    def span(self) -> str:
        end = self.end_minute
        return f"{self.start_time:%H:%M}-{end // 60:02d}:{end % 60:02d}"

    def describe(self) -> str:
        """'Jane Doe (chart 1001), Table 1, Mon 2026-03-02 09:00-09:45, booked'."""
        return (f"{self.patient_name} (chart {self.chart_number}), {self.table}, {self.date:%a} "
                f"{self.date.isoformat()} {self.span}, {self.status.label.lower()}")

    def as_json(self) -> dict:
        """The keys of `day --json` (DOMAIN.md)."""
        return {"chart_number": self.chart_number, "start_time": f"{self.start_time:%H:%M}", "minutes": self.minutes,
                "table": self.table, "status": self.status.value}


@record
class TodayRow:
    """One appointment of the day with what the desk needs to see at a glance."""

    appointment: AppointmentView
    session_recorded: bool
    tracker: VisitTracker | None  # None: the course has no care plan
    outcome_form_due: bool  # the visit's session is one at which the course's ODI/NDI form is due
    balance_due: Decimal
    has_email: bool

    @property
    def behind(self) -> int:
        return self.tracker.behind if self.tracker else 0


@record
class DayBook:
    date: date
    tables: tuple[str, ...]
    hours: Hours | None  # None: closed that day
    rows: tuple[TodayRow, ...]  # by time, then table

    @property
    def appointments(self) -> tuple[AppointmentView, ...]:
        return tuple(r.appointment for r in self.rows)

    def as_json(self) -> dict:
        return {"date": self.date.isoformat(), "appointments": [a.as_json() for a in self.appointments]}


@record
class CourseBookingResult:
    booked: tuple[AppointmentView, ...]
    skipped: tuple[Skipped, ...]
    unplaced: int  # sessions still without an appointment (nothing free within a year)
    remaining_before: int
    changes: Changes = changes_field()  # what the write that returned it changed (domain.op_changes)

    @property
    def count(self) -> int:
        return len(self.booked)

    def not_placed_lines(self) -> list[str]:
        lines = [s.describe() for s in self.skipped]
        if self.unplaced:
            lines.append(f"{self.unplaced} session{'s' * (self.unplaced != 1)} could not be placed within a year")
        return lines


@record
class Attendance:
    """A patient's missed and cancelled visits (all courses)."""

    no_shows: int
    cancellations: int


@record
class BookSettingsView:
    tables: tuple[str, ...]
    hours: tuple[Hours | None, ...]  # Monday .. Sunday
    appointment_minutes: int
    smtp_host: str
    smtp_port: int
    smtp_starttls: bool
    smtp_user: str
    smtp_sender: str
    smtp_password_set: bool
    version: int | None  # None: never saved (defaults)
    changes: Changes = changes_field()  # what the write that returned it changed (domain.op_changes)
