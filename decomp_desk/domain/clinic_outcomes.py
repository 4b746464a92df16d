"""The clinic outcome report (DOMAIN.md, "Clinic outcome report"): the courses started in a period,
per region and in all, with the rounding the page and `clinic-report --json` share."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from decomp_desk.domain.outcomes import Instrument, half_up, is_meaningful, json_number
from decomp_desk.domain.progress import is_meaningful_pain_improvement
from decomp_desk.domain.records import record
from decomp_desk.domain.types import CourseStatus, Region

REGION_KEYS = ("lumbar", "cervical", "all")


@record
class CourseOutcome:
    """One course as the report counts it."""

    region: Region
    status: CourseStatus
    start_date: date
    sessions: int
    baseline_pain: int | None  # pre-session pain of the first session
    latest_pain: int | None  # ... and of the most recent one
    adverse_events: int
    stop_button_sessions: int
    function_instrument: Instrument | None = None  # ODI or NDI, with two scored forms
    function_change: int | None = None


@record
class RegionFigures:
    courses: int
    completed: int
    discontinued: int
    active: int
    sessions: int
    mean_baseline_pain: Decimal | None
    mean_latest_pain: Decimal | None
    meaningful_pain_percent: int | None
    adverse_events_per_100_sessions: Decimal | None
    stop_button_sessions_per_100: Decimal | None
    function_courses: int
    function_mean_change: Decimal | None
    function_meaningful_percent: int | None
    # Not in the JSON: the page's chart and its counts.
    pain_courses: int = 0
    pain_changes: tuple[int, ...] = ()

    def as_json(self) -> dict:
        return {
            "courses": self.courses, "completed": self.completed, "discontinued": self.discontinued,
            "active": self.active, "sessions": self.sessions,
            "mean_baseline_pain": json_number(self.mean_baseline_pain),
            "mean_latest_pain": json_number(self.mean_latest_pain),
            "meaningful_pain_percent": self.meaningful_pain_percent,
            "adverse_events_per_100_sessions": json_number(self.adverse_events_per_100_sessions),
            "stop_button_sessions_per_100": json_number(self.stop_button_sessions_per_100),
            "function": {"courses": self.function_courses, "mean_change": json_number(self.function_mean_change),
                         "meaningful_percent": self.function_meaningful_percent},
        }


@record
class ClinicReport:
    start: date | None
    end: date | None
    regions: dict[str, RegionFigures]

    def as_json(self) -> dict:
        return {"from": self.start.isoformat() if self.start else None,
                "to": self.end.isoformat() if self.end else None,
                "regions": {k: self.regions[k].as_json() for k in REGION_KEYS}}


def _mean(values: list[int]) -> Decimal | None:
    return half_up(Decimal(sum(values)) / len(values), 1) if values else None


def _percent(part: int, whole: int) -> int | None:
    return int(half_up(Decimal(part) * 100 / whole)) if whole else None


def _per_100(count: int, sessions: int) -> Decimal | None:
    return half_up(Decimal(count) * 100 / sessions, 1) if sessions else None


def region_figures(courses: list[CourseOutcome]) -> RegionFigures:
    counted = [c for c in courses if c.sessions >= 2 and c.baseline_pain is not None]
    with_pain = [c for c in counted if c.baseline_pain > 0]
    meaningful = [c for c in with_pain if is_meaningful_pain_improvement(c.baseline_pain, c.latest_pain)]
    sessions = sum(c.sessions for c in courses)
    function = [c for c in courses if c.function_change is not None]
    function_ok = [c for c in function if is_meaningful(c.function_instrument, c.function_change)]
    return RegionFigures(
        courses=len(courses),
        completed=sum(c.status is CourseStatus.COMPLETED for c in courses),
        discontinued=sum(c.status is CourseStatus.DISCONTINUED for c in courses),
        active=sum(c.status is CourseStatus.ACTIVE for c in courses),
        sessions=sessions,
        mean_baseline_pain=_mean([c.baseline_pain for c in counted]),
        mean_latest_pain=_mean([c.latest_pain for c in counted]),
        meaningful_pain_percent=_percent(len(meaningful), len(with_pain)),
        adverse_events_per_100_sessions=_per_100(sum(c.adverse_events for c in courses), sessions),
        stop_button_sessions_per_100=_per_100(sum(c.stop_button_sessions for c in courses), sessions),
        function_courses=len(function),
        function_mean_change=_mean([c.function_change for c in function]),
        function_meaningful_percent=_percent(len(function_ok), len(function)),
        pain_courses=len(counted),
        pain_changes=tuple(c.latest_pain - c.baseline_pain for c in counted),
    )


def clinic_report(courses: Iterable[CourseOutcome], start: date | None = None, end: date | None = None) -> ClinicReport:
    """Courses started from `start` to `end` (both included; None: no limit)."""
    chosen = [c for c in courses if (start is None or c.start_date >= start) and (end is None or c.start_date <= end)]
    return ClinicReport(start, end, {
        "lumbar": region_figures([c for c in chosen if c.region is Region.LUMBAR]),
        "cervical": region_figures([c for c in chosen if c.region is Region.CERVICAL]),
        "all": region_figures(chosen),
    })


# The published series the page sets beside the clinic's figures, so nobody mistakes a good month for proof.
PUBLISHED_SERIES = (
    ("Apfel CC, Cakmakkaya OS, Martin W, et al. Restoration of disk height through non-surgical spinal "
     "decompression is associated with decreased discogenic low back pain: a retrospective cohort study. "
     "BMC Musculoskeletal Disorders 2010;11:155.",
     "30 lumbar patients; retrospective and uncontrolled; pain fell from 6.2 to 1.6 (0-10) over a 6-week course."),
    ("Schimmel JJP, de Kleuver M, Horsting PP, et al. No effect of traction in patients with low back pain: "
     "a single centre, single blind, randomized controlled trial of Intervertebral Differential Dynamics "
     "Therapy. European Spine Journal 2009;18(12):1843-1850.",
     "60 patients randomised to 20 sessions of traction or a sham: no difference between the groups."),
)
UNCONTROLLED_NOTE = ("The clinic's figures are an uncontrolled series: its own patients, with no comparison group, "
                     "so they show how its patients fared, not that the treatment caused the change.")
