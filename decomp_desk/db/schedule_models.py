"""The appointment book's records: the clinic's tables, opening hours, the book's settings (default
length, the SMTP server for reminders), appointments and the reminder log. Imported by db/models.py.

No `from __future__ import annotations` (see models.py)."""

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from decomp_desk.db.base import Base, EnumText, Tracked, UTCDateTime, utcnow
from decomp_desk.domain.appointments import AppointmentStatus


class ClinicTable(Tracked, Base):
    """A decompression table: one patient at a time. None on file: the clinic has one, 'Table 1'."""

    __tablename__ = "clinic_tables"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class OpeningHoursRow(Base):
    """One row per weekday (0 Monday .. 6 Sunday); no rows: the default hours. Both times empty: closed."""

    __tablename__ = "opening_hours"
    weekday: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    opens: Mapped[time | None] = mapped_column(Time, nullable=True)
    closes: Mapped[time | None] = mapped_column(Time, nullable=True)


class BookSettings(Tracked, Base):
    """One row (id 1), made when first saved: the default appointment length and the reminders' SMTP
    server. The password is stored encrypted (services/secret_box.py); its key never lives here."""

    __tablename__ = "book_settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_minutes: Mapped[int] = mapped_column(Integer, default=45)
    smtp_host: Mapped[str] = mapped_column(String(200), default="")
    smtp_port: Mapped[int] = mapped_column(Integer, default=587)
    smtp_starttls: Mapped[bool] = mapped_column(Boolean, default=True)
    smtp_user: Mapped[str] = mapped_column(String(200), default="")
    smtp_password_encrypted: Mapped[str] = mapped_column(Text, default="")
    smtp_sender: Mapped[str] = mapped_column(String(200), default="")


class Appointment(Tracked, Base):
    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_date", "date"),
                      Index("ix_appointments_patient_date", "patient_id", "date"))

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"), nullable=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("clinic_tables.id"))
    date: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time] = mapped_column(Time)
    minutes: Mapped[int] = mapped_column(Integer)
    status: Mapped[AppointmentStatus] = mapped_column(EnumText(AppointmentStatus), default=AppointmentStatus.BOOKED)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("treatment_sessions.id"), nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")

    patient: Mapped["Patient"] = relationship()
    table: Mapped[ClinicTable] = relationship()


class ReminderLog(Base):
    """Each reminder tried: sent, or failed with the server's reason. An appointment is reminded once."""

    __tablename__ = "appointment_reminders"
    __table_args__ = (Index("ix_appointment_reminders_appointment", "appointment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(80), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    sent: Mapped[bool] = mapped_column(Boolean, default=False)
    detail: Mapped[str] = mapped_column(Text, default="")
