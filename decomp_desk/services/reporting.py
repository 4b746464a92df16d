"""Gathers the plain data a printed progress summary needs; the reports package turns it into pages."""
from __future__ import annotations

from decomp_desk.db import models as m
from decomp_desk.db.repositories import course_rows, current_course, load_by_chart, load_patient, settings_row
from decomp_desk.domain.addresses import display_phone, mailing_address
from decomp_desk.domain.errors import NotFound
from decomp_desk.domain.progress import compute_progress
from decomp_desk.domain.types import Condition
from decomp_desk.reports.page_data import Letterhead, SummaryContext
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.outcomes import course_outcomes
from decomp_desk.services.row_mapping import session_point
from decomp_desk.services.screenings import not_cleared_note


class ReportService:
    def __init__(self, ctx: ServiceContext):
        self.ctx = ctx

    def summary(self, *, chart_number: str | None = None, patient_id: int | None = None,
                course_id: int | None = None, audit: bool = True) -> SummaryContext:
        """The progress summary of a patient's course (the current one unless `course_id` names another).
        Recorded in the audit trail as a print of the patient's record."""
        self.ctx.require_signed_in()
        with self.ctx.unit_of_work() as s:
            patient = load_by_chart(s, chart_number) if chart_number is not None else load_patient(s, patient_id)
            course = s.get(m.Course, course_id) if course_id is not None else current_course(s, patient.id)
            if course_id is not None and (course is None or course.patient_id != patient.id):
                raise NotFound(f"Patient {patient.chart_number} has no course with id {course_id}.")
            if course is None:
                raise NotFound(f"Patient {patient.chart_number} has no treatment course yet; "
                               f"open a course before printing a progress summary.")
            rows = course_rows(s, course.id)
            progress = compute_progress([session_point(r, i) for i, r in enumerate(rows, 1)], course.planned_sessions)
            settings = settings_row(s)
            # The clinicians who recorded the sessions (newest first), never whoever prints the page:
            # from the command line that would be an operating-system account.
            clinician = ", ".join(dict.fromkeys(r.clinician.strip() for r in reversed(rows) if r.clinician.strip()))
            warning = not_cleared_note(s, patient.id, self.ctx.today(), course.region,
                                       "No further sessions may be recorded until a new screening clears the patient.")
            if audit:
                self.ctx.audit(s, "print", "progress_summary", course.id, patient.chart_number)
            return SummaryContext(
                letterhead=Letterhead(settings.name or "DecompDesk clinic",
                                      mailing_address(settings.address, settings.city, settings.state,
                                                      settings.zip_code),
                                      display_phone(settings.phone), settings.tax_id),
                paper_size=settings.paper_size, patient_name=f"{patient.first_name} {patient.last_name}",
                chart_number=patient.chart_number, date_of_birth=patient.date_of_birth,
                region_label=course.region.label,
                conditions=tuple(c.label for c in Condition if c in course.conditions),
                course_status_label=course.status.label, progress=progress, clinician=clinician,
                printed_on=self.ctx.today(), not_cleared=warning,
                function=course_outcomes(s, course).function_progress(),
            )
