"""A course's care plan (DOMAIN.md, "Care plan and appointment book"): phases of visits per week for a
number of weeks, written `3x4,2x3` (3 a week for 4 weeks, then 2 a week for 3 weeks), and the visit
tracker built on it. Week k of a course is days 7k to 7k+6 after its start; the visits expected by day D
are those of the weeks finished before D's week; behind = expected - sessions recorded up to D, when
above 0. Plain Python: no Qt, no database."""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.records import record

MAX_PER_WEEK = 7  # one visit a day at most: a course is booked one per chosen day
MAX_WEEKS = 52
MAX_TOTAL = 200  # the planned sessions' own limit
_PHASE = re.compile(r"^\s*(\d{1,3})\s*[x×*]\s*(\d{1,3})\s*$", re.IGNORECASE)


@record
class Phase:
    per_week: int
    weeks: int

    @property
    def visits(self) -> int:
        return self.per_week * self.weeks

    def describe(self) -> str:
        return f"{self.per_week} a week for {self.weeks} week{'s' * (self.weeks != 1)}"


@record
class CarePlan:
    phases: tuple[Phase, ...]

    @property
    def total(self) -> int:
        return sum(p.visits for p in self.phases)

    @property
    def weeks(self) -> int:
        return sum(p.weeks for p in self.phases)

    @property
    def text(self) -> str:
        """The plan as written in a file and shown on screen: '3x4,2x3'."""
        return ",".join(f"{p.per_week}x{p.weeks}" for p in self.phases)

    def describe(self) -> str:
        """'3 a week for 4 weeks, then 2 a week for 3 weeks (18 visits)'."""
        return ", then ".join(p.describe() for p in self.phases) + f" ({self.total} visits)"

    def weekly(self) -> tuple[int, ...]:
        """Visits planned in week 0, 1, 2, ... of the course."""
        return tuple(p.per_week for p in self.phases for _ in range(p.weeks))

    def expected_by(self, start: date, day: date) -> int:
        """Visits of the weeks finished before `day`'s week (0 before the course starts)."""
        if day < start:
            return 0
        week = (day - start).days // 7
        return sum(self.weekly()[:week])


def parse_plan(text: str | None, field: str = "plan") -> CarePlan | None:
    """'3x4,2x3' -> CarePlan; empty -> None (the course has no plan); ValidationError naming `field`."""
    if text is None or not text.strip():
        return None
    phases = []
    for part in text.split(","):
        match = _PHASE.match(part)
        if not match:
            raise ValidationError.single(field, f"'{part.strip()}' is not a phase like 3x4 (visits a week x weeks); "
                                                "write the phases as 3x4,2x3")
        per_week, weeks = int(match.group(1)), int(match.group(2))
        if not 1 <= per_week <= MAX_PER_WEEK:
            raise ValidationError.single(field, f"'{part.strip()}': visits a week must be from 1 to {MAX_PER_WEEK}")
        if not 1 <= weeks <= MAX_WEEKS:
            raise ValidationError.single(field, f"'{part.strip()}': the number of weeks must be from 1 to {MAX_WEEKS}")
        phases.append(Phase(per_week, weeks))
    plan = CarePlan(tuple(phases))
    if plan.total > MAX_TOTAL:
        raise ValidationError.single(field, f"plans {plan.total} visits; a course holds at most {MAX_TOTAL} sessions")
    return plan


def planned_sessions_for(plan_text: str | None, planned: int | None, field: str = "planned_sessions") -> int | None:
    """The planned sessions a course gets: the plan's total when it has a plan (a different number given
    beside it is refused, naming both), else `planned` as given (None: the clinic's default)."""
    plan = parse_plan(plan_text)
    if plan is None:
        return planned
    if planned is not None and planned != plan.total:
        raise ValidationError.single(field, f"is {planned}, but the plan {plan.text} totals {plan.total}")
    return plan.total


@record
class VisitTracker:
    """Where a course stands against its plan on `day`."""

    day: date
    planned: int
    expected: int
    recorded: int

    @property
    def behind(self) -> int:
        return max(0, self.expected - self.recorded)

    def describe(self) -> str:
        """'expected 9 by 2026-03-23, 7 recorded: 2 behind' (or 'on plan')."""
        state = f"{self.behind} behind" if self.behind else "on plan"
        return f"expected {self.expected} by {self.day.isoformat()}, {self.recorded} recorded: {state}"


def track(plan: CarePlan | None, start: date, session_dates: Iterable[date], day: date) -> VisitTracker | None:
    """The tracker of a course on `day`; None for a course without a plan (nothing to be behind of)."""
    if plan is None:
        return None
    recorded = sum(1 for d in session_dates if d <= day)
    return VisitTracker(day, plan.total, plan.expected_by(start, day), recorded)
