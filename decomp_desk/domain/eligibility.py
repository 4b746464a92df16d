"""The four screening rules of DOMAIN.md, which decide whether decompression is allowed at all."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from decomp_desk.domain.records import record
from decomp_desk.domain.types import ClearanceState, Contraindication, ScreeningFacts

NO_SCREENING = "no screening on file"
NO_XRAY = "no x-ray on file"
XRAY_ABNORMAL = "the x-ray shows a bone abnormality"


@record
class Clearance:
    state: ClearanceState
    reasons: tuple[str, ...] = ()
    screened_on: date | None = None

    @property
    def cleared(self) -> bool:
        return self.state is ClearanceState.CLEARED

    def describe(self) -> str:
        """'Cleared', 'Not screened', or 'Not cleared: reason; reason'."""
        if self.state is ClearanceState.NOT_CLEARED:
            return "Not cleared: " + "; ".join(self.reasons)
        return self.state.label


def assess(screening: ScreeningFacts | None) -> Clearance:
    """Rules 1 to 4 applied to one screening; every failing reason is named, not only the first."""
    if screening is None:
        return Clearance(ClearanceState.NOT_SCREENED, (NO_SCREENING,))
    reasons: list[str] = []
    if screening.xray_on is None:
        reasons.append(NO_XRAY)
    elif screening.xray_abnormal:
        reasons.append(XRAY_ABNORMAL)
    # Listed in the enum's order so the same screening always reads the same way.
    reasons += [c.label.lower() for c in Contraindication if c in screening.contraindications]
    if reasons:
        return Clearance(ClearanceState.NOT_CLEARED, tuple(reasons), screening.screened_on)
    return Clearance(ClearanceState.CLEARED, (), screening.screened_on)


def governing(screenings: Iterable[ScreeningFacts], on: date | None = None) -> ScreeningFacts | None:
    """The newest screening dated on or before `on` (any date when `on` is None). Of screenings
    dated the same day the one given last governs, so pass them in the order they were recorded."""
    best: ScreeningFacts | None = None
    for s in screenings:
        if on is not None and s.screened_on > on:
            continue
        if best is None or s.screened_on >= best.screened_on:
            best = s
    return best


def clearance_on(screenings: Iterable[ScreeningFacts], on: date) -> Clearance:
    """Whether a session dated `on` may be recorded: the newest screening up to that date governs."""
    return assess(governing(screenings, on))
