"""Outcome questionnaires (ODI, NDI, PSFS): recorded, edited and deleted (audited, version-checked), and
read per course with their scores, the baseline/latest/change of each instrument and the missing re-exams.

A form's course is found when read: the patient's course of the form's region whose dates hold the
form's date (ODI lumbar, NDI cervical, a PSFS the region given, else that of the newest screening on or
before its date)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.db.repositories import (
    check_version,
    current_course,
    load_by_chart,
    load_course,
    load_outcome_form,
    load_patient,
)
from decomp_desk.domain.course_rules import CourseSpan, holding
from decomp_desk.domain.errors import NotFound, ValidationError
from decomp_desk.domain.op_changes import Changes, with_changes
from decomp_desk.domain.outcomes import (
    COURSE_INSTRUMENT,
    INSTRUMENT_REGION,
    FormInput,
    FunctionProgress,
    Instrument,
    InstrumentSummary,
    format_answers,
    function_points,
    is_due,
    missing_among,
    missing_sessions,
    score_form,
    summarize,
    validate_form,
)
from decomp_desk.domain.records import record
from decomp_desk.domain.types import CourseStatus, Region, Role
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.dto import FormView
from decomp_desk.services.row_mapping import form_view, stored_form

FORM_EDITORS = (Role.CLINICIAN,)


@record
class CourseOutcomes:
    """One read for the Outcomes tab, the progress chart and `outcomes --json`."""

    chart_number: str
    patient_id: int
    course_id: int
    region: Region
    instrument: Instrument  # the course's own: ODI for lumbar, NDI for cervical
    sessions_completed: int
    sessions_planned: int
    forms: tuple[FormView, ...]
    summaries: dict[Instrument, InstrumentSummary]
    missing: tuple[int, ...]
    session_dates: tuple[date, ...]
    psfs_activities: tuple[str, ...]  # the latest PSFS's activities, which the next PSFS offers again

    def summary(self, instrument: Instrument | None = None) -> InstrumentSummary:
        return self.summaries[instrument or self.instrument]

    def function_progress(self) -> FunctionProgress:
        """The course's function figures for the progress chart and the printed summary."""
        summary = self.summary()
        psfs = self.summaries[Instrument.PSFS]
        return FunctionProgress(self.instrument, summary, function_points(summary, self.session_dates), self.missing,
                                psfs if psfs.forms else None)

    def due_numbers(self) -> list[int]:
        """Numbers of the sessions at which a form is due, up to the course's plan or what is recorded."""
        last = max(self.sessions_planned, self.sessions_completed)
        return [n for n in range(1, last + 1) if is_due(n, self.sessions_planned)]

    def as_json(self) -> dict:
        """`outcomes CHART --json`: exactly DOMAIN.md's keys."""
        shown = [i for i in Instrument if i is self.instrument or self.summaries[i].forms]
        return {"chart_number": self.chart_number, "region": self.region.value,
                "sessions_completed": self.sessions_completed, "sessions_planned": self.sessions_planned,
                "instruments": {i.value: self.summaries[i].as_json() for i in shown},
                "missing": list(self.missing)}


def newest_screening_region(s: Session, patient_id: int, on: date) -> Region | None:
    return s.scalar(select(m.Screening.region).where(m.Screening.patient_id == patient_id,
                                                     m.Screening.screened_on <= on)
                    .order_by(m.Screening.screened_on.desc(), m.Screening.id.desc()).limit(1))


def course_holding(s: Session, patient_id: int, region: Region, on: date) -> m.Course | None:
    """The patient's course of `region` whose dates hold `on`; on a day one course ended and the next
    began, the next (domain/course_rules.py's `holding`)."""
    courses = {c.id: c for c in s.scalars(select(m.Course).where(m.Course.patient_id == patient_id,
                                                                 m.Course.region == region))}
    span = holding([CourseSpan(c.id, c.region, c.start_date, c.end_date, c.status) for c in courses.values()],
                   region, on)
    return courses[span.key] if span is not None else None


def form_region(s: Session, patient_id: int, form: FormInput) -> Region:
    """ODI lumbar, NDI cervical; a PSFS the region given, else the newest screening's on or before its date."""
    if form.instrument.has_sections:
        return INSTRUMENT_REGION[form.instrument]
    region = form.region or newest_screening_region(s, patient_id, form.date)
    if region is None:
        raise ValidationError.single("region", "give the PSFS's region: the patient has no screening on or "
                                               f"before {form.date.isoformat()} to take it from")
    return region


def course_form_rows(s: Session, course: m.Course) -> list[m.OutcomeForm]:
    q = select(m.OutcomeForm).where(m.OutcomeForm.patient_id == course.patient_id,
                                    m.OutcomeForm.region == course.region,
                                    m.OutcomeForm.date >= course.start_date)
    if course.end_date is not None:
        q = q.where(m.OutcomeForm.date <= course.end_date)
    return list(s.scalars(q.order_by(m.OutcomeForm.date, m.OutcomeForm.id)))


def session_dates(s: Session, course_id: int) -> list[date]:
    t = m.TreatmentSession
    return list(s.scalars(select(t.date).where(t.course_id == course_id).order_by(t.date, t.start_time, t.id)))


def course_outcomes(s: Session, course: m.Course) -> CourseOutcomes:
    rows = course_form_rows(s, course)
    if course.end_date is not None and any(r.date == course.end_date for r in rows):
        # the boundary day a next course began on belongs to that next course
        rows = [r for r in rows if r.date != course.end_date
                or course_holding(s, course.patient_id, course.region, r.date) is course]
    forms = tuple(form_view(r) for r in rows)
    scored = [f.scored for f in forms]
    dates = session_dates(s, course.id)
    instrument = COURSE_INSTRUMENT[course.region]
    psfs = [f for f in forms if f.instrument is Instrument.PSFS]
    return CourseOutcomes(
        chart_number=course.patient.chart_number, patient_id=course.patient_id, course_id=course.id,
        region=course.region, instrument=instrument, sessions_completed=len(dates),
        sessions_planned=course.planned_sessions, forms=forms,
        summaries={i: summarize(i, scored) for i in Instrument},
        missing=tuple(missing_sessions(dates, course.planned_sessions,
                                       [f.date for f in forms if f.instrument is instrument])),
        session_dates=tuple(dates),
        psfs_activities=tuple(a.name for a in psfs[-1].form.activities) if psfs else (),
    )


def add_form(ctx: ServiceContext, s: Session, patient: m.Patient, form: FormInput) -> m.OutcomeForm:
    """Check and write one form inside the caller's unit of work."""
    region = form_region(s, patient.id, form)
    if course_holding(s, patient.id, region, form.date) is None:
        raise ValidationError.single("date", f"{patient.first_name} {patient.last_name} has no {region.value} "
                                             f"course whose dates hold {form.date.isoformat()}")
    row = m.OutcomeForm(patient_id=patient.id, date=form.date, instrument=form.instrument, region=region,
                        answers=format_answers(form), notes=form.notes or "")
    ctx.stamp(row, new=True)
    s.add(row)
    s.flush()
    ctx.audit(s, "create", "outcome_form", row.id, patient.chart_number, _detail(form))
    return row


def _detail(form: FormInput) -> str:
    scored = score_form(form)
    return f"{form.instrument.short} {form.date.isoformat()}: {scored.score_text()}"


class OutcomeService:
    def __init__(self, ctx: ServiceContext):
        self.ctx = ctx

    # --- writes ---------------------------------------------------------------------------------------

    def record(self, patient_id: int, form: FormInput) -> FormView:
        self.ctx.require(*FORM_EDITORS)
        validate_form(form, self.ctx.today())
        with self.ctx.unit_of_work() as s:
            patient = load_patient(s, patient_id)
            if patient.archived:
                raise ValidationError.single("patient", f"{patient.first_name} {patient.last_name} is archived")
            row = add_form(self.ctx, s, patient, form)
            return with_changes(form_view(row), Changes(patient.id, outcomes=True, ids=(row.id,)))

    def update(self, form_id: int, form: FormInput, expected_version: int | None = None) -> FormView:
        self.ctx.require(*FORM_EDITORS)
        validate_form(form, self.ctx.today())
        with self.ctx.unit_of_work() as s:
            row = load_outcome_form(s, form_id)
            check_version(row, expected_version, "The outcome form")
            if form.instrument is not row.instrument:
                raise ValidationError.single("instrument", f"this form is an {row.instrument.short}; delete it and "
                                                           f"record a new {form.instrument.short} instead")
            patient = load_patient(s, row.patient_id)
            region = form_region(s, patient.id, form)
            if course_holding(s, patient.id, region, form.date) is None:
                raise ValidationError.single("date", f"{patient.first_name} {patient.last_name} has no "
                                                     f"{region.value} course whose dates hold {form.date.isoformat()}")
            row.date, row.region, row.answers, row.notes = form.date, region, format_answers(form), form.notes or ""
            self.ctx.stamp(row)
            s.flush()
            self.ctx.audit(s, "update", "outcome_form", row.id, patient.chart_number, _detail(form))
            return with_changes(form_view(row), Changes(patient.id, outcomes=True, ids=(row.id,)))

    def delete(self, form_id: int, expected_version: int | None = None) -> Changes:
        self.ctx.require(*FORM_EDITORS)
        with self.ctx.unit_of_work() as s:
            row = load_outcome_form(s, form_id)
            check_version(row, expected_version, "The outcome form")
            chart = load_patient(s, row.patient_id).chart_number
            detail = _detail(stored_form(row))
            changes = Changes(row.patient_id, outcomes=True, ids=(form_id,))
            s.delete(row)
            s.flush()
            self.ctx.audit(s, "delete", "outcome_form", form_id, chart, detail)
            return changes


    # --- reads ----------------------------------------------------------------------------------------

    def for_course(self, course_id: int) -> CourseOutcomes:
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            return course_outcomes(s, load_course(s, course_id))

    def for_chart(self, chart_number: str) -> CourseOutcomes:
        """The current course's outcomes (`outcomes CHART`)."""
        self.ctx.require_signed_in()
        with self.ctx.unit_of_work() as s:
            patient = load_by_chart(s, chart_number)
            course = current_course(s, patient.id)
            if course is None:
                raise NotFound(f"{patient.first_name} {patient.last_name} (chart {patient.chart_number}) has no "
                               "treatment course yet.")
            self.ctx.audit(s, "view", "outcomes", course.id, patient.chart_number)
            return course_outcomes(s, course)

    def get(self, form_id: int) -> FormView:
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            return form_view(load_outcome_form(s, form_id))

    def form_due(self, course_id: int, session_number: int) -> Instrument | None:
        """The course's instrument when a form is due at that session and none of it is dated on its day."""
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            course = load_course(s, course_id)
            dates = session_dates(s, course_id)
            if not 1 <= session_number <= len(dates) or not is_due(session_number, course.planned_sessions):
                return None
            instrument = COURSE_INSTRUMENT[course.region]
            day = dates[session_number - 1]
            taken = s.scalar(select(m.OutcomeForm.id).where(
                m.OutcomeForm.patient_id == course.patient_id, m.OutcomeForm.instrument == instrument,
                m.OutcomeForm.date == day).limit(1))
            return None if taken is not None else instrument

    def missing_by_patient(self) -> dict[int, tuple[int, ...]]:
        """Each patient's active courses' missing re-exam sessions (for the patient list), in a few queries."""
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            return missing_for_active_courses(s)


def missing_for_active_courses(s: Session) -> dict[int, tuple[int, ...]]:
    """patient id -> the numbers of their active courses' sessions at which a form was due and is missing.

    The list asks for this in the background as it appears, while the user may already type in its
    search, so the read is shaped not to hold the interpreter: the database numbers each active
    course's sessions (a window over the course, date and time index) and sends back only those at
    which a form may be due, about one in seven; and every read comes in batches (yield_per), where
    one fetch of 300,000 dates held the interpreter for a fifth of a second at a time."""
    t, c = m.TreatmentSession, m.Course
    conn, batches = s.connection(), {"yield_per": 2_000}  # Core rows: no ORM loading for plain columns
    courses = list(conn.execute(
        select(c.id, c.patient_id, c.region, c.planned_sessions).where(c.status == CourseStatus.ACTIVE),
        execution_options=batches))
    if not courses:
        return {}
    numbered = (select(t.course_id, t.date, c.planned_sessions.label("planned"),
                       # (course, date, time) is unique: the index's own order, no sort
                       func.row_number().over(partition_by=t.course_id,
                                              order_by=(t.date, t.start_time)).label("n"))
                .join(c, c.id == t.course_id).where(c.status == CourseStatus.ACTIVE).subquery())
    n = numbered.c.n
    # The shape of domain.outcomes.is_due, only to leave rows in the database: is_due decides below.
    maybe_due = or_(n == 1, n % 10 == 0, n == numbered.c.planned)
    due: dict[int, list[tuple[int, date]]] = {}
    for cid, number, day in conn.execute(select(numbered.c.course_id, n, numbered.c.date).where(maybe_due),
                                      execution_options=batches):
        due.setdefault(cid, []).append((number, day))
    forms: dict[tuple[int, Instrument], set[date]] = {}
    for pid, instrument, d in conn.execute(select(m.OutcomeForm.patient_id, m.OutcomeForm.instrument,
                                               m.OutcomeForm.date), execution_options=batches):
        forms.setdefault((pid, instrument), set()).add(d)
    result: dict[int, tuple[int, ...]] = {}
    for cid, pid, region, planned in courses:
        missing = missing_among(due.get(cid, ()), planned, forms.get((pid, COURSE_INSTRUMENT[region]), ()))
        if missing:
            result[pid] = result.get(pid, ()) + tuple(missing)
    return result


