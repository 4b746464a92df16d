"""The plain data of every printed page, filled by the service layer (no Qt, no SQLAlchemy): the progress
summary, the statement, the cost estimate, the clinic outcome report and the day sheet. reports/pages.py
turns each into its page; the desk and the command line only carry them from the service to the writer."""
from __future__ import annotations

from datetime import date
from typing import Any, Literal

from decomp_desk.domain.billing import Account, DiagnosisCode, Insurance
from decomp_desk.domain.clinic_outcomes import ClinicReport
from decomp_desk.domain.money import Discount, Estimate
from decomp_desk.domain.outcomes import FunctionProgress
from decomp_desk.domain.progress import Progress
from decomp_desk.domain.records import record
from decomp_desk.domain.types import Region

PaperSize = Literal["letter", "a4"]
PAPER_SIZES: tuple[str, ...] = ("letter", "a4")


def check_paper(paper_size: str) -> None:
    if paper_size not in PAPER_SIZES:
        raise ValueError(f"paper size must be one of {', '.join(PAPER_SIZES)}, not {paper_size!r}")


@record
class Letterhead:
    """The clinic's name, address (may hold several lines, separated by newlines) and phone, from the settings."""

    name: str
    address: str
    phone: str
    tax_id: str = ""


# --- the progress summary ----------------------------------------------------------------------------

@record
class SummaryContext:
    """Everything on the printed progress summary. `progress` is compute_progress() of the course."""

    letterhead: Letterhead
    paper_size: PaperSize
    patient_name: str
    chart_number: str
    date_of_birth: date | None
    region_label: str  # e.g. Region.LUMBAR.label
    conditions: tuple[str, ...]  # labels, e.g. (Condition.SCIATICA.label,)
    course_status_label: str  # e.g. CourseStatus.ACTIVE.label
    progress: Progress
    clinician: str
    printed_on: date
    # Set when the patient is not cleared for the course's region on the day printed: the page says so
    # at the top, with the reasons ("Not cleared for lumbar decompression on 2026-03-02: pregnancy.").
    not_cleared: str = ""
    function: FunctionProgress | None = None  # the ODI/NDI (and PSFS) of the course, when forms were taken

    def __post_init__(self) -> None:
        check_paper(self.paper_size)


# --- the statement and the cost estimate -------------------------------------------------------------

@record
class StatementContext:
    """The patient's statement: every charge, discount and payment of `account`, and the balance due."""

    letterhead: Letterhead
    paper_size: PaperSize
    printed_on: date
    account: Account
    date_of_birth: date | None
    address: str  # the patient's, may hold several lines
    procedure_code: str  # 'S9090' (the settings' choice)
    procedure_description: str  # 'HCPCS S9090 vertebral axial decompression, per session'

    def __post_init__(self) -> None:
        check_paper(self.paper_size)


@record
class EstimateContext:
    """The cost estimate handed over before a course: `estimate` is Insurance.estimate() of the plan."""

    letterhead: Letterhead
    paper_size: PaperSize
    printed_on: date
    patient_name: str
    chart_number: str
    date_of_birth: date | None
    insurance: Insurance
    estimate: Estimate
    discount: Discount
    region: Region | None
    start_date: date | None  # of an opened course; None for a course not yet opened
    sessions_done: int  # sessions already recorded in that course
    diagnoses: tuple[DiagnosisCode, ...]
    procedure_code: str
    procedure_description: str
    not_cleared: str = ""  # the sentence printed at the top when the patient is not cleared (with the reasons)

    def __post_init__(self) -> None:
        check_paper(self.paper_size)


# --- the clinic outcome report -----------------------------------------------------------------------

@record
class Attendance:
    appointments: int
    no_shows: int
    cancellations: int


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%"


@record
class ClinicReportPage:
    """What the clinic outcome report's window and its printed page show."""

    clinic_name: str
    paper_size: str
    printed_on: date
    report: ClinicReport
    # Appointments dated in the period, and how many of them were no-shows and cancellations: attendance
    # is the first sign of a course that will be abandoned. None where the book was not read.
    attendance: Attendance | None = None

    def attendance_sentence(self) -> str:
        a = self.attendance
        if a is None or a.appointments == 0:
            return "No appointments are booked in this period."
        return (f"Appointments dated in the period: {a.appointments}; no-shows: {a.no_shows} "
                f"({_percent(a.no_shows, a.appointments)}); cancellations: {a.cancellations} "
                f"({_percent(a.cancellations, a.appointments)}).")

    def period(self) -> str:
        r = self.report
        if r.start is None and r.end is None:
            return "all courses on file"
        start = r.start.isoformat() if r.start else "the first"
        end = r.end.isoformat() if r.end else "today"
        return f"courses started from {start} to {end}"


# --- the day sheet -----------------------------------------------------------------------------------

@record
class DaySheet:
    """The day sheet: `book` is the services' DayBook of the day with every detail (reports never import
    the services, so its type is not named here)."""

    book: Any
    letterhead: Letterhead
    paper_size: str

    @property
    def day(self) -> date:
        day: date = self.book.date
        return day
