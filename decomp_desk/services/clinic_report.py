"""The clinic outcome report's data: every course, its pain at the first and latest session, its sessions,
stop-button sessions and adverse events, and the change of its own instrument (ODI or NDI), read in a few
queries and handed to domain/clinic_outcomes.py, which does all the counting and rounding."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from decomp_desk.db import models as m
from decomp_desk.db.repositories import settings_row
from decomp_desk.domain.clinic_outcomes import CourseOutcome, clinic_report
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.outcomes import (
    COURSE_INSTRUMENT,
    Instrument,
    ScoredForm,
    parse_answers,
    section_score,
    summarize,
)
from decomp_desk.reports.page_data import Attendance, ClinicReportPage
from decomp_desk.services.appointments import AppointmentService
from decomp_desk.services.context import ServiceContext


def _course_outcomes(s) -> list[CourseOutcome]:
    c, t, f = m.Course, m.TreatmentSession, m.OutcomeForm
    sessions: dict[int, list] = {}
    for row in s.execute(select(t.course_id, t.pain_before, t.stop_button, t.muscle_spasm, t.tissue_damage,
                                t.other_adverse).order_by(t.course_id, t.date, t.start_time, t.id)):
        sessions.setdefault(row.course_id, []).append(row)
    forms: dict[tuple[int, Instrument], list[tuple[date, int, str]]] = {}
    for pid, instrument, d, fid, answers in s.execute(
            select(f.patient_id, f.instrument, f.date, f.id, f.answers)
            .where(f.instrument.in_([Instrument.ODI, Instrument.NDI])).order_by(f.date, f.id)):
        forms.setdefault((pid, instrument), []).append((d, fid, answers))
    result = []
    for course in s.execute(select(c.id, c.patient_id, c.region, c.status, c.start_date, c.end_date)):
        rows = sessions.get(course.id, [])
        instrument = COURSE_INSTRUMENT[course.region]
        scored = []
        for d, fid, answers in forms.get((course.patient_id, instrument), []):
            if d < course.start_date or (course.end_date is not None and d > course.end_date):
                continue
            score = section_score(parse_answers(answers))
            scored.append(ScoredForm(fid, d, instrument, 0, score, None, fid))
        summary = summarize(instrument, scored)
        result.append(CourseOutcome(
            region=course.region, status=course.status, start_date=course.start_date, sessions=len(rows),
            baseline_pain=rows[0].pain_before if rows else None, latest_pain=rows[-1].pain_before if rows else None,
            adverse_events=sum(r.muscle_spasm + r.tissue_damage + r.other_adverse for r in rows),
            stop_button_sessions=sum(bool(r.stop_button) for r in rows),
            function_instrument=instrument if summary.change is not None else None,
            function_change=summary.change))
    return result


class ClinicReportService:
    def __init__(self, ctx: ServiceContext):
        self.ctx = ctx

    def report(self, start: date | None = None, end: date | None = None, *, audit: bool = True) -> ClinicReportPage:
        """The courses started from `start` to `end` (both included), by region and in all."""
        self.ctx.require_signed_in()
        if start is not None and end is not None and start > end:
            raise ValidationError.single("from", f"{start.isoformat()} is after the end of the period "
                                                 f"({end.isoformat()})")
        with (self.ctx.unit_of_work() if audit else self.ctx.read()) as s:
            settings = settings_row(s)
            report = clinic_report(_course_outcomes(s), start, end)
            if audit:  # a whole-clinic reading
                period = f"{start.isoformat() if start else 'start'} to {end.isoformat() if end else 'today'}"
                self.ctx.audit(s, "view", "clinic_report", None, "", period)
            attendance = AppointmentService(self.ctx).clinic_attendance(start, end)  # in this same transaction
            return ClinicReportPage(settings.name or "DecompDesk clinic", settings.paper_size, self.ctx.today(),
                                    report, Attendance(**attendance))
