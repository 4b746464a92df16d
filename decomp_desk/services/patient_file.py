"""The patient page's read model: everything one patient's page shows, read in one transaction, so the
page is one consistent snapshot (its courses, sessions, progress and billing agree with each other)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field
from typing import TYPE_CHECKING

from decomp_desk.domain.billing import Account
from decomp_desk.domain.eligibility import Clearance
from decomp_desk.domain.progress import Progress, compute_progress
from decomp_desk.domain.records import record
from decomp_desk.domain.types import CourseStatus
from decomp_desk.domain.validation import SessionInput
from decomp_desk.services.courses import current_course
from decomp_desk.services.dto import ClinicSettingsView, CourseView, PatientDetail, ScreeningView, SessionView
from decomp_desk.services.outcomes import CourseOutcomes

if TYPE_CHECKING:
    from decomp_desk.bootstrap import Services


@record
class PatientFile:
    patient: PatientDetail
    clearance: Clearance  # today's
    screenings: tuple[ScreeningView, ...]  # newest first
    courses: tuple[CourseView, ...]  # newest first
    current_course_id: int | None  # the active course, else the newest
    sessions: dict[int, list[SessionView]]  # by course id, in session order
    starting_points: dict[int, SessionInput | None]  # the next session's table settings, per active course
    clinic: ClinicSettingsView
    account: Account  # the Billing tab's charges, payments and balance
    outcomes: dict[int, CourseOutcomes] = field(default_factory=dict)  # by course id: forms, scores, missing
    attendance: object = None  # services.book_dto.Attendance: no-shows and cancellations (the book)
    clinic_today: object = None  # the services' today, for the care plan's visit tracker

    @property
    def latest_screening(self) -> ScreeningView | None:
        return self.screenings[0] if self.screenings else None

    def course(self, course_id: int | None) -> CourseView | None:
        return next((c for c in self.courses if c.id == course_id), None)

    @property
    def current_course(self) -> CourseView | None:
        return self.course(self.current_course_id)

    def progress(self, course_id: int | None) -> Progress | None:
        """The course's progress figures, by the same computation as the printed summary and `progress --json`."""
        course = self.course(course_id)
        if course is None:
            return None
        return compute_progress([s.as_point() for s in self.sessions.get(course.id, [])], course.planned_sessions)

    @property
    def may_record(self) -> tuple[bool, str]:
        """Whether New session is offered today, and if not, why (the service decides on save)."""
        if self.patient.archived:
            return False, "The patient is archived; restore them from the archive first."
        if not self.clearance.cleared:
            return False, "Not cleared for decompression: " + "; ".join(self.clearance.reasons) + "."
        return True, ""


def starting_points(courses: Iterable[CourseView], sessions: dict[int, list[SessionView]]
                    ) -> dict[int, SessionInput | None]:
    """Each active course's next-session table settings: its latest session's (SessionService.starting_point),
    taken from the sessions in hand rather than a second read of them."""
    return {c.id: sessions[c.id][-1].as_input() if sessions[c.id] else None
            for c in courses if c.status is CourseStatus.ACTIVE}


def read_patient_file(services: Services, patient_id: int) -> PatientFile:
    """One unit of work: each service's read below joins it (ServiceContext.unit_of_work)."""
    with services.ctx.unit_of_work():
        patient = services.patients.get(patient_id)
        courses = services.courses.for_patient(patient_id)
        current = current_course(courses)
        sessions = {c.id: services.sessions.for_course(c.id) for c in courses}
        return PatientFile(
            patient=patient,
            clearance=services.screenings.clearance(patient_id),
            screenings=tuple(services.screenings.history(patient_id)),
            courses=tuple(courses),
            current_course_id=current.id if current else None,
            sessions=sessions,
            starting_points=starting_points(courses, sessions),
            clinic=services.settings.get(),
            account=services.billing.account(patient_id),
            outcomes={c.id: services.outcomes.for_course(c.id) for c in courses},
            attendance=services.appointments.attendance(patient_id),
            clinic_today=services.ctx.today(),
        )
