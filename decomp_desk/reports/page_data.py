"""Plain data the service layer fills for a printed progress summary (no Qt, no SQLAlchemy)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from decomp_desk.domain.outcomes import FunctionProgress
from decomp_desk.domain.progress import Progress

PaperSize = Literal["letter", "a4"]
PAPER_SIZES: tuple[str, ...] = ("letter", "a4")


@dataclass(frozen=True)
class Letterhead:
    """The clinic's name, address (may hold several lines, separated by newlines) and phone, from the settings."""

    name: str
    address: str
    phone: str
    tax_id: str = ""


@dataclass(frozen=True)
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
        if self.paper_size not in PAPER_SIZES:
            raise ValueError(f"paper size must be one of {', '.join(PAPER_SIZES)}, not {self.paper_size!r}")
