"""Plain data the services hand to the desk and the command line: never ORM rows."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal

from decomp_desk.domain.addresses import mailing_address
from decomp_desk.domain.eligibility import Clearance
from decomp_desk.domain.op_changes import Changes, changes_field
from decomp_desk.domain.outcomes import FormInput, Instrument, ScoredForm
from decomp_desk.domain.records import record
from decomp_desk.domain.types import (
    AdverseEvent,
    Condition,
    Contraindication,
    CourseStatus,
    Coverage,
    Position,
    Region,
    Role,
    Scores,
    SessionPoint,
    Sex,
    TableMode,
)
from decomp_desk.domain.validation import SessionInput


@record
class PatientRow:
    """One line of the patient list."""

    id: int
    chart_number: str
    first_name: str
    last_name: str
    date_of_birth: date | None
    phone: str
    clearance: Clearance
    sessions_completed: int | None  # of the current course; None without a course
    sessions_planned: int | None
    last_session: date | None
    archived: bool
    behind: int | None = None  # visits behind the active course's care plan today; None without a plan

    @property
    def name(self) -> str:
        return f"{self.last_name}, {self.first_name}"

    @property
    def course_progress(self) -> str:
        return "" if self.sessions_planned is None else f"{self.sessions_completed} / {self.sessions_planned}"

    @classmethod
    def many(cls, fields: Iterable[dict]) -> list[PatientRow]:
        """PatientRow(**f) for each f, for the ten thousand lines of the list: each dict becomes its row's
        own attributes as it is (so each must be a new dict, every field given), where the frozen
        dataclass's __init__ sets the fields one by one through object.__setattr__ (a quarter of what
        the list took at the desk's start). The result is equal to what PatientRow(**f) makes."""
        new, own = object.__new__, object.__setattr__
        rows = []
        for f in fields:
            row = new(cls)
            own(row, "__dict__", f)
            rows.append(row)
        return rows


@record
class PatientDetail:
    id: int
    chart_number: str
    first_name: str
    last_name: str
    date_of_birth: date | None
    sex: Sex | None
    phone: str
    email: str
    address: str
    notes: str
    archived: bool
    insurer: str
    policy_number: str
    coverage: Coverage
    coverage_percent: Decimal | None
    coverage_amount: Decimal | None
    coverage_verified_on: date | None
    coverage_verified_by: str
    coverage_notes: str
    version: int
    updated_by: str
    updated_at: datetime
    city: str = ""  # the address's other parts (`address` is the street)
    state: str = ""
    zip_code: str = ""
    changes: Changes = changes_field()  # what the write that returned it changed (domain.op_changes)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def mailing_address(self) -> str:
        return mailing_address(self.address, self.city, self.state, self.zip_code)


@record
class ScreeningView:
    id: int
    patient_id: int
    screened_on: date
    screened_by: str
    xray_on: date | None
    xray_abnormal: bool
    xray_finding: str
    contraindications: frozenset[Contraindication]
    conditions: frozenset[Condition]
    region: Region
    notes: str
    clearance: Clearance
    changes: Changes = changes_field()  # what the write that returned it changed (domain.op_changes)


def _day(d: date, year: bool = True) -> str:
    return f"{d:%b} {d.day}, {d.year}" if year else f"{d:%b} {d.day}"


def course_dates(start: date, end: date | None, status: str) -> str:
    """'active since Mar 2, 2026'; 'Jun 16 - Aug 12, 2026, completed'; 'Dec 1, 2026 - Jan 5, 2027, discontinued'."""
    if status == "active" or end is None:
        return f"{status} since {_day(start)}" if status == "active" else f"from {_day(start)}, {status}"
    return f"{_day(start, year=start.year != end.year)} - {_day(end)}, {status}"


@record
class CourseView:
    id: int
    patient_id: int
    region: Region
    conditions: frozenset[Condition]
    icd10_codes: tuple[str, ...]
    planned_sessions: int
    start_date: date
    end_date: date | None
    status: CourseStatus
    fee_per_session: Decimal
    discount_percent: Decimal | None
    discount_amount: Decimal | None
    notes: str
    sessions_completed: int
    version: int
    plan: str = ""  # the care plan's phases, '3x4,2x3' ('' for none)
    changes: Changes = changes_field()  # what the write that returned it changed (domain.op_changes)

    def describe(self) -> str:
        """'Lumbar course, 12 of 30 sessions, active since Mar 2, 2026'; an ended course with its start and
        end: 'Lumbar course, 30 of 30 sessions, Jun 16 - Aug 12, 2026, completed'."""
        return (f"{self.region.label.split(' (')[0]} course, {self.sessions_completed} of {self.planned_sessions} "
                f"sessions, {course_dates(self.start_date, self.end_date, self.status.label.lower())}")


@record
class SessionView:
    id: int
    course_id: int
    number: int  # 1-based, by date then start time
    date: date
    start_time: time
    duration_min: int
    position: Position
    harness: bool
    max_force_lb: Decimal | None
    mode: TableMode | None
    min_force_lb: Decimal | None
    hold_s: int | None
    rest_s: int | None
    progressive_steps: int | None
    regressive_steps: int | None
    cycles: int | None
    angle_deg: Decimal | None
    before: Scores
    after: Scores | None
    stop_button: bool
    stop_minute: int | None
    adverse_events: frozenset[AdverseEvent]
    adverse_notes: str
    notes: str
    clinician: str
    charge: Decimal
    flags: tuple[str, ...]
    version: int

    def as_point(self) -> SessionPoint:
        """The session as the progress rules see it (domain.progress.compute_progress)."""
        return SessionPoint(number=self.number, date=self.date, start_time=self.start_time,
                            duration_min=self.duration_min, before=self.before, after=self.after,
                            stop_button=self.stop_button, stop_minute=self.stop_minute,
                            adverse_events=self.adverse_events)

    def as_input(self) -> SessionInput:
        """The form's content for editing this session (or as the next session's starting point)."""
        return SessionInput(
            date=self.date, start_time=self.start_time, duration_min=self.duration_min, position=self.position,
            before=self.before, after=self.after, harness=self.harness, max_force_lb=self.max_force_lb,
            mode=self.mode, min_force_lb=self.min_force_lb, hold_s=self.hold_s, rest_s=self.rest_s,
            progressive_steps=self.progressive_steps, regressive_steps=self.regressive_steps, cycles=self.cycles,
            angle_deg=self.angle_deg, stop_button=self.stop_button, stop_minute=self.stop_minute,
            adverse_events=self.adverse_events, adverse_notes=self.adverse_notes, notes=self.notes,
            clinician=self.clinician,
        )


@record
class SavedSession:
    session: SessionView
    flags: tuple[str, ...]
    changes: Changes = changes_field()  # what the write that returned it changed (domain.op_changes)


@record
class ClinicSettingsView:
    name: str
    address: str
    phone: str
    tax_id: str
    default_fee: Decimal
    default_planned_sessions: int
    procedure_code: str
    paper_size: str
    idle_lock_minutes: int
    backup_retention: int
    version: int
    city: str = ""  # the letterhead's address in parts (`address` is the street)
    state: str = ""
    zip_code: str = ""
    changes: Changes = changes_field()  # what the write that returned it changed (domain.op_changes)

    @property
    def mailing_address(self) -> str:
        return mailing_address(self.address, self.city, self.state, self.zip_code)


@record
class UserView:
    """One account as the administrator's user list shows it (never the password hash)."""

    id: int
    username: str
    full_name: str
    roles: frozenset[Role]
    active: bool
    locked_until: datetime | None  # UTC; None unless locked right now
    failed_logins: int  # wrong passwords in a row since the last success or lock
    version: int
    updated_by: str
    updated_at: datetime
    changes: Changes = changes_field()  # what the write that returned it changed (domain.op_changes)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def roles_text(self) -> str:
        """'Administrator, Clinician' (in the order the roles are declared)."""
        return ", ".join(r.label for r in Role if r in self.roles)


@record
class FormView:
    id: int
    patient_id: int
    version: int
    form: FormInput
    scored: ScoredForm
    recorded_by: str
    changes: Changes = changes_field()  # what the write that returned it changed (domain.op_changes)

    @property
    def date(self) -> date:
        return self.form.date

    @property
    def instrument(self) -> Instrument:
        return self.form.instrument
