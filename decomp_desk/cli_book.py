"""The appointment book on the command line (DOMAIN.md, "Care plan and appointment book"): `day`,
`book`, `remind`, and the book's settings (`tables`, `hours`, `appointment-length`, `smtp`) so a clinic
can be set up from a script. Registered by one import line in cli.py."""
from __future__ import annotations

import sys

from decomp_desk.bootstrap import Services
from decomp_desk.cli import _print_json, _table, arg, command
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.validation import parse_date, parse_time


@command("day", "the appointment book of one day (sorted by time, then table)",
         arg("date", metavar="DATE", help="the day, e.g. 2026-03-02"), arg("--json", action="store_true", help="print JSON"))
def day(args, services: Services) -> int:
    book = services.appointments.day(parse_date("date", args.date))
    if args.json:
        _print_json(book.as_json())
        return 0
    hours = book.hours.text if book.hours else "closed"
    print(f"{book.date:%A} {book.date.isoformat()} (open {hours}); tables: {', '.join(book.tables)}")
    _table(("Time", "Minutes", "Table", "Chart", "Patient", "Status"),
           [(f"{a.start_time:%H:%M}", a.minutes, a.table, a.chart_number, a.patient_name, a.status.value)
            for a in book.appointments])
    print(f"{len(book.appointments)} appointment{'s' * (len(book.appointments) != 1)}")
    return 0


@command("book", "book the current course's remaining sessions, one per chosen weekday at one time",
         arg("chart_number", metavar="CHART"),
         arg("--from", dest="first_day", required=True, metavar="DATE", help="the first day to book"),
         arg("--days", required=True, metavar="mon,wed,fri", help="the weekdays to book"),
         arg("--time", required=True, metavar="HH:MM", help="the time of each appointment"),
         arg("--table", metavar="NAME", help="the preferred table (default: the clinic's first)"),
         arg("--minutes", type=int, metavar="N", help="length of each appointment (default: the settings')"))
def book(args, services: Services) -> int:
    from decomp_desk.domain.appointments import parse_weekdays

    first = parse_date("from", args.first_day)
    days = parse_weekdays("days", args.days)
    at = parse_time("time", args.time)
    patient = services.patients.by_chart(args.chart_number)
    result = services.appointments.book_course(patient.id, first, days, at, args.table, args.minutes)
    print(f"Booked {result.count} appointment{'s' * (result.count != 1)}.")
    if result.booked:
        print(f"{patient.full_name} (chart {patient.chart_number}): {result.booked[0].date.isoformat()} to "
              f"{result.booked[-1].date.isoformat()} at {at:%H:%M}")
    for line in result.not_placed_lines():
        print(f"Not placed: {line}")
    return 0


@command("remind", "e-mail a reminder for each booked appointment of a day (once per appointment)",
         arg("date", metavar="DATE"),
         arg("--smtp", metavar="HOST:PORT", help="send through this server (plain SMTP, no sign-in) instead "
                                                 "of the one in the settings"),
         arg("--dry-run", action="store_true", help="list the reminders without sending anything"))
def remind(args, services: Services) -> int:
    from decomp_desk.services.book_settings import SmtpServer

    when = parse_date("date", args.date)
    server = None
    if args.smtp:
        host, _, port = args.smtp.rpartition(":")
        if not host or not port.isdigit() or not 1 <= int(port) <= 65535:
            raise ValidationError.single("smtp", f"'{args.smtp}' is not HOST:PORT, e.g. localhost:25")
        server = SmtpServer(host, int(port), False, "", "", _sender(services))
    run = services.reminders.send(when, server=server, dry_run=args.dry_run)
    if args.dry_run:
        for o in run.outcomes:
            print(f"Would send to {o.reminder.address} (chart {o.reminder.chart_number}, {o.reminder.when}).")
    else:
        for o in run.outcomes:
            print(o.describe(), file=sys.stdout if o.sent else sys.stderr)
    for chart in run.without_address:
        print(f"No reminder for chart {chart}: no e-mail address on file.")
    verb = "would be sent" if args.dry_run else "sent"
    count = len(run.outcomes) if args.dry_run else run.sent
    print(f"{count} reminder{'s' * (count != 1)} {verb} for {when.isoformat()}"
          + (f"; {run.already_reminded} already reminded" if run.already_reminded else "")
          + (f"; {len(run.failed)} failed" if run.failed and not args.dry_run else "") + ".")
    return 1 if run.failed and not args.dry_run else 0


def _sender(services: Services) -> str:
    return services.book_settings.get().smtp_sender


@command("tables", "the clinic's decompression tables (list them, or set them in order)",
         arg("--set", metavar="NAME,NAME", help="the tables, comma-separated, in the book's order"))
def tables(args, services: Services) -> int:
    if args.set is not None:
        services.book_settings.set_tables(args.set.split(","))
    for name in services.book_settings.tables():
        print(name)
    return 0


@command("hours", "the clinic's opening hours per weekday (list them, or set some)",
         arg("set", nargs="*", metavar="DAY=HH:MM-HH:MM", help="e.g. mon=08:00-18:00 sat=closed"))
def hours(args, services: Services) -> int:
    from decomp_desk.domain.appointments import WEEKDAYS, parse_hours, parse_weekdays

    if args.set:
        changes, errors = {}, {}
        for item in args.set:
            day_text, sep, value = item.partition("=")
            try:
                if not sep:
                    raise ValidationError.single(item, "write DAY=HH:MM-HH:MM or DAY=closed")
                h = parse_hours(day_text.strip(), value)
                for d in parse_weekdays("day", day_text):
                    changes[d] = h
            except ValidationError as e:
                errors.update(e.errors)
        if errors:
            raise ValidationError(errors)
        services.book_settings.set_hours(changes)
    view = services.book_settings.get()
    for i, h in enumerate(view.hours):
        print(f"{WEEKDAYS[i]} {h.text if h else 'closed'}")
    return 0


@command("appointment-length", "the default length of an appointment in minutes (show it, or set it)",
         arg("minutes", nargs="?", type=int, metavar="MINUTES"))
def appointment_length(args, services: Services) -> int:
    if args.minutes is not None:
        services.book_settings.set_appointment_minutes(args.minutes)
    print(services.book_settings.get().appointment_minutes)
    return 0


@command("appointments", "a patient's appointments, with no-shows and cancellations counted",
         arg("chart_number", metavar="CHART"), arg("--json", action="store_true", help="print JSON"))
def appointments(args, services: Services) -> int:
    patient = services.patients.by_chart(args.chart_number)
    rows = services.appointments.for_patient(patient.id)
    counts = services.appointments.attendance(patient.id)
    if args.json:
        _print_json({"chart_number": patient.chart_number, "no_shows": counts.no_shows,
                     "cancellations": counts.cancellations,
                     "appointments": [{"date": a.date.isoformat(), **a.as_json()} for a in rows]})
        return 0
    _table(("Date", "Time", "Minutes", "Table", "Status"),
           [(a.date.isoformat(), f"{a.start_time:%H:%M}", a.minutes, a.table, a.status.value) for a in rows])
    print(f"{len(rows)} appointments; {counts.no_shows} no-shows, {counts.cancellations} cancellations")
    return 0



