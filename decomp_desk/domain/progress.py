"""How progress is computed (DOMAIN.md). The tab, the printed summary and `progress --json`
all call compute_progress, so the three can never disagree."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal

from decomp_desk.domain.records import record
from decomp_desk.domain.types import COUNTED_ADVERSE_EVENTS, SCORE_NAMES, Scores, SessionPoint

MEANINGFUL_POINTS = 2
MEANINGFUL_PERCENT = 30


def chronological(points: Iterable[SessionPoint]) -> list[SessionPoint]:
    """Sessions by date then start time (never by the order they were typed in), renumbered 1..n."""
    ordered = sorted(points, key=lambda p: (p.date, p.start_time or time.min, p.number))
    return [p if p.number == i else _renumber(p, i) for i, p in enumerate(ordered, start=1)]


def _renumber(p: SessionPoint, number: int) -> SessionPoint:
    from dataclasses import replace

    return replace(p, number=number)


def improvement_percent(baseline: int, latest: int) -> int | None:
    """(baseline - latest) / baseline x 100, rounded half up to a whole number; None when baseline is 0."""
    if baseline == 0:
        return None
    exact = Decimal(baseline - latest) * 100 / Decimal(baseline)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def is_meaningful_pain_improvement(baseline: int, latest: int) -> bool:
    """Pain fell by at least 2 points and by at least 30 percent (compared exactly, not after rounding)."""
    drop = baseline - latest
    return drop >= MEANINGFUL_POINTS and drop * 100 >= MEANINGFUL_PERCENT * baseline


@record
class Progress:
    sessions_completed: int
    sessions_planned: int
    first_session: date | None
    latest_session: date | None
    baseline: Scores | None
    latest: Scores | None
    change: dict[str, int] | None
    improvement_percent: dict[str, int | None] | None
    meaningful_pain_improvement: bool
    stop_button_count: int
    adverse_event_count: int
    points: tuple[SessionPoint, ...]

    def as_json(self, chart_number: str) -> dict:
        """The object `progress --json` prints, with exactly the keys DOMAIN.md lists."""
        return {
            "chart_number": chart_number,
            "sessions_completed": self.sessions_completed,
            "sessions_planned": self.sessions_planned,
            "first_session": self.first_session.isoformat() if self.first_session else None,
            "latest_session": self.latest_session.isoformat() if self.latest_session else None,
            "baseline": self.baseline.as_dict() if self.baseline else None,
            "latest": self.latest.as_dict() if self.latest else None,
            "change": dict(self.change) if self.change is not None else None,
            "improvement_percent": dict(self.improvement_percent) if self.improvement_percent is not None else None,
            "meaningful_pain_improvement": self.meaningful_pain_improvement,
            "stop_button_count": self.stop_button_count,
            "adverse_event_count": self.adverse_event_count,
        }

    def plain_sentence(self) -> str:
        """One sentence on the result, written for the patient."""
        if not self.points:
            return "No sessions have been recorded yet; your progress will show here after your first session."
        if len(self.points) == 1:
            return (f"You have completed your first session; your starting pain score is "
                    f"{self.baseline.pain} out of 10, and we will measure your progress against it.")
        b, l = self.baseline.pain, self.latest.pain
        pct = self.improvement_percent["pain"]
        if b == 0:
            return f"You reported no pain at the start; your latest pain score is {l} out of 10."
        if self.meaningful_pain_improvement:
            return (f"Your pain has fallen from {b} to {l} out of 10 ({pct}% less) over "
                    f"{self.sessions_completed} sessions, a meaningful improvement.")
        if l < b:
            return (f"Your pain has fallen from {b} to {l} out of 10 ({pct}% less) over "
                    f"{self.sessions_completed} sessions; not yet the 2-point and 30% fall we count as meaningful.")
        if l == b:
            return f"Your pain score is unchanged at {l} out of 10 after {self.sessions_completed} sessions."
        return (f"Your pain score has risen from {b} to {l} out of 10 over {self.sessions_completed} sessions; "
                f"please talk this over with your clinician.")


def compute_progress(points: Iterable[SessionPoint], planned: int) -> Progress:
    ordered = chronological(points)
    stops = sum(1 for p in ordered if p.stop_button)
    adverse = sum(1 for p in ordered for e in p.adverse_events if e in COUNTED_ADVERSE_EVENTS)
    if not ordered:
        return Progress(0, planned, None, None, None, None, None, None, False, 0, 0, ())
    first, last = ordered[0], ordered[-1]
    change = {n: getattr(last.before, n) - getattr(first.before, n) for n in SCORE_NAMES}
    percent = {n: improvement_percent(getattr(first.before, n), getattr(last.before, n)) for n in SCORE_NAMES}
    return Progress(
        sessions_completed=len(ordered),
        sessions_planned=planned,
        first_session=first.date,
        latest_session=last.date,
        baseline=first.before,
        latest=last.before,
        change=change,
        improvement_percent=percent,
        meaningful_pain_improvement=is_meaningful_pain_improvement(first.before.pain, last.before.pain),
        stop_button_count=stops,
        adverse_event_count=adverse,
        points=tuple(ordered),
    )
