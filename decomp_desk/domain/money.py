"""Money is exact: Decimal throughout, rounded to cents once, at the end, half up."""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.records import record
from decomp_desk.domain.types import Coverage

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_FEE = Decimal("10000")
MAX_AMOUNT = Decimal("10000000")


def cents(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value: Decimal) -> str:
    """'1275.00': the form money takes in JSON and CSV."""
    return f"{cents(value):.2f}"


def fmt_dollars(value: Decimal) -> str:
    """'$1,275.00' (and '-$12.50'): the form money takes on screen and on paper."""
    v = cents(value)
    sign = "-" if v < 0 else ""
    return f"{sign}${abs(v):,.2f}"


def parse_money(field: str, text: str, *, allow_zero: bool = True) -> Decimal:
    """Dollars with at most two decimals ('45', '45.5', '$1,275.00'); the field is named when refused."""
    t = (text or "").strip().replace("$", "")
    if len(t) > 30:  # thousands of digits are a slip, and a regex over them is slow
        raise ValidationError.single(field, f"{t[:12]}... ({len(t):,} characters) is not an amount of dollars")
    if "," in t and not re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d*)?", t):
        # '12,50' is a slip (or a decimal comma), never $1,250.00: commas only group thousands.
        raise ValidationError.single(field, f"{text!r} is not an amount of dollars")
    t = t.replace(",", "")
    if not t:
        raise ValidationError.single(field, "is required")
    if not re.fullmatch(r"-?\d+(\.\d{1,2})?", t):
        if re.fullmatch(r"-?\d+\.\d{3,}", t):
            raise ValidationError.single(field, f"{text!r} has more than two decimals")
        raise ValidationError.single(field, f"{text!r} is not an amount of dollars")
    try:
        value = Decimal(t)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only valid numbers
        raise ValidationError.single(field, f"{text!r} is not an amount of dollars") from None
    if value < 0:
        raise ValidationError.single(field, "must not be negative")
    if value > MAX_AMOUNT:  # no clinic amount is this large; it is a typing slip
        raise ValidationError.single(field, f"must be at most {fmt_dollars(MAX_AMOUNT)}")
    if value == 0 and not allow_zero:
        raise ValidationError.single(field, "must be more than zero")
    return value


def validate_fee(field: str, fee: Decimal) -> Decimal:
    if not isinstance(fee, Decimal) or not fee.is_finite():  # NaN would raise on comparing, inf overflow
        raise ValidationError.single(field, "must be an amount of dollars")
    if fee < 0:
        raise ValidationError.single(field, "must not be negative")
    if fee > MAX_FEE:
        raise ValidationError.single(field, f"must be at most {fmt_dollars(MAX_FEE)}")
    if fee != fee.quantize(CENT):
        raise ValidationError.single(field, "has more than two decimals")
    return fee


def validate_payment(amount: Decimal, paid_on: date, today: date) -> None:
    errors: dict[str, str] = {}
    if amount <= 0:
        errors["amount"] = "must be more than zero"
    elif amount.adjusted() >= 12:  # quantize would raise InvalidOperation beyond the context's precision
        errors["amount"] = "is too large"
    elif amount != amount.quantize(CENT):
        errors["amount"] = "has more than two decimals"
    if paid_on > today:
        errors["date"] = f"{paid_on.isoformat()} is in the future"
    if errors:
        raise ValidationError(errors)


@record
class Discount:
    percent: Decimal | None = None
    amount: Decimal | None = None

    def of(self, gross: Decimal) -> Decimal:
        """The discount off `gross`; never more than gross, never negative."""
        d = ZERO
        if self.percent:
            d = gross * self.percent / 100
        elif self.amount:
            d = self.amount
        return max(ZERO, min(d, gross))


@record
class Estimate:
    sessions: int
    fee_per_session: Decimal
    gross: Decimal
    discount: Decimal
    net: Decimal
    insurer_share: Decimal
    patient_share: Decimal
    coverage: Coverage


def insurer_share(net: Decimal, sessions: int, coverage: Coverage, *, share_percent: Decimal | None = None,
                  share_amount: Decimal | None = None) -> Decimal:
    """The insurer's expected part of `net` (the charges after discount for `sessions`), in cents.
    Not yet verified counts as not covered; a share per session never exceeds `net`."""
    if coverage is Coverage.COVERED:
        insurer = net
    elif coverage is Coverage.PARTLY_COVERED and share_percent is not None:
        insurer = net * share_percent / 100
    elif coverage is Coverage.PARTLY_COVERED and share_amount is not None:
        insurer = min(share_amount * sessions, net)
    else:
        insurer = ZERO
    return cents(insurer)


def estimate(sessions: int, fee: Decimal, coverage: Coverage, *, share_percent: Decimal | None = None,
             share_amount: Decimal | None = None, discount: Discount = Discount()) -> Estimate:
    """A course's expected cost before it starts. Coverage not yet verified is estimated as
    not covered: the patient should never be told to expect less than they may owe."""
    # Each figure shown is rounded once, half up; the rest follow from them exactly, so the
    # printed estimate always adds up (gross - discount = net = insurer + patient).
    gross = cents(fee * sessions)
    off = cents(discount.of(gross))
    net = gross - off
    insurer = insurer_share(net, sessions, coverage, share_percent=share_percent, share_amount=share_amount)
    return Estimate(sessions, cents(fee), gross, off, net, insurer, net - insurer, coverage)


def balance(charges: Iterable[Decimal], payments: Iterable[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """(charged, paid, balance owed), each in cents."""
    c = sum(charges, ZERO)
    p = sum(payments, ZERO)
    return cents(c), cents(p), cents(c) - cents(p)
