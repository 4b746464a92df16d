"""A known course, built by hand, and the summary context around it."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date, time, timedelta

import pytest

from decomp_desk.domain.progress import compute_progress
from decomp_desk.domain.types import AdverseEvent, Scores, SessionPoint
from decomp_desk.reports.page_data import Letterhead, SummaryContext

# Five sessions. Pain 8,7,6,5,4 (50% less, meaningful); numbness 5,5,4,3,3 (40%); tingling starts at 0
# (improvement n/a). Session 3 is a stop-button session (minute 12, 22 minutes); session 4 had a muscle
# spasm and soreness (one counted adverse event). After-session scores are recorded except for session 2.
PAIN = (8, 7, 6, 5, 4)
NUMBNESS = (5, 5, 4, 3, 3)
TINGLING = (0, 2, 1, 1, 0)
AFTER = {1: Scores(6, 4, 0), 3: Scores(4, 3, 1), 4: Scores(3, 2, 1), 5: Scores(2, 2, 0)}
DATES = (date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 6), date(2026, 3, 9), date(2026, 3, 11))


def make_points() -> list[SessionPoint]:
    points = []
    for i in range(5):
        n = i + 1
        points.append(SessionPoint(
            number=n, date=DATES[i], start_time=time(9, 30), duration_min=22 if n == 3 else 45,
            before=Scores(PAIN[i], NUMBNESS[i], TINGLING[i]), after=AFTER.get(n),
            stop_button=n == 3, stop_minute=12 if n == 3 else None,
            adverse_events=frozenset({AdverseEvent.MUSCLE_SPASM, AdverseEvent.SORENESS}) if n == 4 else frozenset(),
        ))
    return list(reversed(points))  # typed in any order: compute_progress puts them in order


def long_course(n: int = 30, *, busy: bool = False) -> list[SessionPoint]:
    """n sessions every other day; with busy=True every third one has a stop and every adverse event."""
    points = []
    for i in range(n):
        before = Scores(max(0, 8 - i // 4), max(0, 5 - i // 6), max(0, 3 - i // 8))
        p = SessionPoint(i + 1, date(2026, 1, 5) + timedelta(days=2 * i), time(10, 0), 45, before,
                         Scores(max(0, before.pain - 2), before.numbness, before.tingling))
        if busy and (i + 1) % 3 == 0:
            p = replace(p, stop_button=True, stop_minute=7, adverse_events=frozenset(AdverseEvent))
        points.append(p)
    return points


@pytest.fixture
def points():
    return make_points()


@pytest.fixture
def progress(points):
    return compute_progress(points, 30)


@pytest.fixture
def empty_progress():
    return compute_progress([], 30)


@pytest.fixture
def one_progress(points):
    return compute_progress([p for p in points if p.number == 1], 30)


LETTERHEAD = Letterhead("Riverside Spine & Chiropractic", "1200 Elm Street, Suite 4\nSpringfield, IL 62704",
                        "(217) 555-0142", tax_id="12-3456789")


@pytest.fixture
def make_ctx():
    def make(progress, paper_size="letter", **changes) -> SummaryContext:
        ctx = SummaryContext(
            letterhead=LETTERHEAD, paper_size=paper_size, patient_name="Margaret O'Connor", chart_number="C-1042",
            date_of_birth=date(1968, 5, 14), region_label="Lumbar (low back)",
            conditions=("Herniated or ruptured disc", "Sciatica"), course_status_label="Active",
            progress=progress, clinician="Dr. Daniel Reyes, DC", printed_on=date(2026, 3, 20),
        )
        return replace(ctx, **changes)
    return make


def pdf_pages_text(path) -> list[str]:
    """Each page's text, with ligatures unfolded and runs of white space made one space."""
    from pypdf import PdfReader

    return [" ".join(unicodedata.normalize("NFKC", page.extract_text()).split()) for page in PdfReader(path).pages]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def course_of():
    """long_course as a fixture: course_of(30) or course_of(40, busy=True)."""
    return long_course


@pytest.fixture
def pdf_text():
    """pdf_text(path) -> each page's text, white space collapsed."""
    return pdf_pages_text
