"""What the course form (or an import row, or the demo) supplies for one treatment course, and the rules
its fields must pass before any record is read: the planned count, the fee, the discount and the care
plan's text. The rules that need the patient's records (clearance, overlapping courses) are the
services'."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.money import validate_fee
from decomp_desk.domain.records import record
from decomp_desk.domain.types import Condition, Region

MAX_DISCOUNT = Decimal("1000000")


@record
class CourseInput:
    region: Region
    start_date: date
    planned_sessions: int | None = None  # the clinic's default when None
    fee_per_session: Decimal | None = None  # the clinic's default when None
    conditions: frozenset[Condition] = frozenset()
    icd10_codes: tuple[str, ...] = ()
    discount_percent: Decimal | None = None
    discount_amount: Decimal | None = None
    notes: str = ""
    plan: str | None = None  # the care plan ('3x4,2x3'; '' none); None leaves a course's plan as it is


def _finite_cents(value: Decimal) -> bool:
    """A Decimal the database can store exactly in cents: not NaN or infinity, not beyond a trillion (quantize
    would raise), at most two decimals."""
    return (isinstance(value, Decimal) and value.is_finite() and abs(value) < Decimal("1E12")
            and value == value.quantize(Decimal("0.01")))


def validate_course(data: CourseInput) -> None:
    """Every wrong field at once, each named (ValidationError)."""
    errors: dict[str, str] = {}
    if data.plan:
        from decomp_desk.domain.care_plan import parse_plan

        try:
            parse_plan(data.plan)
        except ValidationError as e:
            errors.update(e.errors)
    if data.planned_sessions is not None and not 1 <= data.planned_sessions <= 200:
        errors["planned_sessions"] = "must be from 1 to 200"
    if data.fee_per_session is not None:
        try:
            validate_fee("fee_per_session", data.fee_per_session)
        except ValidationError as e:
            errors.update(e.errors)
    percent, amount = data.discount_percent, data.discount_amount
    if percent is not None and not (_finite_cents(percent) and Decimal(0) <= percent <= Decimal(100)):
        errors["discount_percent"] = "must be from 0 to 100, with at most two decimals"
    if amount is not None and not (_finite_cents(amount) and Decimal(0) <= amount <= MAX_DISCOUNT):
        errors["discount_amount"] = "must be from $0.00 to $1,000,000.00, with at most two decimals"
    if data.discount_percent and data.discount_amount:
        errors["discount_amount"] = "give a discount as a percent or as an amount, not both"
    if errors:
        raise ValidationError(errors)
