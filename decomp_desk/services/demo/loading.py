"""The demo clinic: about forty made-up patients with screenings, courses, sessions and payments, to try
the desk with. Everything goes through the same rules as the desk's forms (validation, the screening
rules before every session), in one unit of work, and comes out the same on every run (seeded)."""
from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from random import Random

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.db.repositories import settings_row
from decomp_desk.domain.course_input import CourseInput, validate_course
from decomp_desk.domain.errors import DomainError
from decomp_desk.domain.money import validate_payment
from decomp_desk.domain.records import record
from decomp_desk.domain.screening_input import ScreeningInput, validate_screening
from decomp_desk.domain.types import (
    AdverseEvent,
    Contraindication,
    CourseStatus,
    Coverage,
    PaymentMethod,
    Position,
    Region,
    Role,
    Scores,
    Sex,
    TableMode,
)
from decomp_desk.domain.validation import PatientInput, SessionInput, validate_patient, validate_session
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.courses import open_course
from decomp_desk.services.demo.demo_book import add_demo_book
from decomp_desk.services.demo.demo_clinic import CLINIC, CLINICIANS, ICD10, INSURANCE, SEED, STORIES, Story
from decomp_desk.services.demo.demo_outcomes import add_demo_outcomes
from decomp_desk.services.screenings import add_screening
from decomp_desk.services.sessions import add_session, check_may_record

FRONT_DESK = "Tina Alvarez (front desk)"
NORMAL_XRAY = {Region.LUMBAR: "Normal alignment; mild disc space narrowing at L4-L5; no fracture.",
               Region.CERVICAL: "Loss of the cervical lordosis; mild narrowing at C5-C6; no fracture."}


@record
class DemoSummary:
    clinic_name: str
    patients: int
    screenings: int
    courses: int
    sessions: int
    payments: int


def load_demo(target) -> DemoSummary:
    """Fill an empty database (Services or a ServiceContext) with the demo clinic. The clinic's name is
    set only where none is yet (the desk asks for it first); a database with patients is refused."""
    ctx: ServiceContext = getattr(target, "ctx", target)
    ctx.require(Role.ADMINISTRATOR)
    with ctx.unit_of_work() as s:
        existing = s.scalar(select(func.count()).select_from(m.Patient))
        if existing:
            raise DomainError(f"The demo clinic loads only into an empty database; this one already has "
                              f"{existing} patient{'s' * (existing != 1)}.")
        name = _letterhead(ctx, s)
        clinic = _DemoClinic(ctx, s)
        for number, story in enumerate(STORIES):
            clinic.add(1001 + number, story)
        add_demo_outcomes(ctx, s)  # the ODI/NDI/PSFS forms (services/demo/demo_outcomes.py)
        add_demo_book(ctx, s)  # services/demo/demo_book.py: tables, hours, care plans and this week's appointments
        summary = DemoSummary(name, *(s.scalar(select(func.count()).select_from(t)) for t in (
            m.Patient, m.Screening, m.Course, m.TreatmentSession, m.Payment)))
        ctx.audit(s, "load_demo", "clinic", None, "", f"{summary.patients} patients, {summary.sessions} sessions")
        return summary


def _letterhead(ctx: ServiceContext, s: Session) -> str:
    row = settings_row(s)
    if row.name:  # a clinic someone named keeps its own letterhead: no made-up address or tax id on it
        return row.name
    for key, value in CLINIC.items():
        if not getattr(row, key):
            setattr(row, key, value)
    ctx.stamp(row)
    ctx.audit(s, "update", "settings", 1, "", "demo clinic letterhead")
    return row.name


def weekday_schedule(last: date, count: int, rnd: Random) -> list[date]:
    """`count` session days ending on or before `last`, two or three a week on the patient's usual
    weekdays, now and then one missed."""
    pattern = rnd.choice(((0, 2, 4), (1, 3), (0, 2, 4), (1, 3, 4), (0, 3)))
    days: list[date] = []
    day = last
    while len(days) < count:
        if day.weekday() in pattern and not (days and rnd.random() < 0.08):
            days.append(day)
        day -= timedelta(days=1)
    return days[::-1]


class _DemoClinic:
    def __init__(self, ctx: ServiceContext, s: Session):
        self.ctx, self.s, self.today = ctx, s, ctx.today()
        self.rnd = Random(SEED)

    def add(self, chart: int, story: Story) -> None:
        rnd, today = self.rnd, self.today
        clinician = rnd.choice(CLINICIANS)
        days = weekday_schedule(today - timedelta(days=story.ended), story.sessions, rnd) if story.sessions else []
        first_visit = (days[0] if days else today) - timedelta(days=rnd.randint(3, 8))
        patient = self._register(str(chart), story, first_visit)
        if story.plot == "new":
            return
        self._screen(patient, story, first_visit, clinician)
        if story.plot in ("blocked", "screened"):
            return
        course = open_course(self.ctx, self.s, patient, self._course_input(story, days[0] if days else today))
        table = _Table(story, rnd, clinician)
        for number, on in enumerate(days, start=1):
            data = table.session(number, on)
            validate_session(data, today)
            check_may_record(self.s, course, data)
            add_session(self.ctx, self.s, course, data)
        if story.plot == "paused":
            self._screen(patient, story, days[-1] + timedelta(days=4), clinician, now_blocked=True)
        elif story.plot in ("completed", "discontinued"):
            self._close(patient, course, story, days[-1])
        self._payments(patient, course, story, days)

    def _register(self, chart: str, story: Story, registered: date) -> m.Patient:
        rnd = self.rnd
        age = rnd.randint(*story.age)
        born = registered - timedelta(days=age * 365 + rnd.randint(0, 364))
        handle = "".join(ch for ch in f"{story.first}.{story.last}".lower() if ch.isalpha() or ch == ".")
        data = validate_patient(PatientInput(
            chart_number=chart, first_name=story.first, last_name=story.last, date_of_birth=born, sex=story.sex,
            phone=f"(217) 555-01{int(chart) % 100:02d}",
            email="" if age > 72 and rnd.random() < 0.6 else f"{handle}@example.com",
            address=f"{rnd.randint(12, 4800)} {rnd.choice(STREETS)}", city="Springfield", state="IL",
            zip_code=f"627{rnd.randint(1, 15):02d}",
            insurer=story.insurer,
            policy_number=f"{rnd.choice('ABHKMWXZ')}{rnd.randint(10**8, 10**9 - 1)}" if story.insurer else ""),
            self.today)
        coverage, percent, amount, notes = INSURANCE[story.insurer]
        p = m.Patient(
            chart_number=data.chart_number, first_name=data.first_name, last_name=data.last_name,
            date_of_birth=data.date_of_birth, sex=Sex(data.sex), phone=data.phone, email=data.email,
            address=data.address, city=data.city, state=data.state, zip_code=data.zip_code,
            insurer=data.insurer, policy_number=data.policy_number, coverage=coverage,
            coverage_percent=percent, coverage_amount=amount, coverage_notes=notes,
            coverage_verified_on=None if coverage is Coverage.NOT_VERIFIED else registered,
            coverage_verified_by="" if coverage is Coverage.NOT_VERIFIED else FRONT_DESK)
        return self._save(p, "patient", data.chart_number)

    def _save(self, row, entity: str, chart: str):
        """A new record, stamped and audited as the desk's forms do."""
        self.ctx.stamp(row, new=True)
        self.s.add(row)
        self.s.flush()
        self.ctx.audit(self.s, "create", entity, row.id, chart)
        return row

    def _screen(self, patient: m.Patient, story: Story, on: date, clinician: str, now_blocked: bool = False) -> None:
        contra = {Contraindication.PREGNANT} if now_blocked else set(story.blocked_by)
        xray_on = None if story.no_xray else on - timedelta(days=self.rnd.randint(0, 6))
        data = ScreeningInput(
            screened_on=on, xray_on=xray_on, xray_abnormal=bool(story.xray_finding),
            xray_finding="" if xray_on is None else story.xray_finding or NORMAL_XRAY[story.region],
            region=story.region, contraindications=frozenset(contra), conditions=frozenset(story.conditions),
            screened_by=clinician, notes=story.note if (story.plot == "blocked" or now_blocked) else "")
        validate_screening(data, self.today)
        add_screening(self.ctx, self.s, patient, data)

    def _course_input(self, story: Story, start: date) -> CourseInput:
        data = CourseInput(
            region=story.region, start_date=start, conditions=frozenset(story.conditions),
            icd10_codes=tuple(ICD10[(story.region, c)] for c in story.conditions if (story.region, c) in ICD10),
            discount_percent=Decimal("10") if not story.insurer else None,
            notes="10% discount for paying the course up front." if not story.insurer else "")
        validate_course(data)
        return data

    def _close(self, patient: m.Patient, course: m.Course, story: Story, last: date) -> None:
        course.status = CourseStatus.COMPLETED if story.plot == "completed" else CourseStatus.DISCONTINUED
        course.end_date, course.notes = last, story.note or course.notes
        self.ctx.stamp(course)
        self.ctx.audit(self.s, f"course_{course.status.value}", "course", course.id, patient.chart_number)

    def _payments(self, patient: m.Patient, course: m.Course, story: Story, days: list[date]) -> None:
        paid_through = 0
        for sessions, method in story.paid:
            paid_through = min(paid_through + sessions, len(days))
            amount = course.fee_per_session * sessions
            if course.discount_percent:
                amount = (amount * (100 - course.discount_percent) / 100).quantize(Decimal("0.01"))
            on = days[paid_through - 1]
            validate_payment(amount, on, self.today)
            self._save(m.Payment(patient_id=patient.id, course_id=course.id, paid_on=on, amount=amount,
                                 method=PaymentMethod(method), reference="EOB" if method == "insurance" else ""),
                       "payment", patient.chart_number)


STREETS = ("Maple Avenue", "Oak Street", "Lincoln Road", "Washington Street", "Cedar Lane", "Park Place",
           "Elm Street", "Jefferson Avenue", "Walnut Drive", "Chestnut Court", "Prairie View Road", "Lake Shore Drive")
ADVERSE_NOTES = {AdverseEvent.MUSCLE_SPASM: "Spasm in the paraspinal muscles after the session; ice and rest advised.",
                 AdverseEvent.TISSUE_DAMAGE: "Bruising and swelling under the harness; seen by the doctor."}
STOP_NOTES = ("Pressed the stop button: sharp pain down the leg.",
              "Pressed the stop button: felt anxious on the table.",
              "Pressed the stop button: harness too tight.")
SESSION_NOTES = ("Tolerated well.", "Reports sleeping better.", "Walked for 20 minutes without pain this week.",
                 "Sore for a day after the last session.", "")


class _Table:
    """One patient's table settings and how their scores move over the course."""

    def __init__(self, story: Story, rnd: Random, clinician: str):
        self.story, self.rnd, self.clinician = story, rnd, clinician
        lumbar = story.region is Region.LUMBAR
        self.position = Position.FACE_DOWN if lumbar and rnd.random() < 0.8 else Position.FACE_UP
        self.mode = rnd.choice((TableMode.INTERMITTENT, TableMode.INTERMITTENT, TableMode.CYCLIC, TableMode.STATIC))
        self.hold, self.rest = (60, 30) if lumbar else (30, 10)
        if self.mode is TableMode.CYCLIC:
            self.hold, self.rest = self.hold // 2, self.rest // 2
        self.force, self.step, self.cap = ((Decimal(rnd.randint(40, 60)), Decimal("2.5"), Decimal(rnd.randint(80, 120)))
                                           if lumbar else (Decimal(10), Decimal("0.5"), Decimal(rnd.randint(20, 30))))
        self.angle = Decimal(rnd.randint(8, 20) if lumbar else rnd.randint(15, 25))
        self.slot = time(rnd.randint(8, 16), rnd.choice((0, 15, 30, 45)))
        self.minutes = rnd.choice((30, 35, 40, 45))
        self.baseline = Scores(rnd.randint(5, 9), rnd.randint(2, 8), rnd.randint(1, 7))
        self.target = self._target(story.trend)

    def _target(self, trend: str) -> Scores:
        b, r = self.baseline, self.rnd
        if trend == "improving":
            return Scores(r.randint(0, 2), r.randint(0, 2), r.randint(0, 1))
        if trend == "slow":
            return Scores(b.pain - 1, max(0, b.numbness - 1), b.tingling)
        if trend == "worse":
            return Scores(min(10, b.pain + 2), min(10, b.numbness + 1), b.tingling)
        return b

    def _score(self, name: str, fraction: float) -> int:
        start, end = getattr(self.baseline, name), getattr(self.target, name)
        noise = self.rnd.choice((-1, 0, 0, 0, 1)) if fraction else 0
        return max(0, min(10, round(start + (end - start) * fraction ** 0.8) + noise))

    def session(self, number: int, on: date) -> SessionInput:
        rnd, story = self.rnd, self.story
        fraction = (number - 1) / 29
        before = Scores(*(self._score(n, fraction) for n in ("pain", "numbness", "tingling")))
        after = Scores(*(max(0, v - rnd.choice((0, 1, 1, 2))) for v in (before.pain, before.numbness,
                                                                          before.tingling)))
        stop = number in story.stops
        minutes = rnd.randint(12, 24) if stop else (30 if number <= 2 else self.minutes)
        events = set()
        if rnd.random() < (0.35 if number <= 3 else 0.12):
            events.add(AdverseEvent.SORENESS)
        if number in story.spasms:
            events.add(AdverseEvent.MUSCLE_SPASM)
        if number == story.tissue_damage:
            events.add(AdverseEvent.TISSUE_DAMAGE)
        force = min(self.cap, self.force + self.step * (number - 1))
        static = self.mode is TableMode.STATIC
        cycles = None if static else minutes * 60 // (self.hold + self.rest)
        start = self.slot if rnd.random() > 0.15 else time(max(8, min(17, self.slot.hour + rnd.choice((-1, 1)))),
                                                             self.slot.minute)
        return SessionInput(
            date=on, start_time=start, duration_min=minutes, position=self.position, before=before,
            after=after if rnd.random() < 0.7 else None, harness=True, max_force_lb=force, mode=self.mode,
            min_force_lb=(force / 2).quantize(Decimal("0.1")), hold_s=None if static else self.hold,
            rest_s=None if static else self.rest, progressive_steps=4, regressive_steps=3,
            cycles=cycles, angle_deg=self.angle, stop_button=stop, stop_minute=minutes if stop else None,
            adverse_events=frozenset(events),
            adverse_notes=" ".join(ADVERSE_NOTES[e] for e in sorted(events) if e in ADVERSE_NOTES),
            notes=rnd.choice(STOP_NOTES) if stop else rnd.choice(SESSION_NOTES) if rnd.random() < 0.2 else "",
            clinician=self.clinician if rnd.random() < 0.85 else rnd.choice(CLINICIANS),
        )
