"""Reminders (DOMAIN.md, "Care plan and appointment book"): one e-mail for each booked appointment of a
day to patients with an address, through the clinic's SMTP server, saying only the clinic, the day and
the time (no name, no treatment: an e-mail may be read by anyone at that address). Each appointment is
reminded at most once: a sent reminder is logged and never sent again; a failure is logged with the
server's reason and named, and tried again next time."""
from __future__ import annotations

import smtplib
import ssl
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from sqlalchemy import select

from decomp_desk.db import models as m
from decomp_desk.db.repositories import settings_row
from decomp_desk.domain.appointments import AppointmentStatus
from decomp_desk.domain.errors import DomainError
from decomp_desk.domain.records import record
from decomp_desk.domain.types import Role
from decomp_desk.services.book_settings import BookSettingsService, SmtpServer
from decomp_desk.services.context import ServiceContext

DEFAULT_SENDER = "reminders@localhost"
TIMEOUT_S = 20


@record
class Reminder:
    appointment_id: int
    chart_number: str
    address: str
    when: str  # '09:00'
    subject: str
    body: str


@record
class ReminderOutcome:
    reminder: Reminder
    sent: bool
    detail: str  # the failure, in a sentence

    def describe(self) -> str:
        r = self.reminder
        if self.sent:
            return f"Sent to {r.address} (chart {r.chart_number}, {r.when})."
        return f"Not sent to {r.address} (chart {r.chart_number}, {r.when}): {self.detail}"


@record
class ReminderRun:
    day: date
    outcomes: tuple[ReminderOutcome, ...]
    already_reminded: int
    without_address: tuple[str, ...]  # chart numbers
    dry_run: bool

    @property
    def sent(self) -> int:
        return sum(o.sent for o in self.outcomes)

    @property
    def failed(self) -> tuple[ReminderOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.sent)


def message_text(clinic: str, phone: str, day: date, at: str) -> tuple[str, str]:
    """(subject, body): the clinic, the day and the time, nothing about the patient or the treatment."""
    when = f"{day:%A}, {day:%B} {day.day}, {day.year} ({day.isoformat()}) at {at}"
    subject = f"Appointment reminder: {clinic}, {day.isoformat()} at {at}"
    body = (f"This is a reminder of your appointment at {clinic} on {when}.\n\n"
            + (f"To change it, please call {phone}.\n" if phone else "To change it, please call the clinic.\n"))
    return subject, body


class ReminderService:
    def __init__(self, ctx: ServiceContext):
        self.ctx = ctx

    def pending(self, day: date) -> tuple[list[Reminder], int, list[str]]:
        """(reminders to send, appointments already reminded, charts without an address) for the day."""
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            clinic = settings_row(s)
            name = clinic.name or "the clinic"
            sent_ids = set(s.scalars(select(m.ReminderLog.appointment_id).join(m.Appointment)
                                     .where(m.Appointment.date == day, m.ReminderLog.sent.is_(True))))
            rows = s.scalars(select(m.Appointment).where(m.Appointment.date == day,
                                                         m.Appointment.status == AppointmentStatus.BOOKED)
                             .order_by(m.Appointment.start_time, m.Appointment.id))
            todo, done, missing = [], 0, []
            for a in rows:
                if a.id in sent_ids:
                    done += 1
                    continue
                address = a.patient.email.strip()
                if not address:
                    missing.append(a.patient.chart_number)
                    continue
                at = f"{a.start_time:%H:%M}"
                subject, body = message_text(name, clinic.phone, day, at)
                todo.append(Reminder(a.id, a.patient.chart_number, address, at, subject, body))
            return todo, done, missing

    def send(self, day: date, *, server: SmtpServer | None = None, dry_run: bool = False) -> ReminderRun:
        """Send the day's reminders through `server` (default: the clinic's settings). Every failure is
        named in the result and logged; nothing raises for one bad address."""
        self.ctx.require(Role.FRONT_DESK, Role.CLINICIAN, Role.ADMINISTRATOR)
        todo, done, missing = self.pending(day)
        if dry_run or not todo:
            return ReminderRun(day, tuple(ReminderOutcome(r, False, "not sent (dry run)") for r in todo) if dry_run
                               else (), done, tuple(missing), dry_run)
        server = server or BookSettingsService(self.ctx).smtp_server()
        if server is None:
            raise DomainError("No SMTP server is set for reminders: set one in Book > Appointment settings… "
                              "(or give --smtp HOST:PORT).")
        with self.ctx.read() as s:
            clinic = settings_row(s).name or "DecompDesk"
        outcomes = deliver(server, clinic, todo)
        with self.ctx.unit_of_work() as s:
            for o in outcomes:
                s.add(m.ReminderLog(appointment_id=o.reminder.appointment_id, at=self.ctx.now(),
                                    actor=self.ctx.actor.username, address=o.reminder.address, sent=o.sent,
                                    detail=o.detail))
            self.ctx.audit(s, "remind", "appointment", None, "",
                           f"{day.isoformat()}: {sum(o.sent for o in outcomes)} sent, "
                           f"{sum(not o.sent for o in outcomes)} failed")
        return ReminderRun(day, tuple(outcomes), done, tuple(missing), False)

    def log(self, appointment_id: int) -> list[tuple[str, bool, str, str]]:
        """(when, sent, address, detail) of each reminder tried for the appointment."""
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            rows = s.scalars(select(m.ReminderLog).where(m.ReminderLog.appointment_id == appointment_id)
                             .order_by(m.ReminderLog.at, m.ReminderLog.id))
            return [(r.at.astimezone().strftime("%Y-%m-%d %H:%M"), r.sent, r.address, r.detail) for r in rows]

    def send_test(self, to: str, server: SmtpServer | None = None) -> str:
        """The settings' "send a test message": one message to `to`; DomainError with the reason if it fails."""
        self.ctx.require(Role.ADMINISTRATOR)
        server = server or BookSettingsService(self.ctx).smtp_server()
        if server is None:
            raise DomainError("Set the SMTP server first.")
        with self.ctx.read() as s:
            clinic = settings_row(s).name or "DecompDesk"
        test = Reminder(0, "", to.strip(), "", f"Test message from {clinic}",
                        f"This is a test of {clinic}'s appointment reminders. It reached you, so they will too.\n")
        [outcome] = deliver(server, clinic, [test])
        if not outcome.sent:
            raise DomainError(f"The test message was not sent: {outcome.detail}")
        return f"A test message was sent to {to.strip()}."


def deliver(server: SmtpServer, clinic: str, reminders: list[Reminder]) -> list[ReminderOutcome]:
    """One connection for all; a failure to connect or sign in fails every reminder with that reason."""
    sender = server.sender or DEFAULT_SENDER
    try:
        smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_S)
    except (OSError, smtplib.SMTPException) as e:
        reason = f"the SMTP server {server.host}:{server.port} cannot be reached ({_reason(e)})"
        return [ReminderOutcome(r, False, reason) for r in reminders]
    outcomes: list[ReminderOutcome] = []
    try:
        try:
            smtp.ehlo()
            if server.starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if server.user:
                smtp.login(server.user, server.password)
        except (OSError, smtplib.SMTPException) as e:
            reason = f"the SMTP server {server.host}:{server.port} refused the connection ({_reason(e)})"
            return [ReminderOutcome(r, False, reason) for r in reminders]
        for r in reminders:
            msg = EmailMessage()
            msg["From"] = formataddr((clinic, sender))
            msg["To"] = r.address
            msg["Subject"] = r.subject
            msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] or "localhost")
            msg.set_content(r.body)
            try:
                refused = smtp.send_message(msg)
                outcomes.append(ReminderOutcome(r, not refused, _reason(refused) if refused else ""))
            except (OSError, smtplib.SMTPException, ValueError) as e:
                outcomes.append(ReminderOutcome(r, False, f"the server refused it ({_reason(e)})"))
                # smtplib's errors are OSErrors too: only a lost connection ends the run.
                if isinstance(e, smtplib.SMTPServerDisconnected) or not isinstance(e, smtplib.SMTPException):
                    break
        done = {o.reminder.appointment_id for o in outcomes}
        outcomes += [ReminderOutcome(r, False, "the server closed the connection before it was sent")
                     for r in reminders if r.appointment_id not in done]
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return outcomes


def _reason(e) -> str:
    if isinstance(e, smtplib.SMTPResponseException):
        text = e.smtp_error.decode(errors="replace") if isinstance(e.smtp_error, bytes) else str(e.smtp_error)
        return f"{e.smtp_code} {text}"
    if isinstance(e, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{a}: {c} {t.decode(errors='replace')}" for a, (c, t) in e.recipients.items())
    if isinstance(e, dict):
        return "; ".join(f"{a}: {c} {t.decode(errors='replace') if isinstance(t, bytes) else t}"
                         for a, (c, t) in e.items())
    return str(e) or type(e).__name__
