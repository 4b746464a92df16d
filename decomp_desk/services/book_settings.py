"""The appointment book's settings: the clinic's tables, opening hours per weekday, the default
appointment length, and the SMTP server reminders go through (administrators change them)."""
from __future__ import annotations

from sqlalchemy import select

from decomp_desk.db import models as m
from decomp_desk.db.repositories import book_settings_row, check_version
from decomp_desk.domain.appointments import (
    MAX_MINUTES,
    MIN_MINUTES,
    WEEKDAYS,
    Hours,
)
from decomp_desk.domain.book_settings_input import smtp_errors, validate_tables
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.op_changes import Changes, with_changes
from decomp_desk.domain.records import record
from decomp_desk.domain.types import Role
from decomp_desk.services import book_dto as bd
from decomp_desk.services.book_rules import opening_hours, table_names
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.row_mapping import book_settings_view
from decomp_desk.services.secret_box import seal, unseal

KEEP = object()  # set_smtp(password=KEEP): the stored password stays


@record
class SmtpServer:
    host: str
    port: int
    starttls: bool
    user: str
    password: str
    sender: str


def _view(s) -> bd.BookSettingsView:
    row = book_settings_row(s)
    hours = opening_hours(s).days
    tables = tuple(table_names(s))
    return book_settings_view(row, tables, hours)


def _row(ctx: ServiceContext, s) -> m.BookSettings:
    row = book_settings_row(s)
    if row is None:
        row = m.BookSettings(id=1, appointment_minutes=45, smtp_host="", smtp_port=587, smtp_starttls=True,
                             smtp_user="", smtp_password_encrypted="", smtp_sender="")
        ctx.stamp(row, new=True)
        s.add(row)
        s.flush()
    return row


class BookSettingsService:
    def __init__(self, ctx: ServiceContext):
        self.ctx = ctx

    def get(self) -> bd.BookSettingsView:
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            return _view(s)

    def set_tables(self, names: list[str]) -> bd.BookSettingsView:
        """The clinic's tables in order. A table left out is retired (its appointments keep its name)."""
        return self.save(tables=names)

    def set_hours(self, hours: dict[int, Hours | None]) -> bd.BookSettingsView:
        """Opening hours for the weekdays given (0 Monday .. 6 Sunday; None closed); the others stay."""
        return self.save(hours=hours)

    def set_appointment_minutes(self, minutes: int) -> bd.BookSettingsView:
        return self.save(minutes=minutes)

    def set_smtp(self, host: str, port: int, starttls: bool, user: str, sender: str, password=KEEP,
                 expected_version: int | None = None) -> bd.BookSettingsView:
        return self.save(smtp=(host, port, starttls, user, sender, password), expected_version=expected_version)

    def save(self, *, tables: list[str] | None = None, hours: dict[int, Hours | None] | None = None,
             minutes: int | None = None, smtp: tuple | None = None,
             expected_version: int | None = None) -> bd.BookSettingsView:
        """Whatever is given, in one transaction (the desk's settings page saves all at once); every bad
        field named before anything is written."""
        self.ctx.require(Role.ADMINISTRATOR)
        errors: dict[str, str] = {}
        clean = None
        if tables is not None:
            try:
                clean = validate_tables(tables)
            except ValidationError as e:
                errors.update(e.errors)
        if minutes is not None and not MIN_MINUTES <= minutes <= MAX_MINUTES:
            errors["appointment_minutes"] = f"must be from {MIN_MINUTES} to {MAX_MINUTES}"
        if smtp is not None:
            errors.update(smtp_errors(smtp[0], smtp[1], smtp[4]))
        if errors:
            raise ValidationError(errors)
        with self.ctx.unit_of_work() as s:
            if clean is not None:
                self._tables(s, clean)
            if hours is not None:
                self._hours(s, hours)
            if minutes is not None or smtp is not None:
                row = _row(self.ctx, s)
                if expected_version is not None:
                    check_version(row, expected_version, "The appointment settings")
                if minutes is not None:
                    row.appointment_minutes = minutes
                    self.ctx.audit(s, "update", "settings", 1, "", f"appointment length {minutes} minutes")
                if smtp is not None:
                    host, port, starttls, user, sender, password = smtp
                    row.smtp_host, row.smtp_port, row.smtp_starttls = host.strip(), port, starttls
                    row.smtp_user, row.smtp_sender = user.strip(), sender.strip()
                    if password is not KEEP:
                        row.smtp_password_encrypted = seal(password or "")
                    self.ctx.audit(s, "update", "settings", 1, "", f"SMTP server {host.strip()}:{port}")
                self.ctx.stamp(row)
            s.flush()
            # The tables, hours and length the book lays out: Today and the book, no patient's page.
            return with_changes(_view(s), Changes(appointments=True))

    def _tables(self, s, clean: list[str]) -> None:
        rows = {r.name: r for r in s.scalars(select(m.ClinicTable))}
        for position, name in enumerate(clean, start=1):
            row = rows.get(name)
            if row is None:
                row = m.ClinicTable(name=name)
                self.ctx.stamp(row, new=True)
                s.add(row)
            row.position, row.active = position, True
            self.ctx.stamp(row)
        for name, row in rows.items():
            if name not in clean and row.active:
                row.active = False
                self.ctx.stamp(row)
        s.flush()
        self.ctx.audit(s, "update", "settings", None, "", "tables: " + ", ".join(clean))

    def _hours(self, s, hours: dict[int, Hours | None]) -> None:
        current = opening_hours(s).days
        rows = {r.weekday: r for r in s.scalars(select(m.OpeningHoursRow))}
        for day in range(7):
            h = hours[day] if day in hours else current[day]
            row = rows.get(day) or m.OpeningHoursRow(weekday=day)
            row.opens, row.closes = (h.opens, h.closes) if h else (None, None)
            s.add(row)
        s.flush()
        self.ctx.audit(s, "update", "settings", None, "", "opening hours: " + ", ".join(
            f"{WEEKDAYS[d]} {h.text if h else 'closed'}" for d, h in sorted(hours.items())))

    def smtp_server(self) -> SmtpServer | None:
        """The stored server with its password decrypted; None when no host is set."""
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            row = book_settings_row(s)
            if row is None or not row.smtp_host:
                return None
            return SmtpServer(row.smtp_host, row.smtp_port, row.smtp_starttls, row.smtp_user,
                              unseal(row.smtp_password_encrypted), row.smtp_sender)

    def tables(self) -> list[str]:
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            return table_names(s)


