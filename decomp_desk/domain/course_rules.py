"""Treatment courses in time (DOMAIN.md, "courses.csv" and "Not cleared holds everywhere").

A course of one region holds the days from its start to its end, both included; an active course has
no end yet, so it holds every day from its start on. Courses of one region never overlap (the next may
start on the day the previous one ended, and then takes that day's sessions), so at most one of them is
active and every day belongs to one course of a region: the one a session of that day joins.
Plain data in, a sentence out: the services and the import share these rules."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from decomp_desk.domain.records import record
from decomp_desk.domain.types import CourseStatus, Region


@record
class CourseSpan:
    key: object  # the course's id (or any token the caller recognises); None for a course being opened
    region: Region
    start: date
    end: date | None  # None while active
    status: CourseStatus = CourseStatus.ACTIVE

    def holds(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, other: CourseSpan) -> bool:
        """Sharing more than a boundary day: a course may start on the day the previous one ended (a
        course completed at a visit and the next opened at the same visit), never earlier."""
        if self.region is not other.region:
            return False
        first_shared = max(self.start, other.start)
        ends = [c.end for c in (self, other) if c.end is not None]
        last_shared = min(ends) if ends else None
        if last_shared is None or first_shared < last_shared:
            return True
        if first_shared > last_shared:
            return False
        # One day in common: allowed only where one course ends on it and the other starts on it.
        return not ((self.end == first_shared and other.start == first_shared)
                    or (other.end == first_shared and self.start == first_shared))

    def describe(self) -> str:
        """'the active lumbar course from 2026-03-02', 'the completed lumbar course of 2026-01-05 to 2026-02-20'."""
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
    if clash is None:
        # Two courses may meet on a day (one ends, the next starts), never three.
        for day in [d for d in (candidate.start, candidate.end) if d is not None]:
            meeting = [o for o in mine if o.holds(day)]
            if len(meeting) >= 2:
                clash = meeting[0]
                break
    if clash is not None:
        return f"it would overlap {clash.describe()} (courses of one region never overlap)"
    return None


def holding(spans: Iterable[CourseSpan], region: Region, day: date) -> CourseSpan | None:
    """The course of `region` whose dates hold `day`; on a day one course ended and the next began, the next."""
    return max((c for c in spans if c.region is region and c.holds(day)),
               key=lambda c: (c.start, c.end or date.max), default=None)


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
