"""Treatment courses: about 30 sessions for one region, with their fee and planned count."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.db.repositories import check_version, load_course, load_patient, session_count, settings_row
from decomp_desk.domain.clearance import not_cleared_sentence
from decomp_desk.domain.course_input import CourseInput, validate_course
from decomp_desk.domain.course_rules import CourseSpan, span_problem
from decomp_desk.domain.errors import NotCleared, ValidationError
from decomp_desk.domain.op_changes import Changes, with_changes
from decomp_desk.domain.types import CourseStatus, Region, Role
from decomp_desk.services import dto
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.row_mapping import course_view

COURSE_EDITORS = (Role.CLINICIAN, Role.FRONT_DESK, Role.ADMINISTRATOR)


def open_course(ctx: ServiceContext, s: Session, patient: m.Patient, data: CourseInput) -> m.Course:
    """Inside the caller's unit of work (the desk's form, or the import opening a course)."""
    settings = settings_row(s)
    c = m.Course(
        patient_id=patient.id, region=data.region, conditions=data.conditions,
        icd10_codes=";".join(data.icd10_codes), start_date=data.start_date,
        planned_sessions=data.planned_sessions or settings.default_planned_sessions,
        fee_per_session=data.fee_per_session if data.fee_per_session is not None else settings.default_fee,
        discount_percent=data.discount_percent, discount_amount=data.discount_amount, notes=data.notes,
        status=CourseStatus.ACTIVE,
    )
    _apply_plan(c, data.plan)
    ctx.stamp(c, new=True)
    s.add(c)
    s.flush()
    ctx.audit(s, "create", "course", c.id, patient.chart_number)
    return c


def _apply_plan(c: m.Course, plan: str | None) -> None:
    """A care plan given ('3x4,2x3') sets the course's planned sessions to its total; '' removes the plan."""
    if plan is None:
        return
    from decomp_desk.domain.care_plan import parse_plan

    parsed = parse_plan(plan)
    c.plan = parsed.text if parsed else None
    if parsed is not None:
        c.planned_sessions = parsed.total


def course_span(c: m.Course) -> CourseSpan:
    return CourseSpan(c.id, c.region, c.start_date, c.end_date, c.status)


def course_spans(s: Session, patient_id: int) -> list[CourseSpan]:
    """Every course of the patient, as the domain's course rules see them."""
    return [course_span(c) for c in s.scalars(select(m.Course).where(m.Course.patient_id == patient_id))]


def session_dates(s: Session, course_id: int) -> tuple[date | None, date | None]:
    """(first, latest) session date of the course."""
    t = m.TreatmentSession
    first, last = s.execute(select(func.min(t.date), func.max(t.date)).where(t.course_id == course_id)).one()
    return first, last


def check_course_clearance(s: Session, patient_id: int, region: Region, on: date) -> None:
    """A course opens only on a day the patient is cleared for its region (NotCleared names the reasons)."""
    from decomp_desk.services.screenings import patient_clearance  # screenings imports this module's callers

    clearance = patient_clearance(s, patient_id, on, region)
    if not clearance.cleared:
        raise NotCleared(clearance.reasons, on.isoformat(), not_cleared_sentence(region, on, clearance)
                         + " A course cannot be opened on a day the patient is not cleared for its region.")


def check_span(s: Session, span: CourseSpan, patient_id: int, field: str = "start_date") -> None:
    problem = span_problem(span, course_spans(s, patient_id))
    if problem is not None:
        raise ValidationError.single(field, problem)


def check_holds_sessions(s: Session, course_id: int, start: date, end: date | None) -> None:
    """A course's dates always hold its sessions: its start is never after its first session, its end
    never before its latest."""
    first, last = session_dates(s, course_id)
    if first is not None and start > first:
        raise ValidationError.single("start_date", f"the course's first session is on {first.isoformat()}; "
                                                   "its start cannot be after it")
    if last is not None and end is not None and end < last:
        raise ValidationError.single("end_date", f"the course's latest session is on {last.isoformat()}; "
                                                 "it cannot end before it")


def active_course(s: Session, patient_id: int, region: Region | None = None) -> m.Course | None:
    q = select(m.Course).where(m.Course.patient_id == patient_id, m.Course.status == CourseStatus.ACTIVE)
    if region is not None:
        q = q.where(m.Course.region == region)
    return s.scalars(q.order_by(m.Course.start_date.desc(), m.Course.id.desc())).first()


def course_changed(view: dto.CourseView) -> Changes:
    """What a course's write changes: the course, and with it most of the patient's page (its sessions,
    charges, progress and forms are by course; its region decides today's clearance)."""
    return Changes(view.patient_id, courses=True, course_id=view.id, ids=(view.id,))


class CourseService:
    def __init__(self, ctx: ServiceContext):
        self.ctx = ctx

    def open(self, patient_id: int, data: CourseInput) -> dto.CourseView:
        self.ctx.require(*COURSE_EDITORS)
        validate_course(data)
        with self.ctx.unit_of_work() as s:
            patient = load_patient(s, patient_id)
            if active_course(s, patient_id, data.region) is not None:
                raise ValidationError.single(
                    "region", f"{patient.first_name} {patient.last_name} already has an active "
                              f"{data.region.value} course; complete or discontinue it first")
            check_span(s, CourseSpan(None, data.region, data.start_date, None), patient_id)
            check_course_clearance(s, patient_id, data.region, data.start_date)
            view = course_view(open_course(self.ctx, s, patient, data), 0)
            return with_changes(view, course_changed(view))

    def update(self, course_id: int, data: CourseInput, expected_version: int | None = None) -> dto.CourseView:
        self.ctx.require(*COURSE_EDITORS)
        validate_course(data)
        with self.ctx.unit_of_work() as s:
            c = load_course(s, course_id)
            check_version(c, expected_version, "The course")
            if data.region is not c.region or data.start_date != c.start_date:
                if data.region is not c.region and session_count(s, c.id):
                    raise ValidationError.single("region", "the course already has sessions of its region; "
                                                           "open a new course for the other region")
                check_holds_sessions(s, c.id, data.start_date, c.end_date)
                check_span(s, CourseSpan(c.id, data.region, data.start_date, c.end_date, c.status), c.patient_id)
                check_course_clearance(s, c.patient_id, data.region, data.start_date)
            c.region, c.conditions, c.icd10_codes = data.region, data.conditions, ";".join(data.icd10_codes)
            c.start_date = data.start_date
            if data.planned_sessions is not None:
                c.planned_sessions = data.planned_sessions
            if data.fee_per_session is not None:
                c.fee_per_session = data.fee_per_session
            c.discount_percent, c.discount_amount, c.notes = data.discount_percent, data.discount_amount, data.notes
            _apply_plan(c, data.plan)
            self.ctx.stamp(c)
            s.flush()
            self.ctx.audit(s, "update", "course", c.id, c.patient.chart_number)
            view = course_view(c, session_count(s, c.id))
            return with_changes(view, course_changed(view))

    def set_status(self, course_id: int, status: CourseStatus, expected_version: int | None = None,
                   on: date | None = None) -> dto.CourseView:
        self.ctx.require(*COURSE_EDITORS)
        with self.ctx.unit_of_work() as s:
            c = load_course(s, course_id)
            check_version(c, expected_version, "The course")
            end = None if status is CourseStatus.ACTIVE else (on or self.ctx.today())
            if status is not c.status or end != c.end_date:
                # Re-activating opens the course's end again: refused beside another active course of
                # its region, or where a later course of the region would then overlap it.
                check_span(s, CourseSpan(c.id, c.region, c.start_date, end, status), c.patient_id,
                           "status" if end is None else "end_date")
                check_holds_sessions(s, c.id, c.start_date, end)
            c.status = status
            c.end_date = end
            self.ctx.stamp(c)
            s.flush()
            self.ctx.audit(s, f"course_{status.value}", "course", c.id, c.patient.chart_number)
            view = course_view(c, session_count(s, c.id))
            return with_changes(view, course_changed(view))

    def for_patient(self, patient_id: int) -> list[dto.CourseView]:
        """Newest first."""
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            rows = s.scalars(select(m.Course).where(m.Course.patient_id == patient_id)
                             .order_by(m.Course.start_date.desc(), m.Course.id.desc())).all()
            return [course_view(c, session_count(s, c.id)) for c in rows]

    def current(self, patient_id: int) -> dto.CourseView | None:
        """The active course, else the newest one; None for a patient who never had one."""
        return current_course(self.for_patient(patient_id))

    def get(self, course_id: int) -> dto.CourseView:
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            c = load_course(s, course_id)
            return course_view(c, session_count(s, c.id))

    def set_plan(self, course_id: int, plan: str, expected_version: int | None = None) -> dto.CourseView:
        """The course's care plan ('3x4,2x3', or '' for none); with a plan, its planned sessions become the
        plan's total (domain/care_plan.py)."""
        from decomp_desk.domain.care_plan import parse_plan

        self.ctx.require(*COURSE_EDITORS)
        parsed = parse_plan(plan)
        with self.ctx.unit_of_work() as s:
            c = load_course(s, course_id)
            check_version(c, expected_version, "The course")
            c.plan = parsed.text if parsed else None
            if parsed is not None:
                c.planned_sessions = parsed.total
            self.ctx.stamp(c)
            s.flush()
            self.ctx.audit(s, "update", "course", c.id, c.patient.chart_number, f"care plan {c.plan or 'none'}")
            return course_view(c, session_count(s, c.id))


def current_course(courses: list[dto.CourseView]) -> dto.CourseView | None:
    """Of a patient's courses (newest first): the active one, else the newest; None when there is none."""
    active = [c for c in courses if c.status is CourseStatus.ACTIVE]
    return (active or courses or [None])[0]
