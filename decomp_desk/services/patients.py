"""Registering, finding, editing and archiving patients (never deleting them)."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.domain.eligibility import Clearance, assess
from decomp_desk.domain.errors import Conflict, NotFound, ValidationError
from decomp_desk.domain.types import CourseStatus, Role, Sex
from decomp_desk.domain.validation import PatientInput, validate_patient
from decomp_desk.services import dto
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.convert import patient_detail, screening_facts

EDITORS = (Role.FRONT_DESK, Role.CLINICIAN, Role.ADMINISTRATOR)


def load_patient(session: Session, patient_id: int) -> m.Patient:
    p = session.get(m.Patient, patient_id)
    if p is None:
        raise NotFound(f"There is no patient with id {patient_id}.")
    return p


def load_by_chart(session: Session, chart_number: str) -> m.Patient:
    p = session.scalar(select(m.Patient).where(m.Patient.chart_number == chart_number.strip()))
    if p is None:
        raise NotFound(f"There is no patient with chart number {chart_number}.")
    return p


def check_version(record, expected: int | None, what: str) -> None:
    """Refuse a save made from a stale copy, naming who changed the record since."""
    if expected is not None and record.version != expected:
        raise Conflict(f"{what} was changed by {record.updated_by or 'someone else'} at "
                       f"{record.updated_at:%Y-%m-%d %H:%M} after you opened it; nothing was overwritten. "
                       f"Reopen it to see their change.")


class PatientService:
    def __init__(self, ctx: ServiceContext):
        self.ctx = ctx

    def list(self, search: str = "", include_archived: bool = False) -> list[dto.PatientRow]:
        """Every patient with clearance and course progress, in name order; a few set-based queries
        whatever the number of patients, so the list stays quick on years of records."""
        with self.ctx.unit_of_work() as s:
            q = select(m.Patient.id, m.Patient.chart_number, m.Patient.first_name, m.Patient.last_name,
                       m.Patient.date_of_birth, m.Patient.phone, m.Patient.archived)
            if not include_archived:
                q = q.where(m.Patient.archived.is_(False))
            if search.strip():
                like = f"%{search.strip().lower()}%"
                q = q.where(or_(func.lower(m.Patient.first_name).like(like),
                                func.lower(m.Patient.last_name).like(like),
                                func.lower(m.Patient.first_name + " " + m.Patient.last_name).like(like),
                                func.lower(m.Patient.chart_number).like(like),
                                m.Patient.phone.like(like)))
            patients = s.execute(q.order_by(m.Patient.last_name, m.Patient.first_name, m.Patient.id)).all()
            ids = [p.id for p in patients]
            clearance = self._clearances(s, ids if search.strip() else None)
            courses = self._current_courses(s, ids if search.strip() else None)
        rows = []
        for p in patients:
            c = courses.get(p.id)
            rows.append(dto.PatientRow(
                id=p.id, chart_number=p.chart_number, first_name=p.first_name, last_name=p.last_name,
                date_of_birth=p.date_of_birth, phone=p.phone,
                clearance=clearance.get(p.id) or assess(None),
                sessions_completed=c[1] if c else None, sessions_planned=c[0] if c else None,
                last_session=c[2] if c else None, archived=p.archived,
            ))
        return rows

    @staticmethod
    def _clearances(s: Session, ids: list[int] | None) -> dict[int, Clearance]:
        q = select(m.Screening).order_by(m.Screening.patient_id, m.Screening.screened_on, m.Screening.id)
        if ids is not None:
            q = q.where(m.Screening.patient_id.in_(ids))
        newest: dict[int, m.Screening] = {}
        for sc in s.scalars(q):
            newest[sc.patient_id] = sc  # ordered ascending, so the last one seen is the newest
        return {pid: assess(screening_facts(sc)) for pid, sc in newest.items()}

    @staticmethod
    def _current_courses(s: Session, ids: list[int] | None) -> dict[int, tuple[int, int, object]]:
        """patient id -> (planned, completed, last session date) of the active course, else the newest."""
        counts = (select(m.TreatmentSession.course_id, func.count().label("n"), func.max(m.TreatmentSession.date).label("last"))
                  .group_by(m.TreatmentSession.course_id).subquery())
        q = (select(m.Course.patient_id, m.Course.status, m.Course.start_date, m.Course.id, m.Course.planned_sessions,
                    func.coalesce(counts.c.n, 0), counts.c.last)
             .outerjoin(counts, counts.c.course_id == m.Course.id))
        if ids is not None:
            q = q.where(m.Course.patient_id.in_(ids))
        best: dict[int, tuple] = {}
        for pid, status, start, cid, planned, n, last in s.execute(q):
            key = (status is CourseStatus.ACTIVE, start, cid)
            if pid not in best or key > best[pid][0]:
                best[pid] = (key, (planned, n, last))
        return {pid: v for pid, (_, v) in best.items()}

    def get(self, patient_id: int) -> dto.PatientDetail:
        with self.ctx.unit_of_work() as s:
            p = load_patient(s, patient_id)
            self.ctx.audit(s, "view", "patient", p.id, p.chart_number)
            return patient_detail(p)

    def by_chart(self, chart_number: str) -> dto.PatientDetail:
        with self.ctx.unit_of_work() as s:
            p = load_by_chart(s, chart_number)
            self.ctx.audit(s, "view", "patient", p.id, p.chart_number)
            return patient_detail(p)

    def next_chart_number(self) -> str:
        """A suggestion for the form: one past the highest numeric chart number."""
        with self.ctx.unit_of_work() as s:
            charts = s.scalars(select(m.Patient.chart_number)).all()
        highest = max((int(c) for c in charts if c.isdigit()), default=1000)
        return str(highest + 1)

    def create(self, data: PatientInput) -> dto.PatientDetail:
        self.ctx.require(*EDITORS)
        clean = validate_patient(data, self.ctx.today())
        with self.ctx.unit_of_work() as s:
            self._unique_chart(s, clean.chart_number, None)
            p = m.Patient()
            self._apply(p, clean)
            self.ctx.stamp(p, new=True)
            s.add(p)
            s.flush()
            self.ctx.audit(s, "create", "patient", p.id, p.chart_number)
            return patient_detail(p)

    def update(self, patient_id: int, data: PatientInput, expected_version: int | None = None) -> dto.PatientDetail:
        self.ctx.require(*EDITORS)
        clean = validate_patient(data, self.ctx.today())
        with self.ctx.unit_of_work() as s:
            p = load_patient(s, patient_id)
            check_version(p, expected_version, f"Patient {p.chart_number}")
            self._unique_chart(s, clean.chart_number, p.id)
            self._apply(p, clean)
            self.ctx.stamp(p)
            s.flush()
            self.ctx.audit(s, "update", "patient", p.id, p.chart_number)
            return patient_detail(p)

    def set_archived(self, patient_id: int, archived: bool, expected_version: int | None = None) -> dto.PatientDetail:
        self.ctx.require(*EDITORS)
        with self.ctx.unit_of_work() as s:
            p = load_patient(s, patient_id)
            check_version(p, expected_version, f"Patient {p.chart_number}")
            p.archived = archived
            self.ctx.stamp(p)
            s.flush()
            self.ctx.audit(s, "archive" if archived else "unarchive", "patient", p.id, p.chart_number)
            return patient_detail(p)

    @staticmethod
    def _unique_chart(s: Session, chart: str, own_id: int | None) -> None:
        other = s.scalar(select(m.Patient.id).where(m.Patient.chart_number == chart))
        if other is not None and other != own_id:
            raise ValidationError.single("chart_number", f"{chart} is already another patient's chart number")

    @staticmethod
    def _apply(p: m.Patient, d: PatientInput) -> None:
        p.chart_number, p.first_name, p.last_name = d.chart_number, d.first_name, d.last_name
        p.date_of_birth, p.sex = d.date_of_birth, Sex(d.sex) if d.sex else None
        p.phone, p.email, p.address, p.notes = d.phone, d.email, d.address, d.notes
        p.insurer, p.policy_number = d.insurer, d.policy_number

