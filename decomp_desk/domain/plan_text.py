"""A care plan written as phases of visits per week for a number of weeks: `3x4,2x3` is 3 a week for
4 weeks, then 2 a week for 3 weeks (DOMAIN.md, "Care plan"). Its planned sessions are the total.
Kept small and on its own so that whoever builds on care plans reuses this one reading of the text."""
from __future__ import annotations

import re

from decomp_desk.domain.errors import ValidationError

MAX_PER_WEEK = 7
MAX_WEEKS = 104
_PHASE = re.compile(r"\s*(\d{1,2})\s*[xX×]\s*(\d{1,3})\s*")


def parse_plan(field: str, text: str) -> tuple[tuple[int, int], ...]:
    """((visits per week, weeks), ...) of `3x4,2x3`; ValidationError naming `field` otherwise."""
    phases = []
    for part in (text or "").split(","):
        m = _PHASE.fullmatch(part)
        if m is None:
            raise ValidationError.single(field, f"{text.strip()!r} is not a plan like 3x4,2x3 "
                                                "(visits a week x weeks, phases separated by commas)")
        per_week, weeks = int(m.group(1)), int(m.group(2))
        if not 1 <= per_week <= MAX_PER_WEEK or not 1 <= weeks <= MAX_WEEKS:
            raise ValidationError.single(field, f"{part.strip()!r}: visits a week must be from 1 to {MAX_PER_WEEK} "
                                                f"and weeks from 1 to {MAX_WEEKS}")
        phases.append((per_week, weeks))
    return tuple(phases)


def plan_total(phases: tuple[tuple[int, int], ...]) -> int:
    """The planned sessions of a plan: visits a week times weeks, summed over the phases."""
    return sum(per_week * weeks for per_week, weeks in phases)


def plan_text(phases: tuple[tuple[int, int], ...]) -> str:
    """The plan written back the usual way: `3x4,2x3`."""
    return ",".join(f"{p}x{w}" for p, w in phases)
