"""The clinic's records. Rows never leave the service layer: services turn them into plain data.

No `from __future__ import annotations` here: SQLAlchemy reads each `Mapped[...]` annotation, and as
a string it first takes it apart with regular expressions and evaluates it, which took most of the
35 ms this module cost every start of the desk. A class named before it is defined is quoted."""

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from decomp_desk.db.base import Base, Cents, EnumSet, EnumText, Tenths, Tracked, UTCDateTime, utcnow
from decomp_desk.domain.types import (
    Condition,
    CourseStatus,
    Coverage,
    PaymentMethod,
    Position,
    Region,
    Sex,
    TableMode,
)


class ClinicSettings(Tracked, Base):
    """One row (id 1): the clinic's letterhead and defaults."""

    __tablename__ = "clinic_settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(400), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    tax_id: Mapped[str] = mapped_column(String(40), default="")
    # The address in parts (`address` is the street): the letterhead prints "City, ST 62704" (0006).
    city: Mapped[str] = mapped_column(String(100), default="", server_default="")
    state: Mapped[str] = mapped_column(String(40), default="", server_default="")
    zip_code: Mapped[str] = mapped_column(String(12), default="", server_default="")
    default_fee: Mapped[Decimal] = mapped_column(Cents, default=Decimal("85.00"))
    default_planned_sessions: Mapped[int] = mapped_column(Integer, default=30)
    procedure_code: Mapped[str] = mapped_column(String(10), default="S9090")
    paper_size: Mapped[str] = mapped_column(String(10), default="letter")
    idle_lock_minutes: Mapped[int] = mapped_column(Integer, default=10)
    backup_retention: Mapped[int] = mapped_column(Integer, default=14)


class IcdCode(Base):
    """The clinic's editable short list of ICD-10-CM codes for its indications."""

    __tablename__ = "icd_codes"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    description: Mapped[str] = mapped_column(String(200))
    region: Mapped[Region | None] = mapped_column(EnumText(Region), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(Tracked, Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    roles: Mapped[str] = mapped_column(String(120), default="")  # 'administrator;clinician'
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Patient(Tracked, Base):
    __tablename__ = "patients"
    # In name order with every column the patient list shows: the list's read is this index alone, not the
    # table's pages (on SQLite each page read is a page decrypted).
    __table_args__ = (Index("ix_patients_name", "last_name", "first_name", "id", "chart_number", "date_of_birth",
                            "phone", "archived"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chart_number: Mapped[str] = mapped_column(String(32), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date | None] = mapped_column(Date, nullable=True)
    sex: Mapped[Sex | None] = mapped_column(EnumText(Sex), nullable=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(400), default="")  # the street (and suite)
    city: Mapped[str] = mapped_column(String(100), default="", server_default="")  # the rest of the address (0006)
    state: Mapped[str] = mapped_column(String(40), default="", server_default="")
    zip_code: Mapped[str] = mapped_column(String(12), default="", server_default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # Insurance: the front desk calls the insurer and records the answer.
    insurer: Mapped[str] = mapped_column(String(120), default="")
    policy_number: Mapped[str] = mapped_column(String(80), default="")
    coverage: Mapped[Coverage] = mapped_column(EnumText(Coverage), default=Coverage.NOT_VERIFIED)
    coverage_percent: Mapped[Decimal | None] = mapped_column(Cents, nullable=True)
    coverage_amount: Mapped[Decimal | None] = mapped_column(Cents, nullable=True)
    coverage_verified_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    coverage_verified_by: Mapped[str] = mapped_column(String(120), default="")
    coverage_notes: Mapped[str] = mapped_column(Text, default="")

    screenings: Mapped[list["Screening"]] = relationship(back_populates="patient", order_by="Screening.screened_on")
    courses: Mapped[list["Course"]] = relationship(back_populates="patient", order_by="Course.start_date")


class Screening(Tracked, Base):
    __tablename__ = "screenings"
    # Each patient's screenings by date, with all the clearance rules read (the patient list's read).
    __table_args__ = (Index("ix_screenings_patient_date", "patient_id", "screened_on", "id", "region", "xray_on",
                            "xray_abnormal", "spinal_hardware", "nerve_damage", "bone_cancer", "osteoporosis",
                            "pregnant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    screened_on: Mapped[date] = mapped_column(Date)
    screened_by: Mapped[str] = mapped_column(String(120), default="")
    xray_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    xray_abnormal: Mapped[bool] = mapped_column(Boolean, default=False)
    xray_finding: Mapped[str] = mapped_column(Text, default="")
    spinal_hardware: Mapped[bool] = mapped_column(Boolean, default=False)
    nerve_damage: Mapped[bool] = mapped_column(Boolean, default=False)
    bone_cancer: Mapped[bool] = mapped_column(Boolean, default=False)
    osteoporosis: Mapped[bool] = mapped_column(Boolean, default=False)
    pregnant: Mapped[bool] = mapped_column(Boolean, default=False)
    region: Mapped[Region] = mapped_column(EnumText(Region))
    conditions: Mapped[frozenset[Condition]] = mapped_column(EnumSet(Condition), default=frozenset)
    notes: Mapped[str] = mapped_column(Text, default="")

    patient: Mapped[Patient] = relationship(back_populates="screenings")


class Course(Tracked, Base):
    __tablename__ = "courses"
    # Each patient's courses with what the patient list shows of them; the few with a care plan.
    __table_args__ = (Index("ix_courses_patient_status", "patient_id", "status", "start_date", "id",
                            "planned_sessions", "session_count", "last_session_on", "region"),
                      Index("ix_courses_plan", "plan"))

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    region: Mapped[Region] = mapped_column(EnumText(Region))
    conditions: Mapped[frozenset[Condition]] = mapped_column(EnumSet(Condition), default=frozenset)
    icd10_codes: Mapped[str] = mapped_column(String(200), default="")  # 'M51.16;M54.16'
    planned_sessions: Mapped[int] = mapped_column(Integer, default=30)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[CourseStatus] = mapped_column(EnumText(CourseStatus), default=CourseStatus.ACTIVE)
    fee_per_session: Mapped[Decimal] = mapped_column(Cents)
    discount_percent: Mapped[Decimal | None] = mapped_column(Cents, nullable=True)
    discount_amount: Mapped[Decimal | None] = mapped_column(Cents, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str | None] = mapped_column(String(120), nullable=True)  # the care plan, '3x4,2x3'; None: none
    # Kept by every write of a session (db/course_tallies.py), for the patient list.
    session_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_session_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    patient: Mapped[Patient] = relationship(back_populates="courses")
    sessions: Mapped[list["TreatmentSession"]] = relationship(back_populates="course")


class TreatmentSession(Tracked, Base):
    """One 30-45 minute session on the table."""

    __tablename__ = "treatment_sessions"
    __table_args__ = (
        UniqueConstraint("course_id", "date", "start_time", name="uq_treatment_sessions_course_date_time"),
        Index("ix_treatment_sessions_date", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    date: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time] = mapped_column(Time)
    duration_min: Mapped[int] = mapped_column(Integer)
    position: Mapped[Position] = mapped_column(EnumText(Position))
    harness: Mapped[bool] = mapped_column(Boolean, default=True)
    max_force_lb: Mapped[Decimal | None] = mapped_column(Tenths, nullable=True)
    # The table settings, as free values: tables differ, so no built-in protocols.
    mode: Mapped[TableMode | None] = mapped_column(EnumText(TableMode), nullable=True)
    min_force_lb: Mapped[Decimal | None] = mapped_column(Tenths, nullable=True)
    hold_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rest_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    progressive_steps: Mapped[int | None] = mapped_column(Integer, nullable=True)
    regressive_steps: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cycles: Mapped[int | None] = mapped_column(Integer, nullable=True)
    angle_deg: Mapped[Decimal | None] = mapped_column(Tenths, nullable=True)
    pain_before: Mapped[int] = mapped_column(Integer)
    numbness_before: Mapped[int] = mapped_column(Integer)
    tingling_before: Mapped[int] = mapped_column(Integer)
    pain_after: Mapped[int | None] = mapped_column(Integer, nullable=True)
    numbness_after: Mapped[int | None] = mapped_column(Integer, nullable=True)
    tingling_after: Mapped[int | None] = mapped_column(Integer, nullable=True)
    stop_button: Mapped[bool] = mapped_column(Boolean, default=False)
    stop_minute: Mapped[int | None] = mapped_column(Integer, nullable=True)
    soreness: Mapped[bool] = mapped_column(Boolean, default=False)
    muscle_spasm: Mapped[bool] = mapped_column(Boolean, default=False)
    tissue_damage: Mapped[bool] = mapped_column(Boolean, default=False)
    other_adverse: Mapped[bool] = mapped_column(Boolean, default=False)
    adverse_notes: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    clinician: Mapped[str] = mapped_column(String(120), default="")
    charge: Mapped[Decimal] = mapped_column(Cents)  # the course fee when the session was recorded

    course: Mapped[Course] = relationship(back_populates="sessions")


class Payment(Tracked, Base):
    __tablename__ = "payments"
    __table_args__ = (Index("ix_payments_patient_date", "patient_id", "paid_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"), nullable=True)
    paid_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Cents)
    method: Mapped[PaymentMethod] = mapped_column(EnumText(PaymentMethod))
    reference: Mapped[str] = mapped_column(String(120), default="")
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    voided_by: Mapped[str] = mapped_column(String(80), default="")
    void_reason: Mapped[str] = mapped_column(String(400), default="")


class AuditEvent(Base):
    """Append-only (triggers refuse UPDATE and DELETE): who did what to which record, when."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_chart", "chart_number"),
                      Index("uq_audit_events_seq", "seq", unique=True))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40), default="")
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    chart_number: Mapped[str] = mapped_column(String(32), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    # The hash chain (db/audit_chain.py): the event's place in it (1, 2, 3 ... with no gaps), the hash of
    # the event before it, and its own hash over that and every field above.
    seq: Mapped[int] = mapped_column(Integer)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(Base):
    """One row (id 1): the newest event's place and hash. Every append locks it (so the chain grows one
    writer at a time, never forking), and `check` compares it with the newest event (so cutting the
    newest events off shows too)."""

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))
    last_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


from decomp_desk.db.outcome_models import OutcomeForm  # noqa: F401  (outcome questionnaires)

# The appointment book's tables (clinic tables, opening hours, appointments, reminders): after Patient,
# Course and TreatmentSession, which they refer to.
from decomp_desk.db.schedule_models import (  # noqa: F401
    Appointment,
    BookSettings,
    ClinicTable,
    OpeningHoursRow,
    ReminderLog,
)
