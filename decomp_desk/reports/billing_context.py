"""Plain data the service layer fills for the printed statement and cost estimate (no Qt, no SQLAlchemy)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from decomp_desk.domain.billing import Account, DiagnosisCode, Insurance
from decomp_desk.domain.money import Discount, Estimate
from decomp_desk.domain.types import Region
from decomp_desk.reports.context import PAPER_SIZES, Letterhead, PaperSize


def _check_paper(paper_size: str) -> None:
    if paper_size not in PAPER_SIZES:
        raise ValueError(f"paper size must be one of {', '.join(PAPER_SIZES)}, not {paper_size!r}")


@dataclass(frozen=True)
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
        _check_paper(self.paper_size)


@dataclass(frozen=True)
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
        _check_paper(self.paper_size)
