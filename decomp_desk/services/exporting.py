"""The whole clinic out (DOMAIN.md, "Export"): every kind of services/export_kinds.py as the import files,
in a new folder, so that `decomp-desk import` of them into an empty database gives the clinic back.

A folder that exists and holds anything, or whose parent cannot be written, is refused before anything
is written. The files are written into a hidden folder beside the target and renamed to it only once
every file is complete, so a folder of that name is always a whole export; a failure removes the
partial one. The folder and its files are for their owner only (0700 and 0600): they hold health records.
Everything is read in one reading transaction (a snapshot that keeps no writer waiting), streamed, and
the export is recorded in the audit trail just before the folder appears."""
from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from sqlalchemy.orm import Session

from decomp_desk import __version__
from decomp_desk.domain.errors import DomainError
from decomp_desk.domain.records import record
from decomp_desk.domain.types import Role
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.export_kinds import KINDS, ExportKind

if TYPE_CHECKING:
    from decomp_desk.services.fhir_export import FhirExport

README = "README.txt"

# progress(done, total): rows written so far of all the files; may raise to cancel the export.
Progress = Callable[[int, int], None]


class ExportRefusedError(DomainError):
    """The folder cannot take an export; nothing was written."""


@record
class ExportedFile:
    name: str
    rows: int


@record
class ExportReport:
    folder: Path
    files: tuple[ExportedFile, ...]

    def rows(self, name: str) -> int:
        return next((f.rows for f in self.files if f.name == name), 0)

    def describe(self) -> str:
        """'patients 12, screenings 14, ... written to /path' (name first: '1 courses' reads wrong)."""
        counts = ", ".join(f"{f.name.removesuffix('.csv')} {f.rows:,}" for f in self.files)
        return f"{counts} written to {self.folder}"


def check_target(target: Path) -> None:
    """Refuse (ExportRefusedError, a sentence) a folder the export cannot be written to, before any writing."""
    if target.exists() or target.is_symlink():
        if not target.is_dir():
            raise ExportRefusedError(f"{target} is a file, not a folder; choose a new or empty folder for the export.")
        if any(target.iterdir()):
            raise ExportRefusedError(f"The folder {target} is not empty; choose a new or empty folder, so that "
                                "no earlier file is mixed into the export.")
    parent = target.parent
    if not parent.is_dir():
        raise ExportRefusedError(f"The folder {parent} does not exist; create it first or choose another place.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportRefusedError(f"The folder {parent} cannot be written to; choose a folder you may write in.")


def export_clinic(ctx: ServiceContext, target: str | Path, progress: Progress | None = None) -> ExportReport:
    """Write the whole clinic into the new folder `target`; ExportRefusedError when it cannot be."""
    ctx.require(Role.ADMINISTRATOR)
    target = Path(target).expanduser().absolute()
    check_target(target)
    try:
        partial = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))  # mode 0700
    except OSError as e:
        raise ExportRefusedError(f"The folder {target.parent} cannot be written to ({e.strerror or e}).") from None
    try:
        # A reading transaction: one snapshot, and no writer of another workstation waits for it.
        with ctx.read() as s:
            _snapshot(s)
            totals = {k.file: k.size(s) for k in KINDS}
            report = _Writer(partial, sum(totals.values()), progress)
            files = tuple(ExportedFile(k.file, report.write(s, k)) for k in KINDS)
        _write_readme(partial / README, files, ctx)
        with ctx.unit_of_work() as s:  # recorded before the folder appears; nothing appears unrecorded
            ctx.audit(s, "export", "clinic", None, "", ", ".join(f"{f.rows} {f.name}" for f in files) +
                      f" to {target}")
        _move_into_place(partial, target)  # nothing after this may fail: the export is complete
        return ExportReport(target, files)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def _snapshot(s: Session) -> None:
    """Every file from one moment: PostgreSQL reads one snapshot for the whole transaction (SQLite's
    transaction already is one)."""
    conn = s.connection()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def _move_into_place(partial: Path, target: Path) -> None:
    """Rename the finished folder to the target (an empty target folder is replaced, as rename does)."""
    try:
        os.replace(partial, target)
    except OSError as e:
        raise ExportRefusedError(f"The export could not be moved into {target} ({e.strerror or e}); "
                            "nothing was left there.") from None


def _open_private(path: Path) -> TextIO:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return open(fd, "w", encoding="utf-8", newline="")


class _Writer:
    def __init__(self, folder: Path, total: int, progress: Progress | None):
        self.folder, self.total, self.progress = folder, total, progress
        self.done = 0

    def write(self, s: Session, kind: ExportKind) -> int:
        written = 0
        with _open_private(self.folder / kind.file) as f:
            out = csv.writer(f, lineterminator="\r\n")
            out.writerow(kind.columns)
            for batch in kind.batches(s):
                out.writerows(batch)
                written += len(batch)
                if self.progress is not None:
                    self.progress(min(self.done + written, self.total), self.total)
        self.done += written
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)
        return written


def _write_readme(path: Path, files: tuple[ExportedFile, ...], ctx: ServiceContext) -> None:
    when = ctx.now().astimezone()
    width = max(len(f.name) for f in files)
    lines = [
        "DecompDesk: the clinic's records, exported",
        "",
        f"Exported on {when:%Y-%m-%d} at {when:%H:%M %Z} by {ctx.actor.display_name}, "
        f"with DecompDesk {__version__}.",
        "",
        "The files (CSV, UTF-8, a header row, one file per kind):",
        *(f"  {f.name.ljust(width)}  {f.rows} row{'s' * (f.rows != 1)}" for f in files),
        "",
        "They are DecompDesk's import files: importing all of them at once into a new, empty clinic",
        "(decomp-desk create, then decomp-desk import *.csv) gives back every patient, course, session,",
        "payment and figure. Dates are written 2026-03-02, times 14:30, yes/no as yes and no.",
        "A cell beginning with =, +, - or @ starts with an apostrophe, so that a spreadsheet never reads it",
        "as a formula; the import removes it. Voided payments are left out (they count nowhere); payments",
        "of one patient on one day by one method that are equal in amount are written as one, their sum.",
        "",
        "These files hold health records: keep them where only those who may read the records can.",
    ]
    with _open_private(path) as f:
        f.write("\n".join(lines) + "\n")


class ExportService:
    """The exports as the desk and the command line ask for them (Services.exports)."""

    def __init__(self, ctx: ServiceContext):
        self.ctx = ctx

    def clinic(self, target: str | Path, progress: Progress | None = None) -> ExportReport:
        return export_clinic(self.ctx, target, progress)

    def check_folder(self, target: str | Path) -> None:
        check_target(Path(target).expanduser().absolute())

    def patient_fhir(self, chart_number: str, file: str | Path, identifier_system: str | None = None) -> FhirExport:
        """Write the patient as a FHIR R4 Bundle (services/fhir_export.py); its FhirExport."""
        from decomp_desk.services.fhir_bundle import DEFAULT_IDENTIFIER_SYSTEM
        from decomp_desk.services.fhir_export import write_patient_bundle

        return write_patient_bundle(self.ctx, chart_number, file, identifier_system or DEFAULT_IDENTIFIER_SYSTEM)
