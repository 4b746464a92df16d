"""Treatment courses in time (DOMAIN.md, "courses.csv" and "Not cleared holds everywhere").

A course of one region holds the days from its start to its end, both included; an active course has
no end yet, so it holds every day from its start on. Courses of one region never overlap, so at most
one of them is active and every day belongs to at most one course of a region: the one a session of
that day joins. Plain data in, a sentence out: the services and the import share these rules."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

from decomp_desk.domain.types import CourseStatus, Region


@dataclass(frozen=True)
class CourseSpan:
    key: object  # the course's id (or any token the caller recognises); None for a course being opened
    region: Region
    start: date
    end: date | None  # None while active
    status: CourseStatus = CourseStatus.ACTIVE

    def holds(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, other: "CourseSpan") -> bool:
        return (self.region is other.region
                and (other.end is None or self.start <= other.end)
                and (self.end is None or other.start <= self.end))

    def describe(self) -> str:
        """'the active lumbar course from 2026-03-02' / 'the completed lumbar course of 2026-01-05 to 2026-02-20'."""
        if self.end is None:
            return f"the {self.status.value} {self.region.value} course from {self.start.isoformat()}"
        return (f"the {self.status.value} {self.region.value} course of {self.start.isoformat()} "
                f"to {self.end.isoformat()}")


def span_problem(candidate: CourseSpan, others: Iterable[CourseSpan]) -> str | None:
    """Why `candidate` cannot stand beside `others` (the patient's other courses), or None."""
    if candidate.end is not None and candidate.end < candidate.start:
        return f"the course would end ({candidate.end.isoformat()}) before it starts ({candidate.start.isoformat()})"
    # The candidate itself (an edited course, by its key) is not its own neighbour.
    mine = [o for o in others if o.region is candidate.region and o is not candidate
            and (candidate.key is None or o.key != candidate.key)]
    if candidate.status is CourseStatus.ACTIVE:
        active = next((o for o in mine if o.status is CourseStatus.ACTIVE), None)
        if active is not None:
            return (f"the patient already has {active.describe()}; complete or discontinue it first "
                    f"(at most one active course per region)")
    clash = next((o for o in mine if o.overlaps(candidate)), None)
    if clash is not None:
        return f"it would overlap {clash.describe()} (courses of one region never overlap)"
    return None


def holding(spans: Iterable[CourseSpan], region: Region, day: date) -> CourseSpan | None:
    """The course of `region` whose dates hold `day`."""
    return next((c for c in spans if c.region is region and c.holds(day)), None)


def next_after(spans: Iterable[CourseSpan], region: Region, day: date) -> CourseSpan | None:
    """The first course of `region` that starts after `day`."""
    later = [c for c in spans if c.region is region and c.start > day]
    return min(later, key=lambda c: c.start, default=None)


def may_start_earlier(course: CourseSpan, spans: Iterable[CourseSpan], day: date) -> str | None:
    """Whether `course` may start on `day` (earlier than it does) to hold a session of that day:
    None when it may, else the reason it may not."""
    moved = CourseSpan(course.key, course.region, day, course.end, course.status)
    others = [s for s in spans if s.key != course.key]
    clash = next((o for o in others if o.overlaps(moved)), None)
    if clash is not None:
        return (f"{day.isoformat()} is before the course's start ({course.start.isoformat()}) and within "
                f"{clash.describe()}")
    return None
