"""What the screening form (or an import row, or the demo) supplies for one screening, and the rules its
dates must pass: nothing in the future, the x-ray not after the screening, an abnormal x-ray only with
its date. What a screening means for treatment is domain/clearance.py's."""
from __future__ import annotations

from datetime import date

from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.records import record
from decomp_desk.domain.types import Condition, Contraindication, Region


@record
class ScreeningInput:
    screened_on: date
    xray_on: date | None
    xray_abnormal: bool
    region: Region
    contraindications: frozenset[Contraindication] = frozenset()
    conditions: frozenset[Condition] = frozenset()
    xray_finding: str = ""
    screened_by: str = ""  # defaults to the acting clinician
    notes: str = ""


def validate_screening(data: ScreeningInput, today: date) -> None:
    """Every wrong date at once, each named (ValidationError)."""
    errors: dict[str, str] = {}
    if data.screened_on > today:
        errors["screened_on"] = f"{data.screened_on.isoformat()} is in the future"
    if data.xray_on is not None:
        if data.xray_on > today:
            errors["xray_on"] = f"{data.xray_on.isoformat()} is in the future"
        elif data.xray_on > data.screened_on:
            errors["xray_on"] = "is after the screening date"
    elif data.xray_abnormal:
        errors["xray_abnormal"] = "needs an x-ray date"
    if errors:
        raise ValidationError(errors)
