"""CSV import (DOMAIN.md, "Import format"): patients, screenings, courses, sessions and payments, all or
nothing. The rules for screenings, courses and sessions are in services/imports/import_rules.py.

The files of one call are one unit of work, applied patients -> screenings -> courses -> sessions -> payments
whatever order they are given in (each file's kind is told by its header row, not its name), so a
batch may refer to patients and screenings it creates itself. Any bad row in any file and nothing
changes: ImportRejected carries every bad row as (file, line, field, message), the line numbered as a
spreadsheet shows it (the header is line 1).

Importing the same files again adds nothing. Each kind has a key, and a row whose key is already on file
is skipped, the record on file staying as it is:
- a patient by chart number. When the row's sex, phone, email or insurer differ from the record's, the
  record is updated (an empty cell never erases what the desk holds) and a missing date of birth is
  filled in; a different name or date of birth is a bad row, since the chart number then probably
  belongs to someone else and two people's records must never be merged silently;
- a screening by (patient, screened_on, region), skipped only when it found the same; a course by
  (patient, region, start_date); a session by (patient, date, start_time); a payment by
  (patient, date, amount, method).
A key given twice within one batch is a bad row that names the earlier line.

A session must pass the desk's rules (per-region clearance on its date, screenings of the batch
included), else the row is a bad row naming the reasons; it joins the course of its region whose dates
hold it, which the import opens (30 planned sessions, the clinic's default fee) where there is none.
A payment is booked to the patient's newest active course.
The audit trail gets one event per file, with its counts.
"""
from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path

from sqlalchemy.orm import Session

from decomp_desk.domain.errors import DomainError, ValidationError
from decomp_desk.domain.records import record
from decomp_desk.domain.types import Role
from decomp_desk.domain.validation import PatientInput
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.imports.import_format import (
    KINDS,
    CsvFile,
    appointment_row,
    chart_of,
    patient_row,
    payment_row,
    read_csv,
    too_long,
)
from decomp_desk.services.imports.import_ledger import BulkWriter, Ledger, PatientState, roomy_cache
from decomp_desk.services.imports.import_rules import ImportRules
from decomp_desk.services.patients import EDITORS

ROLES = {"patients": EDITORS, "screenings": (Role.CLINICIAN,), "sessions": (Role.CLINICIAN,),
         "courses": (Role.CLINICIAN, Role.FRONT_DESK, Role.ADMINISTRATOR),
         "payments": (Role.FRONT_DESK, Role.ADMINISTRATOR), "outcomes": (Role.CLINICIAN,),
         "appointments": (Role.FRONT_DESK, Role.CLINICIAN, Role.ADMINISTRATOR)}
UPDATABLE = ("sex", "phone", "email", "insurer")
SHOWN_IN_MESSAGE = 20


@record
class BadRow:
    file: str
    line: int  # 0: the file as a whole
    field: str
    message: str

    def __str__(self) -> str:
        if self.line == 0:
            return f"{self.file}: {self.message}"
        return f"{self.file} line {self.line}: {self.field}: {self.message}"


class ImportRejected(DomainError):
    """Nothing was imported; `rows` holds every bad row of every file."""

    def __init__(self, rows: Iterable[BadRow]):
        self.rows = tuple(rows)
        shown = [str(r) for r in self.rows[:SHOWN_IN_MESSAGE]]
        if len(self.rows) > SHOWN_IN_MESSAGE:
            shown.append(f"... and {len(self.rows) - SHOWN_IN_MESSAGE} more")
        plural = "row is" if len(self.rows) == 1 else "rows are"
        super().__init__(f"Nothing was imported: {len(self.rows)} {plural} refused.\n" + "\n".join(shown))


@dataclass
class FileReport:
    name: str
    kind: str
    added: int = 0
    updated: int = 0
    skipped: int = 0  # already on file
    courses_opened: int = 0
    flagged: int = 0  # sessions saved but unusual (a duration outside 30 to 45 minutes)

    def describe(self) -> str:
        """'sessions.csv (sessions): 120 added, 0 already on file, 4 courses opened, 3 flagged'."""
        parts = [f"{self.added} added"] + [f"{self.updated} updated"] * bool(self.updated)
        parts += [f"{self.skipped} already on file"]
        if self.courses_opened:
            parts.append(f"{self.courses_opened} course{'s' * (self.courses_opened != 1)} opened")
        if self.flagged:
            parts.append(f"{self.flagged} flagged (duration outside 30 to 45 minutes)")
        return f"{self.name} ({self.kind}): " + ", ".join(parts)


@record
class Counts:
    added: int = 0
    updated: int = 0
    skipped: int = 0


@record
class ImportReport:
    files: tuple[FileReport, ...]

    def counts(self, kind: str) -> Counts:
        mine = [f for f in self.files if f.kind == kind]
        return Counts(*(sum(getattr(f, x.name) for f in mine) for x in fields(Counts)))

    patients = property(lambda self: self.counts("patients"))
    screenings = property(lambda self: self.counts("screenings"))
    sessions = property(lambda self: self.counts("sessions"))
    payments = property(lambda self: self.counts("payments"))
    courses_opened = property(lambda self: sum(f.courses_opened for f in self.files))
    flagged_sessions = property(lambda self: sum(f.flagged for f in self.files))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The import makes millions of small objects that hold no cycles, and the cyclic collector's
    passes over them grow with the heap: paused, a 300,000-session import runs a third quicker."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_files(ctx: ServiceContext, paths: Iterable[str | Path]) -> ImportReport:
    """Import the files in one unit of work; ImportRejected (and no change at all) on any bad row."""
    with _collector_paused():
        return _import(ctx, paths)


def _import(ctx: ServiceContext, paths: Iterable[str | Path]) -> ImportReport:
    bad: list[BadRow] = []
    files: list[tuple[str, CsvFile]] = []
    for path in map(Path, paths):
        try:
            files.append(read_csv(path.name, path.read_bytes()))
        except FileNotFoundError:
            bad.append(BadRow(path.name, 0, "file", f"there is no file {path}"))
        except OSError as e:
            bad.append(BadRow(path.name, 0, "file", f"cannot be read: {e.strerror or e}"))
        except ValidationError as e:
            bad += [BadRow(path.name, 1 if k == "header" else 0, k, v) for k, v in e.errors.items()]
    files.sort(key=lambda kf: KINDS.index(kf[0]))
    for role_set in {ROLES[kind] for kind, _ in files}:
        ctx.require(*role_set)
    with ctx.unit_of_work() as s, roomy_cache(s):
        batch = _Batch(ctx, s, bad)
        reports = [batch.take(kind, f) for kind, f in files]
        batch.finish()
        for r in reports:
            ctx.audit(s, "import", r.kind, None, "", r.describe())
    return ImportReport(tuple(reports))


class _Batch(ImportRules):
    def __init__(self, ctx: ServiceContext, s: Session, bad: list[BadRow]):
        self.ctx = ctx
        self.today = ctx.today()
        self.ledger = Ledger(s)
        self.writer = BulkWriter(ctx, s, self.ledger)
        self.bad = bad
        # A file that could not be read, or a chart whose own row was bad, leaves what refers to it
        # unjudged: "no such patient" or "not screened" there would only bury the real mistake.
        self.blind = bool(bad)
        self.doubtful: set[str] = set()
        self.first_seen: dict[tuple, tuple[str, int]] = {}
        self.new_patients: list[PatientInput] = []
        self.changes: dict[str, dict] = {}
        self.pending: list = []
        self.kind = ""

    def take(self, kind: str, f: CsvFile) -> FileReport:
        if kind != self.kind:
            self._write()
            self.kind = kind
        report = FileReport(f.name, kind)
        handle, header = getattr(self, f"_{kind}"), f.header
        for line, row in f.rows():
            if len(row) != len(header):
                self._refuse(f, line, {"row": f"has {len(row)} cells; the header has {len(header)}"})
                continue
            cells = dict(zip(header, row))
            long_cells = too_long(header, row)
            if long_cells:
                self._refuse(f, line, long_cells, chart_of(cells) if kind in ("patients", "screenings") else "")
                continue
            try:
                handle(f, line, cells, report)
            except ValidationError as e:
                self._refuse(f, line, e.errors, chart_of(cells) if kind in ("patients", "screenings") else "")
            except (ValueError, ArithmeticError, OverflowError) as e:
                # A value no rule foresaw is still a bad row with a sentence, never an unexpected error.
                self._refuse(f, line, {"row": f"could not be read ({e})"[:300]},
                             chart_of(cells) if kind in ("patients", "screenings") else "")
        return report

    def finish(self) -> None:
        self._write()
        if self.bad:
            raise ImportRejected(self.bad)
        self.writer.move_course_starts(c for mine in self.ledger.courses.values() for c in mine)

    def _write(self) -> None:
        """What the finished kind left pending; nothing once a bad row is known (all will roll back)."""
        if not self.bad:
            if self.kind == "patients":
                self.writer.new_patients(self.new_patients)
                self.writer.update_patients(self.changes)
                self.new_patients, self.changes = [], {}
            elif self.kind == "appointments" and self.pending:
                self.book.write(self.pending, {c: p.id for c, p in self.ledger.patients.items()})
            elif self.pending:
                getattr(self.writer, self.kind)(self.pending)
        self.pending = []

    def _refuse(self, f: CsvFile, line: int, errors: dict[str, str], chart: str = "") -> None:
        self.bad += [BadRow(f.name, line, k, v) for k, v in errors.items()]
        if chart:
            self.doubtful.add(chart)

    def _once(self, f: CsvFile, line: int, key: tuple, field: str) -> None:
        """Refuse a key given twice within the batch."""
        seen = self.first_seen.setdefault(key, (f.name, line))
        if seen != (f.name, line):
            where = f"line {seen[1]}" if seen[0] == f.name else f"{seen[0]} line {seen[1]}"
            raise ValidationError.single(field, f"repeats {where}")

    def _known_patient(self, chart: str) -> PatientState | None:
        """The patient, or None where a bad row elsewhere makes the question moot."""
        p = self.ledger.patients.get(chart)
        if p is None and not (self.blind or chart in self.doubtful):
            raise ValidationError.single("chart_number", f"there is no patient with chart number {chart}")
        return p

    def _patients(self, f: CsvFile, line: int, cells: dict[str, str], report: FileReport) -> None:
        p = patient_row(cells, self.today)
        self._once(f, line, ("patient", p.chart_number), "chart_number")
        known = self.ledger.patients.get(p.chart_number)
        if known is None:
            self.ledger.patients[p.chart_number] = PatientState(**{**vars_of(p), "archived": False})
            self.new_patients.append(p)
            report.added += 1
            return
        changes = _changes(known, p)
        if changes:
            for name, value in changes.items():
                setattr(known, name, value)
            self.changes[p.chart_number] = changes
        report.updated += bool(changes)
        report.skipped += not changes

    def _outcomes(self, f: CsvFile, line: int, cells: dict[str, str], report: FileReport) -> None:
        from decomp_desk.services.imports.import_outcomes import take_outcome

        take_outcome(self, f, line, cells, report)

    def _appointments(self, f: CsvFile, line: int, cells: dict[str, str], report: FileReport) -> None:
        """services/imports/import_appointments.py judges each row against the book (and the file's earlier rows)."""
        from decomp_desk.services.imports.import_appointments import AppointmentImport

        chart = chart_of(cells)
        row = appointment_row(cells)
        patient = self._known_patient(chart)
        if patient is None:
            return
        if not hasattr(self, "book"):
            self.book = AppointmentImport(self.ctx, self.ledger.s)
        # A bad row of an earlier kind left its patients and courses unwritten: the course rule waits.
        unwritten = self.blind or any(b.file != f.name for b in self.bad)
        taken = self.book.take(line, chart, None if unwritten else patient.id, row)
        if taken is None:
            report.skipped += 1
            return
        report.added += 1
        self.pending.append(taken)

    def _payments(self, f: CsvFile, line: int, cells: dict[str, str], report: FileReport) -> None:
        chart = chart_of(cells)
        paid_on, amount, method = payment_row(cells, self.today)
        if self._known_patient(chart) is None:
            return
        key = (chart, paid_on, amount, method)
        if key in self.ledger.payment_keys():
            report.skipped += 1
            return
        self._once(f, line, ("payment", *key), "amount")
        self.pending.append(key)
        report.added += 1


def vars_of(p: PatientInput) -> dict:
    return {name: getattr(p, name) for name in PatientState.__slots__ if hasattr(p, name)}


def _changes(known: PatientState, p: PatientInput) -> dict:
    """The row's differences from the record on file; ValidationError where it names someone else."""
    errors = {}
    for name in ("first_name", "last_name"):
        if getattr(p, name).casefold() != getattr(known, name).casefold():
            errors[name] = (f"chart number {p.chart_number} is {known.first_name} {known.last_name}'s, "
                            f"not {p.first_name} {p.last_name}'s")
    if p.date_of_birth and known.date_of_birth and p.date_of_birth != known.date_of_birth:
        errors["date_of_birth"] = (f"chart number {p.chart_number} belongs to a patient born "
                                   f"{known.date_of_birth.isoformat()}")
    if errors:
        raise ValidationError(errors)
    changes = {name: getattr(p, name) for name in UPDATABLE
               if getattr(p, name) and getattr(p, name) != getattr(known, name)}
    if p.date_of_birth and not known.date_of_birth:
        changes["date_of_birth"] = p.date_of_birth
    return changes
