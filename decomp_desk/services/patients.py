"""Registering, finding, editing and archiving patients (never deleting them)."""
from __future__ import annotations

from sqlalchemy import Connection, case, func, or_, select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.db.repositories import check_version, load_by_chart, load_patient
from decomp_desk.domain.changes import describe_changes
from decomp_desk.domain.clearance import clearance_for
from decomp_desk.domain.eligibility import Clearance, assess
from decomp_desk.domain.errors import NotFound, ValidationError
from decomp_desk.domain.op_changes import Changes, with_changes
from decomp_desk.domain.types import Contraindication, CourseStatus, Region, Role, ScreeningFacts, Sex
from decomp_desk.domain.validation import PatientInput, validate_patient
from decomp_desk.services import dto
from decomp_desk.services.care_plans import behind_by_patient
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.row_mapping import patient_detail

EDITORS = (Role.FRONT_DESK, Role.CLINICIAN, Role.ADMINISTRATOR)

# A screening's finding as one number (the patient list reads it so): a bit for "no x-ray", one for
# "x-ray abnormal", then one per contraindication in the enum's order.
_NO_XRAY, _ABNORMAL = 1, 2
_CONTRAINDICATION_BITS = tuple(4 << i for i in range(len(Contraindication)))


_CONTRAINDICATION_SETS: dict[int, frozenset[Contraindication]] = {}  # the finding's contraindication bits -> set


def _contraindications(bits: int) -> frozenset[Contraindication]:
    found = _CONTRAINDICATION_SETS.get(bits)
    if found is None:
        found = _CONTRAINDICATION_SETS[bits] = frozenset(
            c for bit, c in zip(_CONTRAINDICATION_BITS, Contraindication) if bits & bit)
    return found


def _facts(found: int, screened_on, region=None) -> ScreeningFacts:
    """Facts with that finding, for the rules: they read only whether there is an x-ray date, not the
    date, so the screening's own date stands in for it."""
    return ScreeningFacts(screened_on, None if found & _NO_XRAY else screened_on, bool(found & _ABNORMAL),
                          _contraindications(found & ~(_NO_XRAY | _ABNORMAL)), region)


# The patient's fields an edit's audit event names, before and after (domain/changes.py).
AUDITED_FIELDS = {"chart_number": "chart number", "first_name": "first name", "last_name": "last name",
                  "date_of_birth": "date of birth", "sex": "sex", "phone": "phone", "email": "e-mail",
                  "address": "street", "city": "city", "state": "state", "zip_code": "ZIP", "insurer": "insurer",
                  "policy_number": "policy number", "notes": "notes"}


def audited_fields(p: m.Patient) -> dict:
    return {name: getattr(p, name) for name in AUDITED_FIELDS}


class PatientService:
    def __init__(self, ctx: ServiceContext):
        self.ctx = ctx

    def list(self, search: str = "", include_archived: bool = False, *, audit: bool = False) -> list[dto.PatientRow]:
        """Every patient with clearance and course progress, in name order; four set-based queries
        whatever the number of patients, so the list stays quick on years of records (the desk waits
        for it at start: about 0.1 s for ten thousand patients and 300,000 sessions). Each reads one
        index that holds every column it asks for (db/models.py), never a table's own pages and never
        the sessions (the courses keep their count and last day). The queries ask for columns, not ORM
        rows, and run on the session's connection (Core), which reads such rows two to three times
        quicker than Session.execute.

        With `audit`, the listing itself is recorded ('list'): the command line's `patients` and the desk's
        first list after a sign-in (a whole-clinic listing says who saw every name)."""
        return self._rows(search, include_archived, audit=audit)

    def row(self, patient_id: int) -> dto.PatientRow:
        """One patient's row of the list (archived or not), as list() makes it: after a save, the desk
        refreshes that row alone."""
        rows = self._rows("", True, only=patient_id)
        if not rows:
            raise NotFound(f"There is no patient with id {patient_id}.")
        return rows[0]

    def _rows(self, search: str, include_archived: bool, only: int | None = None,
              audit: bool = False) -> list[dto.PatientRow]:
        self.ctx.require_signed_in()
        with (self.ctx.unit_of_work() if audit else self.ctx.read()) as s:
            conn = s.connection()
            q = select(m.Patient.id, m.Patient.chart_number, m.Patient.first_name, m.Patient.last_name,
                       m.Patient.date_of_birth, m.Patient.phone, m.Patient.archived)
            if not include_archived:
                q = q.where(m.Patient.archived.is_(False))
            if only is not None:
                q = q.where(m.Patient.id == only)
            if search.strip():
                like = f"%{search.strip().lower()}%"
                q = q.where(or_(func.lower(m.Patient.first_name).like(like),
                                func.lower(m.Patient.last_name).like(like),
                                func.lower(m.Patient.first_name + " " + m.Patient.last_name).like(like),
                                func.lower(m.Patient.chart_number).like(like),
                                m.Patient.phone.like(like)))
            patients = conn.execute(q.order_by(m.Patient.last_name, m.Patient.first_name, m.Patient.id)).all()
            ids = [p.id for p in patients] if search.strip() or only is not None else None
            courses = self._current_courses(conn, ids)
            clearance = self._clearances(conn, ids, {pid: c[3] for pid, c in courses.items()}, self.ctx.today())
            behind = behind_by_patient(conn, self.ctx.today())  # services/care_plans.py
            if audit:
                self.ctx.audit(s, "list", "patient", None, "", f"{len(patients)} patients"
                               + (f"; search {search.strip()!r}" if search.strip() else "")
                               + ("; archived included" if include_archived else ""))
        not_screened, no_course = assess(None), (None, None, None, None)
        return dto.PatientRow.many(
            {"id": pid, "chart_number": chart, "first_name": first, "last_name": last, "date_of_birth": born,
             "phone": phone, "clearance": clearance.get(pid) or not_screened, "sessions_completed": c[1],
             "sessions_planned": c[0], "last_session": c[2], "archived": archived, "behind": behind.get(pid)}
            for pid, chart, first, last, born, phone, archived in patients
            for c in (courses.get(pid, no_course),))

    @staticmethod
    def _clearances(s: Session | Connection, ids: list[int] | None, regions: dict, today) -> dict[int, Clearance]:
        """Each patient's clearance today for the region of their current course (else of their newest
        screening), by DOMAIN.md's per-region rule, read as (patient, date, region, finding) rows.

        What the rules read of a screening (x-ray on file, abnormal, each contraindication) comes back
        as one small number, a bit each, so the list never loads whole screening rows."""
        sc = m.Screening
        finding = case((sc.xray_on.is_(None), _NO_XRAY), else_=0) + case((sc.xray_abnormal, _ABNORMAL), else_=0)
        for bit, c in zip(_CONTRAINDICATION_BITS, Contraindication):
            finding = finding + case((getattr(sc, c.value), bit), else_=0)
        # Only screenings up to today, in the order each patient's were recorded (date, then id): by the
        # rules' `newest` (domain/clearance.py), the newest of any region is then a patient's last row,
        # and the newest of a region the last row of that region. Those two decide.
        q = select(sc.patient_id, sc.screened_on, sc.region, finding).where(sc.screened_on <= today).order_by(
            sc.patient_id, sc.screened_on, sc.id)
        if ids is not None:
            q = q.where(sc.patient_id.in_(ids))
        last: dict[int, tuple] = {}  # patient -> (date, region, finding) of the newest screening
        last_of: dict[tuple, int] = {}  # (patient, region) -> finding of the newest screening of that region
        for pid, on, region, found in s.execute(q).all():
            last[pid] = (on, region, found)
            last_of[pid, region] = found
        # Patients whose two deciding screenings read the same share the rules' verdict; only its date is
        # their own. The facts are made, and the rules asked, once per verdict.
        verdicts: dict[tuple, Clearance] = {}
        dated: dict[tuple, Clearance] = {}  # (verdict, date) -> that verdict of that day's screening
        out: dict[int, Clearance] = {}
        for pid, (on, newest_region, found) in last.items():
            region = regions.get(pid) or newest_region
            of_region = last_of.get((pid, region))
            key = (found, newest_region, region, None if of_region is None else of_region & (_NO_XRAY | _ABNORMAL))
            clearance = dated.get((key, on))
            if clearance is None:
                verdict = verdicts.get(key)
                if verdict is None:
                    # The region's newest first: same day, the later given is the newer of any region.
                    deciding = ([] if of_region is None else [_facts(of_region, on, region)]) + [
                        _facts(found, on, newest_region)]
                    verdict = verdicts[key] = clearance_for(deciding, region, today)
                clearance = dated[key, on] = Clearance(verdict.state, verdict.reasons, on)
            out[pid] = clearance
        return out

    @staticmethod
    def _current_courses(s: Session | Connection, ids: list[int] | None) -> dict[int, tuple[int, int, object, Region]]:
        """patient id -> (planned, completed, last session date, region) of the active course, else the newest.

        The count and last day are the ones kept on each course (db/course_tallies.py): the list never
        reads the sessions themselves."""
        c = m.Course
        q = select(c.patient_id, c.planned_sessions, c.session_count, c.last_session_on, c.region)
        if ids is not None:
            q = q.where(c.patient_id.in_(ids))
        # Each patient's courses in ascending (active, start date, id) order: the last one seen is current.
        q = q.order_by(c.patient_id, c.status == CourseStatus.ACTIVE, c.start_date, c.id)
        return {pid: (planned, n, last_date, region) for pid, planned, n, last_date, region in s.execute(q).all()}

    def get(self, patient_id: int) -> dto.PatientDetail:
        self.ctx.require_signed_in()
        with self.ctx.unit_of_work() as s:
            p = load_patient(s, patient_id)
            self.ctx.audit(s, "view", "patient", p.id, p.chart_number)
            return patient_detail(p)

    def by_chart(self, chart_number: str) -> dto.PatientDetail:
        self.ctx.require_signed_in()
        with self.ctx.unit_of_work() as s:
            p = load_by_chart(s, chart_number)
            self.ctx.audit(s, "view", "patient", p.id, p.chart_number)
            return patient_detail(p)

    def next_chart_number(self) -> str:
        """A suggestion for the form: one past the highest numeric chart number."""
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
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
            return with_changes(patient_detail(p), Changes(p.id, patient=True))

    def update(self, patient_id: int, data: PatientInput, expected_version: int | None = None) -> dto.PatientDetail:
        self.ctx.require(*EDITORS)
        clean = validate_patient(data, self.ctx.today())
        with self.ctx.unit_of_work() as s:
            p = load_patient(s, patient_id)
            check_version(p, expected_version, f"Patient {p.chart_number}")
            self._unique_chart(s, clean.chart_number, p.id)
            before = audited_fields(p)
            self._apply(p, clean)
            self.ctx.stamp(p)
            s.flush()
            changed = describe_changes(before, audited_fields(p), AUDITED_FIELDS)
            self.ctx.audit(s, "update", "patient", p.id, p.chart_number, changed or "nothing changed")
            return with_changes(patient_detail(p), Changes(p.id, patient=True))

    def set_archived(self, patient_id: int, archived: bool, expected_version: int | None = None) -> dto.PatientDetail:
        self.ctx.require(*EDITORS)
        with self.ctx.unit_of_work() as s:
            p = load_patient(s, patient_id)
            check_version(p, expected_version, f"Patient {p.chart_number}")
            p.archived = archived
            self.ctx.stamp(p)
            s.flush()
            self.ctx.audit(s, "archive" if archived else "unarchive", "patient", p.id, p.chart_number)
            return with_changes(patient_detail(p), Changes(p.id, patient=True))

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
        p.city, p.state, p.zip_code = d.city, d.state, d.zip_code

