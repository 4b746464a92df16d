"""What an import needs to know of the database, loaded once in a few queries, and the bulk writes.

A clinic moving ten years of spreadsheets over imports hundreds of thousands of sessions: the import
must never ask the database one question per row, so every check runs against the dicts loaded here
and every write is one statement per chunk of rows."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, time
from decimal import Decimal
from typing import Iterable, Iterator

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.db.base import utcnow
from decomp_desk.domain.eligibility import Clearance, assess, governing
from decomp_desk.domain.types import (
    Condition, Contraindication, CourseStatus, PaymentMethod, Region, ScreeningFacts, Sex,
)
from decomp_desk.domain.validation import PatientInput, SessionInput
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.convert import contraindications_of, session_columns
from decomp_desk.services.dto import ScreeningInput
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
    """An active course, or one the import opens (id None until written)."""

    __slots__ = ("id", "chart_number", "region", "conditions", "start_date", "fee", "moved")

    def __init__(self, id, chart_number, region, conditions, start_date, fee):
        self.id, self.chart_number, self.region, self.conditions = id, chart_number, region, conditions
        self.start_date, self.fee, self.moved = start_date, fee, False

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
        self._screening_meta: dict[int, tuple[Clearance, Region, frozenset[Condition]]] = {}
        self.screening_days: set[tuple[str, date]] = set()  # on file before the import
        sc = m.Screening
        for row in s.execute(select(sc.patient_id, sc.screened_on, sc.xray_on, sc.xray_abnormal, sc.region,
                                    sc.conditions, *(getattr(sc, c.value) for c in Contraindication))
                             .order_by(sc.screened_on, sc.id)):
            facts = ScreeningFacts(row.screened_on, row.xray_on, row.xray_abnormal, contraindications_of(row))
            self.add_screening(self.chart_of[row.patient_id], facts, row.region, row.conditions)
            self.screening_days.add((self.chart_of[row.patient_id], row.screened_on))
        c = m.Course
        self.courses: dict[tuple[str, Region], CourseState] = {}
        for cid, pid, region, conditions, start, fee in s.execute(
                select(c.id, c.patient_id, c.region, c.conditions, c.start_date, c.fee_per_session)
                .where(c.status == CourseStatus.ACTIVE).order_by(c.start_date, c.id)):
            self.courses[(self.chart_of[pid], region)] = CourseState(cid, self.chart_of[pid], region, conditions,
                                                                     start, fee)
        self.default_fee: Decimal = s.get(m.ClinicSettings, 1).default_fee
        self._session_keys: set | None = None
        self._payment_keys: set | None = None

    def add_screening(self, chart: str, facts: ScreeningFacts, region: Region,
                      conditions: frozenset[Condition]) -> None:
        self.screenings.setdefault(chart, []).append(facts)
        self._screening_meta[id(facts)] = (assess(facts), region, conditions)

    def clearance(self, chart: str, on: date) -> tuple[Clearance, Region | None, frozenset[Condition]]:
        """The domain's rule: the newest screening on or before `on` governs (with its region)."""
        facts = governing(self.screenings.get(chart, ()), on)
        if facts is None:
            return assess(None), None, frozenset()
        return self._screening_meta[id(facts)]

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
        """The newest active course (a payment is booked to it)."""
        mine = (self.courses.get((chart, region)) for region in Region)
        return max((c for c in mine if c), key=lambda c: (c.start_date, c.id or 0), default=None)


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
        new = {(self._patient_id(c.chart_number), c.region): c for c in courses if c.id is None}
        if not new:
            return
        t = m.Course.__table__
        rows = [{"patient_id": pid, "region": c.region, "conditions": c.conditions, "icd10_codes": "",
                 "planned_sessions": IMPORTED_COURSE_SESSIONS, "start_date": c.start_date,
                 "status": CourseStatus.ACTIVE, "fee_per_session": c.fee, **self.stamp}
                for (pid, _), c in new.items()]
        for cid, pid, region in self._insert(m.Course, rows, (t.c.id, t.c.patient_id, t.c.region)):
            course = new[(pid, region)]
            course.id, course.moved = cid, False

    def sessions(self, sessions: list[tuple[CourseState, SessionInput]]) -> None:
        self.open_courses({id(c): c for c, _ in sessions}.values())
        stamp = self.stamp
        self._insert(m.TreatmentSession, [{**session_columns(data), "course_id": c.id, "charge": c.fee, **stamp}
                                          for c, data in sessions])

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
        from decomp_desk.services.import_outcomes import write_outcomes

        write_outcomes(self, rows)
