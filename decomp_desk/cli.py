"""The command line (DOMAIN.md, "Command line"): the desk's services for scripts, scheduled backups and
tests. Without a command it opens the desk.

A command is a function registered with @command; its arguments are declared beside it, so adding one
(report, balances, statement, audit ...) is a function and a decorator. Commands act as the
operating-system user (command_line_actor), so the audit trail names whoever ran them. A refusal is a
plain sentence on standard error and a non-zero exit status, never a traceback."""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable

from decomp_desk import __version__
from decomp_desk.bootstrap import Services, load_driver, open_services
from decomp_desk.config import ENV_URL, database_url
from decomp_desk.domain.errors import DomainError, NotFound
from decomp_desk.domain.progress import Progress
from decomp_desk.domain.records import record
from decomp_desk.domain.types import SCORE_NAMES
from decomp_desk.private_files import owner_only_umask
from decomp_desk.services.clinic_files import create_clinic, needs_creating, offer_passphrase
from decomp_desk.services.context import command_line_actor

# The import, the demo clinic and backups (with its cryptography) are imported by their commands only:
# `decomp-desk` without a command opens the desk, whose start should not wait for them.

PASSPHRASE_ENV = "DECOMP_DESK_BACKUP_PASSPHRASE"
DEBUG_ENV = "DECOMP_DESK_DEBUG"  # set it to see the traceback of an unexpected error


@record
class Command:
    name: str
    help: str
    run: Callable[..., int]
    arguments: tuple[tuple[tuple, dict], ...]
    uses_services: bool


COMMANDS: dict[str, Command] = {}


def arg(*names: str, **options) -> tuple[tuple, dict]:
    return names, options


def command(name: str, help: str, *arguments: tuple[tuple, dict], uses_services: bool = True):
    """Register `run(args, services)` (or `run(args)` with uses_services=False) as a subcommand."""
    def register(run: Callable[..., int]) -> Callable[..., int]:
        COMMANDS[name] = Command(name, help, run, arguments, uses_services)
        return run
    return register


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="decomp-desk", description="The desk a chiropractic office uses to run "
                                     "its spinal decompression service. Without a command, opens the desk.")
    parser.add_argument("--version", action="version", version=f"decomp-desk {__version__}")
    parser.add_argument("--database", metavar="URL", help=f"an SQLAlchemy URL, e.g. sqlite:///clinic.sqlite3 or "
                        f"postgresql+psycopg://user:password@host/db (default: ${ENV_URL}, else the embedded file)")
    parser.add_argument("--passphrase-file", metavar="FILE", help=PASSPHRASE_FILE_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for c in COMMANDS.values():
        p = sub.add_parser(c.name, help=c.help, description=c.help)
        for names, options in c.arguments:
            p.add_argument(*names, **options)
        if not any("--passphrase-file" in names for names, _ in c.arguments):  # before or after the command
            p.add_argument("--passphrase-file", metavar="FILE", default=argparse.SUPPRESS, help=PASSPHRASE_FILE_HELP)
    return parser


def main(argv: list[str] | None = None, args: argparse.Namespace | None = None) -> int:
    """Run the command `argv` names (the desk without one); `args` when the caller has parsed argv already
    (launch.run: building the parser, every command's options, is a few milliseconds of each start)."""
    owner_only_umask()  # the database, its keys, backups, exports: the owner's only, whatever the shell's umask
    if args is None:
        args = build_parser().parse_args(argv)
    url = database_url(args.database)
    try:
        offer_passphrase(read_passphrase_file(args))
    except DomainError as e:
        print(e, file=sys.stderr)
        return 1
    if args.command is None:
        load_driver(url)  # before Qt, where its import costs less
        from decomp_desk.ui.app import run_desk  # only the desk needs Qt; commands never load it

        return run_desk(url)
    c = COMMANDS[args.command]
    args.url = url
    try:
        if not c.uses_services:
            return c.run(args)
        if c.name == "demo" and needs_creating(url):  # the demo clinic may be made from nothing, on purpose
            print(create_clinic(url, read_passphrase_file(args)))
        services = open_services(url, command_line_actor())
        try:
            return c.run(args, services)
        finally:
            services.dispose()
    except DomainError as e:
        print(e, file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader of the output went away (`decomp-desk audit | head -1`): not an error
        from decomp_desk.launch import quiet_stdout

        quiet_stdout()
        return 0
    except OSError as e:
        print(f"{e.filename or 'A file'}: {e.strerror or e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except Exception as e:  # a bug: said in a sentence; the traceback only on request
        if os.environ.get(DEBUG_ENV):
            raise
        print(f"DecompDesk hit an unexpected error ({type(e).__name__}: {e}). Set {DEBUG_ENV}=1 to see the details.",
              file=sys.stderr)
        return 2


def _print_json(value) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def _table(headers: tuple[str, ...], rows: list[tuple]) -> None:
    cells = [tuple(str(x) for x in headers)] + [tuple("" if x is None else str(x) for x in r) for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for r in cells:
        print("  ".join(text.ljust(w) for text, w in zip(r, widths)).rstrip())


# --- the commands ------------------------------------------------------------------------------------------

@command("demo", "fill an empty database with a realistic demo clinic")
def demo(args, services: Services) -> int:
    from decomp_desk.services.demo.loading import load_demo

    s = load_demo(services)
    print(f"Loaded the demo clinic {s.clinic_name}: {s.patients} patients, {s.screenings} screenings, "
          f"{s.courses} courses, {s.sessions} sessions and {s.payments} payments.")
    return 0


@command("import", "import patients, screenings, courses, sessions and payments from CSV files, all or nothing",
         arg("files", nargs="+", metavar="FILE.csv", help="the kind of each file is told by its header row"))
def import_(args, services: Services) -> int:
    from decomp_desk.services.imports.importing import ImportRejected, import_files

    try:
        report = import_files(services.ctx, args.files)
    except ImportRejected as e:
        print(f"Nothing was imported: {len(e.rows)} bad row{'s' * (len(e.rows) != 1)}.", file=sys.stderr)
        for row in e.rows:
            print(row, file=sys.stderr)
        return 1
    for f in report.files:
        print(f.describe())
    return 0


@command("patients", "list or search patients",
         arg("--search", default="", metavar="TEXT", help="part of a name, chart number or phone number"),
         arg("--all", action="store_true", help="include archived patients"),
         arg("--json", action="store_true", help="print JSON"))
def patients(args, services: Services) -> int:
    rows = services.patients.list(args.search, include_archived=args.all, audit=True)
    if args.json:
        _print_json([{
            "chart_number": r.chart_number, "first_name": r.first_name, "last_name": r.last_name,
            "date_of_birth": r.date_of_birth.isoformat() if r.date_of_birth else None, "phone": r.phone,
            "clearance": r.clearance.state.value, "clearance_reasons": list(r.clearance.reasons),
            "sessions_completed": r.sessions_completed, "sessions_planned": r.sessions_planned,
            "last_session": r.last_session.isoformat() if r.last_session else None, "archived": r.archived,
        } for r in rows])
        return 0
    _table(("Chart", "Name", "Born", "Phone", "Clearance", "Course", "Last session"),
           [(r.chart_number, r.name + " (archived)" * r.archived, r.date_of_birth, r.phone, r.clearance.describe(),
             r.course_progress, r.last_session) for r in rows])
    print(f"{len(rows)} patient{'s' * (len(rows) != 1)}")
    return 0


@command("progress", "the progress figures of a patient's current course",
         arg("chart_number", metavar="CHART_NUMBER"), arg("--json", action="store_true", help="print JSON"))
def progress(args, services: Services) -> int:
    patient = services.patients.by_chart(args.chart_number)
    course = services.courses.current(patient.id)
    if course is None:
        raise NotFound(f"{patient.full_name} (chart {patient.chart_number}) has no treatment course yet.")
    figures = services.sessions.progress(course.id)
    if args.json:
        _print_json(figures.as_json(patient.chart_number))
        return 0
    print(f"{patient.full_name} (chart {patient.chart_number}): {course.describe()}")
    clearance = services.screenings.clearance(patient.id, region=course.region)
    if not clearance.cleared:  # "not cleared" holds everywhere: said first, with the reasons
        print(f"Not cleared for {course.region.value} decompression today: " + "; ".join(clearance.reasons) + ".")
    _print_progress(figures)
    return 0


def _print_progress(p: Progress) -> None:
    print(f"Sessions: {p.sessions_completed} of {p.sessions_planned}"
          + (f" (first {p.first_session.isoformat()}, latest {p.latest_session.isoformat()})" if p.points else ""))
    if p.points:
        def percent(name: str) -> str:
            value = p.improvement_percent[name]
            return "n/a" if value is None else f"{value}%"
        _table(("", "Baseline", "Latest", "Change", "Improvement"),
               [(n.capitalize(), getattr(p.baseline, n), getattr(p.latest, n), f"{p.change[n]:+d}", percent(n))
                for n in SCORE_NAMES])
    print(f"Meaningful pain improvement: {'yes' if p.meaningful_pain_improvement else 'no'}")
    print(f"Stop-button sessions: {p.stop_button_count}; adverse events: {p.adverse_event_count}")
    print(p.plain_sentence())


def read_passphrase_file(args) -> str | None:
    """The passphrase in --passphrase-file (its first line); None without the option."""
    name = getattr(args, "passphrase_file", None)
    if not name:
        return None
    try:
        with open(name, encoding="utf-8") as f:
            text = f.readline().rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as e:
        raise DomainError(f"The passphrase file {name} cannot be read ({getattr(e, 'strerror', None) or e}).") from None
    if not text:
        raise DomainError(f"The passphrase file {name} is empty; its first line is the passphrase.")
    return text


def _passphrase(args) -> str | None:
    return read_passphrase_file(args) or os.environ.get(PASSPHRASE_ENV) or None


PASSPHRASE_FILE_HELP = ("a file whose first line is the passphrase: the database's recovery passphrase (opens an "
                        "encrypted database whose key this user does not hold; sets it for create, demo and "
                        "encrypt); for backup and restore also the backup's passphrase")
_PASSPHRASE = arg("--passphrase-file", metavar="FILE", default=argparse.SUPPRESS,
                  help=f"the backup's passphrase, read from a file (or set ${PASSPHRASE_ENV}); also tried as the "
                       "database's recovery passphrase")


@command("backup", "write a consistent copy of the database (encrypted with a passphrase, if given)",
         arg("file", metavar="FILE"), _PASSPHRASE, uses_services=False)
def backup(args) -> int:
    from decomp_desk.services.backups import backup_restore

    r = backup_restore.backup(args.url, args.file, _passphrase(args), actor=command_line_actor())
    print(f"Backed up the database to {r.file} ({r.size:,} bytes{', encrypted' * r.encrypted}).")
    return 0


@command("restore", "replace the database with a backup, once the backup has been verified",
         arg("file", metavar="FILE"), _PASSPHRASE, uses_services=False)
def restore(args) -> int:
    from decomp_desk.services.backups import backup_restore

    r = backup_restore.restore(args.url, args.file, _passphrase(args), actor=command_line_actor())
    kept = f" The database as it was is kept at {r.replaced_copy}." if r.replaced_copy else ""
    upgraded = " The restored database was brought up to this version's schema." if r.schema == "upgraded" else ""
    print(f"Restored the database from {r.file}.{kept}{upgraded}")
    return 0


@command("check", "verify the database: integrity, migrations at head and the audit trail's hash chain", uses_services=False)
def check(args) -> int:
    from decomp_desk.services.backups import database_check

    r = database_check.check(args.url)
    print(f"Database: {r.database}")
    for fact in r.facts:
        print(f"  {fact}")
    for problem in r.problems:
        print(problem, file=sys.stderr)
    print("OK" if r.ok else "NOT OK: see the problems above.")
    return 0 if r.ok else 1


@command("audit", "the audit trail: who viewed, created, changed, printed or exported which record, when; "
                  "sign-ins and locks (newest first)",
         arg("--json", action="store_true", help="print JSON"),
         arg("--user", metavar="USER", help="only this user (a desk user name, or os:NAME for the command line)"),
         arg("--action", metavar="ACTION", help="only this action: view, create, update, print, export, login, ..."),
         arg("--chart", metavar="CHART_NUMBER", help="only this patient's record"),
         arg("--since", metavar="DATE", help="from this day on (2026-03-02)"),
         arg("--until", metavar="DATE", help="up to and including this day"),
         arg("--limit", type=int, default=1000, metavar="N", help="at most N events (default 1000)"))
def audit(args, services: Services) -> int:
    from decomp_desk.domain.validation import parse_date

    rows = services.audit.events(
        actor=args.user, action=args.action, chart_number=args.chart, limit=args.limit,
        since=parse_date("since", args.since) if args.since else None,
        until=parse_date("until", args.until) if args.until else None)
    if args.json:
        _print_json([r.as_json() for r in rows])
        return 0
    _table(("When", "Who", "Action", "Record", "Chart", "Detail"),
           [(r.local_time, r.actor, r.action, " ".join(str(x) for x in (r.entity, r.entity_id) if x not in ("", None)),
             r.chart_number, r.detail) for r in rows])
    print(f"{len(rows)} event{'s' * (len(rows) != 1)}" + (" (the newest; --limit shows more)" * (len(rows) == args.limit)))
    return 0



# --- money: balances, the statement and the cost estimate (services/billing.py, reports/pages.py) ----

@command("balances", "each patient's charges, payments and balance",
         arg("--json", action="store_true", help="print JSON (money as strings with two decimals)"))
def balances(args, services: Services) -> int:
    from decomp_desk.domain.money import fmt, fmt_dollars

    rows = services.billing.balances(audit=True)
    if args.json:
        _print_json([r.as_json() for r in rows])
        return 0
    _table(("Chart", "Name", "Fee", "Sessions", "Charges", "Payments", "Balance"),
           [(r.chart_number, r.name, "" if r.fee_per_session is None else fmt(r.fee_per_session), r.sessions_charged,
             fmt(r.charges), fmt(r.payments), fmt(r.balance)) for r in rows])
    owing = [r for r in rows if r.balance > 0]
    print(f"{len(rows)} patient{'s' * (len(rows) != 1)}; {len(owing)} owe{'s' * (len(owing) == 1)} "
          f"{fmt_dollars(sum((r.balance for r in owing), 0))} in all")
    return 0


def _write_page(ctx, output: str) -> str | None:
    """Write the printed page of `ctx` with reports/pdf_writer.py (QtGui, loaded only here); None when it
    cannot be written."""
    from decomp_desk.reports.pages import printed_page
    from decomp_desk.reports.pdf_writer import ReportError, write_page_pdf

    try:
        return str(write_page_pdf(printed_page(ctx), output))
    except ReportError as e:
        print(e, file=sys.stderr)
        return None


@command("report", "the printed progress summary of the patient's current course, as a PDF",
         arg("chart_number", metavar="CHART_NUMBER"), arg("--output", required=True, metavar="FILE.pdf"))
def report(args, services: Services) -> int:
    ctx = services.reports.summary(chart_number=args.chart_number)
    path = _write_page(ctx, args.output)
    if path is None:
        return 1
    p = ctx.progress
    print(f"Wrote the progress summary of {ctx.patient_name} (chart {ctx.chart_number}, "
          f"{p.sessions_completed} of {p.sessions_planned} sessions) to {path}.")
    return 0


@command("statement", "the patient's printed statement (charges, payments, balance) as a PDF",
         arg("chart_number", metavar="CHART_NUMBER"), arg("--output", required=True, metavar="FILE.pdf"))
def statement(args, services: Services) -> int:
    from decomp_desk.domain.money import fmt_dollars

    ctx = services.billing.statement_context(args.chart_number)
    path = _write_page(ctx, args.output)
    if path is None:
        return 1
    a = ctx.account
    print(f"Wrote the statement of {a.patient_name} (chart {a.chart_number}, balance {fmt_dollars(a.balance)}) to {path}.")
    return 0


@command("estimate", "the cost estimate to hand a patient before a course, as a PDF (the current course's, "
                     "or one planned with the options below)",
         arg("chart_number", metavar="CHART_NUMBER"), arg("--output", required=True, metavar="FILE.pdf"),
         arg("--sessions", type=int, metavar="N", help="planned sessions (default: the settings')"),
         arg("--fee", metavar="AMOUNT", help="fee per session in dollars (default: the settings')"),
         arg("--discount-percent", metavar="PERCENT", help="discount for paying the course in advance"),
         arg("--discount-amount", metavar="AMOUNT", help="discount for paying the course in advance, in dollars"),
         arg("--region", choices=("lumbar", "cervical")))
def estimate(args, services: Services) -> int:
    from decomp_desk.domain.money import Discount, fmt_dollars, parse_money
    from decomp_desk.domain.types import Region
    from decomp_desk.domain.validation import parse_decimal

    plan = {}
    if args.sessions is not None:
        plan["planned"] = args.sessions
    if args.fee is not None:
        plan["fee"] = parse_money("fee_per_session", args.fee)
    if args.discount_percent is not None or args.discount_amount is not None:
        plan["discount"] = Discount(
            percent=None if args.discount_percent is None else parse_decimal("discount_percent", args.discount_percent),
            amount=None if args.discount_amount is None else parse_money("discount_amount", args.discount_amount))
    if args.region is not None:
        plan["region"] = Region(args.region)
    ctx = services.billing.estimate_context(args.chart_number, **plan)
    path = _write_page(ctx, args.output)
    if path is None:
        return 1
    e = ctx.estimate
    print(f"Wrote the cost estimate for {ctx.patient_name} (chart {ctx.chart_number}: {e.sessions} sessions, "
          f"patient's share {fmt_dollars(e.patient_share)}) to {path}.")
    return 0


# --- commands kept in their own modules (each registers itself with @command) -------------------------------
from decomp_desk import (
    cli_accounts,  # noqa: F401  (add-user)
    cli_book,  # noqa: F401  (day, book, remind and the book's settings)
    cli_clinic_files,  # noqa: F401  (create, encrypt)
    cli_export,  # noqa: F401  (registers `export`)
    cli_outcomes,  # noqa: F401  (registers outcomes and clinic-report)
)
