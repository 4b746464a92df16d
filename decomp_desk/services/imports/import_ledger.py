"""What an import needs to know of the database, loaded once in a few queries, and the bulk writes.

A clinic moving ten years of spreadsheets over imports hundreds of thousands of sessions: the import
must never ask the database one question per row, so every check runs against the dicts loaded here
and every write is one statement per chunk of rows."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, time
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.db.base import utcnow
from decomp_desk.db.course_tallies import retally
from decomp_desk.db.repositories import settings_row
from decomp_desk.domain.clearance import clearance_for, newest, usual_region
from decomp_desk.domain.course_rules import CourseSpan
from decomp_desk.domain.eligibility import Clearance
from decomp_desk.domain.screening_input import ScreeningInput
from decomp_desk.domain.types import (
    Condition,
    Contraindication,
    CourseStatus,
    PaymentMethod,
    Region,
    ScreeningFacts,
    Sex,
)
from decomp_desk.domain.validation import PatientInput, SessionInput
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.row_mapping import contraindications_of, session_columns
from decomp_desk.services.screenings import screening_columns

IMPORTED_COURSE_SESSIONS = 30  # DOMAIN.md: the course an import opens plans 30 sessions
CHUNK = 5000


@contextmanager
def roomy_cache(s: Session) -> Iterator[None]:
    """SQLite's page cache raised for the import: its indexes outgrow the default 2 MB within a few
    ten thousand sessions, and a 300,000-session import then runs a quarter slower."""
    conn = s.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql("PRAGMA cache_size=-65536")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


class PatientState:
    __slots__ = ("id", "chart_number", "first_name", "last_name", "date_of_birth", "sex", "phone", "email",
                 "insurer", "archived")

    def __init__(self, **values):
        for name in self.__slots__:
            setattr(self, name, values.get(name))


class CourseState:
    """A course on file, or one the import opens (id None until written): from courses.csv (`given`,
    whose dates are the file's), or for sessions no course holds (active, 30 planned)."""

    __slots__ = ("id", "chart_number", "region", "conditions", "start_date", "end_date", "status", "planned",
                 "fee", "plan", "given", "moved", "discount_percent", "discount_amount")

    def __init__(self, id: int | None, chart_number: str, region: Region, conditions: frozenset[Condition],
                 start_date: date, fee: Decimal, *, end_date: date | None = None,
                 status: CourseStatus = CourseStatus.ACTIVE, planned: int = IMPORTED_COURSE_SESSIONS,
                 plan: str = "", given: bool = False, discount_percent: Decimal | None = None,
                 discount_amount: Decimal | None = None) -> None:
        self.id, self.chart_number, self.region, self.conditions = id, chart_number, region, conditions
        self.start_date, self.end_date, self.status, self.planned = start_date, end_date, status, planned
        self.fee, self.plan, self.given, self.moved = fee, plan, given, False
        self.discount_percent, self.discount_amount = discount_percent, discount_amount

    def span(self) -> CourseSpan:
        return CourseSpan(self, self.region, self.start_date, self.end_date, self.status)

    def takes(self, on: date) -> None:
        """A session dated before the course's start moves the start back (as add_session does)."""
        if on < self.start_date:
            self.start_date, self.moved = on, True


class Ledger:
    """The database as the import sees it, plus what the batch has added so far, keyed by chart number
    (patients of the batch have no id until they are written)."""

    def __init__(self, s: Session):
        self.s = s
        p = m.Patient
        self.patients: dict[str, PatientState] = {
            r.chart_number: PatientState(**r._mapping) for r in s.execute(select(
                p.id, p.chart_number, p.first_name, p.last_name, p.date_of_birth, p.sex, p.phone, p.email,
                p.insurer, p.archived))}
        self.chart_of = {x.id: x.chart_number for x in self.patients.values()}
        self.screenings: dict[str, list[ScreeningFacts]] = {}
        self._conditions: dict[int, frozenset[Condition]] = {}
        # (chart, day, region) -> what each screening on file of that key found, in the order recorded
        self.screenings_on_file: dict[tuple[str, date, Region], list[dict]] = {}
        sc = m.Screening
        for row in s.execute(select(sc.patient_id, sc.screened_on, sc.xray_on, sc.xray_abnormal, sc.region,
                                    sc.conditions, *(getattr(sc, c.value) for c in Contraindication))
                             .order_by(sc.screened_on, sc.id)):
            chart = self.chart_of[row.patient_id]
            facts = ScreeningFacts(row.screened_on, row.xray_on, row.xray_abnormal, contraindications_of(row),
                                   row.region)
            self.add_screening(chart, facts, row.conditions)
            self.screenings_on_file.setdefault((chart, row.screened_on, row.region), []).append(
                screening_finding(row.xray_on, row.xray_abnormal, contraindications_of(row), row.conditions))
        c = m.Course
        self.courses: dict[str, list[CourseState]] = {}  # every course of each chart, whatever its status
        for row in s.execute(select(c.id, c.patient_id, c.region, c.conditions, c.start_date, c.end_date, c.status,
                                    c.planned_sessions, c.fee_per_session).order_by(c.start_date, c.id)):
            chart = self.chart_of[row.patient_id]
            self.courses.setdefault(chart, []).append(CourseState(
                row.id, chart, row.region, row.conditions, row.start_date, row.fee_per_session,
                end_date=row.end_date, status=row.status, planned=row.planned_sessions))
        settings = settings_row(s)
        self.default_fee: Decimal = settings.default_fee
        self.default_planned: int = settings.default_planned_sessions
        self._session_keys: set | None = None
        self._payment_keys: set | None = None

    def add_screening(self, chart: str, facts: ScreeningFacts, conditions: frozenset[Condition]) -> None:
        """In the order recorded: of two the same day, the one added later is the newer."""
        self.screenings.setdefault(chart, []).append(facts)
        self._conditions[id(facts)] = conditions

    def region_on(self, chart: str, on: date) -> Region | None:
        """The region of the newest screening on or before `on` (a session without a region is of it)."""
        return usual_region(self.screenings.get(chart, ()), on)

    def clearance(self, chart: str, region: Region | None, on: date) -> Clearance:
        """DOMAIN.md's per-region rule, over the screenings on file and those of the batch."""
        history = self.screenings.get(chart, ())
        if region is None:  # nothing screened yet: "no screening on file"
            return clearance_for(history, Region.LUMBAR, on)
        return clearance_for(history, region, on)

    def conditions_of(self, chart: str, region: Region, on: date) -> frozenset[Condition]:
        """The conditions of the newest screening of `region` on or before `on` (a new course's)."""
        facts = newest(self.screenings.get(chart, ()), on, region)
        return self._conditions.get(id(facts), frozenset()) if facts is not None else frozenset()

    def spans(self, chart: str) -> list[CourseSpan]:
        return [c.span() for c in self.courses.get(chart, ())]

    def add_course(self, course: CourseState) -> None:
        self.courses.setdefault(course.chart_number, []).append(course)

    def session_keys(self) -> set[tuple[str, date, time]]:
        """(chart number, date, start time) of every recorded session, loaded when first wanted."""
        if self._session_keys is None:
            t = m.TreatmentSession
            self._session_keys = {(self.chart_of[pid], d, at) for pid, d, at in self.s.execute(
                select(m.Course.patient_id, t.date, t.start_time).join(m.Course, m.Course.id == t.course_id))}
        return self._session_keys

    def payment_keys(self) -> set[tuple[str, date, Decimal, PaymentMethod]]:
        """(chart number, date, amount, method) of every payment, voided ones too: a payment voided on the
        desk must not come back with the next import of the same file."""
        if self._payment_keys is None:
            p = m.Payment
            self._payment_keys = {(self.chart_of[pid], on, amount, method) for pid, on, amount, method in
                                  self.s.execute(select(p.patient_id, p.paid_on, p.amount, p.method))}
        return self._payment_keys

    def current_course(self, chart: str) -> CourseState | None:
        """The newest active course, else the newest (a payment is booked to it)."""
        return max(self.courses.get(chart, ()), default=None,
                   key=lambda c: (c.status is CourseStatus.ACTIVE, c.start_date, c.id or 0))


def screening_finding(xray_on, xray_abnormal, contraindications, conditions) -> dict:
    """What a screening found, by the columns of screenings.csv: two screenings of one patient, day and
    region are the same screening when these are equal."""
    return {"xray_on": xray_on, "xray_abnormal": bool(xray_abnormal) if xray_on is not None else False,
            **{c.value: c in contraindications for c in Contraindication},
            "conditions": frozenset(conditions or ())}


class BulkWriter:
    """One INSERT per chunk of rows, with the same columns the desk's forms write."""

    def __init__(self, ctx: ServiceContext, s: Session, ledger: Ledger):
        self.ctx, self.s, self.ledger = ctx, s, ledger
        now, who = utcnow(), ctx.actor.username
        self.stamp = {"created_at": now, "created_by": who, "updated_at": now, "updated_by": who, "version": 1}

    def _insert(self, model, rows: list[dict], returning=()):
        result = []
        for i in range(0, len(rows), CHUNK):
            stmt = insert(model.__table__)
            if returning:
                result += self.s.execute(stmt.returning(*returning), rows[i:i + CHUNK]).all()
            else:
                self.s.execute(stmt, rows[i:i + CHUNK])
        return result

    def _patient_id(self, chart: str) -> int:
        return self.ledger.patients[chart].id

    def new_patients(self, patients: list[PatientInput]) -> None:
        t = m.Patient.__table__
        rows = [{"chart_number": p.chart_number, "first_name": p.first_name, "last_name": p.last_name,
                 "date_of_birth": p.date_of_birth, "sex": Sex(p.sex) if p.sex else None, "phone": p.phone,
                 "email": p.email, "insurer": p.insurer, **self.stamp} for p in patients]
        for pid, chart in self._insert(m.Patient, rows, (t.c.id, t.c.chart_number)):
            self.ledger.patients[chart].id = pid
            self.ledger.chart_of[pid] = chart

    def update_patients(self, changes: dict[str, dict]) -> None:
        """Through the ORM, so each change bumps the record's version like an edit on the desk."""
        ids = {self._patient_id(chart): chart for chart in changes}
        for row in self._rows(m.Patient, ids):
            for name, value in changes[ids[row.id]].items():
                setattr(row, name, value)
            self.ctx.stamp(row)
        self.s.flush()

    def _rows(self, model, ids: Iterable[int]):
        """ORM rows by id, a few hundred per query (SQLite limits the parameters of one statement)."""
        ids = list(ids)
        for i in range(0, len(ids), 500):
            yield from self.s.scalars(select(model).where(model.id.in_(ids[i:i + 500])))

    def screenings(self, screenings: list[tuple[str, ScreeningInput]]) -> None:
        self._insert(m.Screening, [{"patient_id": self._patient_id(chart), **self.stamp,
                                    **screening_columns(data, data.screened_by)} for chart, data in screenings])

    def open_courses(self, courses: Iterable[CourseState]) -> None:
        new = [c for c in courses if c.id is None]
        if not new:
            return
        t = m.Course.__table__
        # A care-plan column, where the schema has one, keeps the plan as written in courses.csv.
        plan = {"plan": None} if "plan" in t.c else {}
        rows = [{"patient_id": self._patient_id(c.chart_number), "region": c.region, "conditions": c.conditions,
                 "icd10_codes": "", "planned_sessions": c.planned, "start_date": c.start_date,
                 "end_date": c.end_date, "status": c.status, "fee_per_session": c.fee,
                 "discount_percent": c.discount_percent, "discount_amount": c.discount_amount, **self.stamp,
                 **({"plan": c.plan or None} if plan else {})} for c in new]
        # (patient, region, start) names one course: courses of one region never overlap.
        by_key = {(row["patient_id"], c.region, c.start_date): c for c, row in zip(new, rows, strict=True)}
        for cid, pid, region, start in self._insert(m.Course, rows, (t.c.id, t.c.patient_id, t.c.region,
                                                                     t.c.start_date)):
            course = by_key[(pid, region, start)]
            course.id, course.moved = cid, False

    def courses(self, courses: list[CourseState]) -> None:
        self.open_courses(courses)

    def sessions(self, sessions: list[tuple[CourseState, SessionInput]]) -> None:
        self.open_courses({id(c): c for c, _ in sessions}.values())
        stamp = self.stamp
        self._insert(m.TreatmentSession, [{**session_columns(data), "course_id": c.id, "charge": c.fee, **stamp}
                                          for c, data in sessions])
        retally(self.s, {c.id for c, _ in sessions if c.id is not None})  # every one was opened above

    def move_course_starts(self, courses: Iterable[CourseState]) -> None:
        moved = {c.id: c.start_date for c in courses if c.moved}
        for row in self._rows(m.Course, moved):
            row.start_date = moved[row.id]
            self.ctx.stamp(row)
        self.s.flush()

    def payments(self, payments: list[tuple[str, date, Decimal, PaymentMethod]]) -> None:
        rows = []
        for chart, paid_on, amount, method in payments:
            course = self.ledger.current_course(chart)
            rows.append({"patient_id": self._patient_id(chart), "course_id": course.id if course else None,
                         "paid_on": paid_on, "amount": amount, "method": method, **self.stamp})
        self._insert(m.Payment, rows)

    def outcomes(self, rows: list) -> None:
        from decomp_desk.services.imports.import_outcomes import write_outcomes

        write_outcomes(self, rows)
