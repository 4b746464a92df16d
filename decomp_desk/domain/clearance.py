"""Per-region clearance (DOMAIN.md, "Screening"): whether a session or a course of region R may be
recorded or opened on day D.

Two screenings govern, and either can refuse:
(a) the newest screening of ANY region dated on or before D: a contraindication concerns the whole
    patient, so whatever region it was screened for, its contraindications refuse every region;
(b) the newest screening OF REGION R dated on or before D: the x-ray is of the treated region, so it
    must have an x-ray date and no bone abnormality. A neck x-ray never clears the low back.
Of screenings dated the same day, the one recorded last is the newer: callers pass the screenings in
the order they were recorded (date order is not needed; ties keep the given order).
Every failing reason is named, the x-ray's first, then the contraindications in the enum's order."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from decomp_desk.domain.eligibility import NO_SCREENING, Clearance
from decomp_desk.domain.types import ClearanceState, Contraindication, Region, ScreeningFacts


def region_word(region: Region) -> str:
    """'lumbar' / 'cervical': the word the reasons use."""
    return str(region.value)


def no_xray_reason(region: Region) -> str:
    return f"no {region_word(region)} x-ray on file"


def abnormal_xray_reason(region: Region) -> str:
    return f"the {region_word(region)} x-ray shows a bone abnormality"


_CONTRAINDICATIONS = tuple(Contraindication)  # in the form's order; iterating the Enum class anew is slow


def contraindication_reasons(found: frozenset[Contraindication]) -> list[str]:
    # The patient list asks this for every patient: most have none, and that answer costs nothing.
    if not found:
        return []
    return [str(c.label).lower() for c in _CONTRAINDICATIONS if c in found]  # type: ignore[attr-defined]


def newest(screenings: Iterable[ScreeningFacts], on: date, region: Region | None = None) -> ScreeningFacts | None:
    """The newest screening dated on or before `on` (of `region` when given); same day: the later given."""
    best: ScreeningFacts | None = None
    for s in screenings:
        if s.screened_on > on:
            continue
        if region is not None and s.region is not None and s.region is not region:
            continue
        if best is None or s.screened_on >= best.screened_on:
            best = s
    return best


def clearance_for(screenings: Iterable[ScreeningFacts], region: Region, on: date) -> Clearance:
    """Whether a session or course of `region` on day `on` is cleared (rules (a) and (b) above)."""
    history = list(screenings)
    any_region = newest(history, on)
    if any_region is None:
        return Clearance(ClearanceState.NOT_SCREENED, (NO_SCREENING,))
    of_region = newest(history, on, region)
    reasons: list[str] = []
    if of_region is None or of_region.xray_on is None:
        reasons.append(no_xray_reason(region))
    elif of_region.xray_abnormal:
        reasons.append(abnormal_xray_reason(region))
    reasons += contraindication_reasons(any_region.contraindications)
    state = ClearanceState.NOT_CLEARED if reasons else ClearanceState.CLEARED
    return Clearance(state, tuple(reasons), any_region.screened_on)


def usual_region(screenings: Iterable[ScreeningFacts], on: date) -> Region | None:
    """The region of the newest screening dated on or before `on` (a session without a region of its
    own is of that region); None without one."""
    s = newest(screenings, on)
    return s.region if s is not None else None


def not_cleared_sentence(region: Region, on: date, clearance: Clearance) -> str:
    """'Not cleared for lumbar decompression on 2026-03-02: pregnancy; no lumbar x-ray on file.'"""
    return (f"Not cleared for {region_word(region)} decompression on {on.isoformat()}: "
            + "; ".join(clearance.reasons) + ".")
