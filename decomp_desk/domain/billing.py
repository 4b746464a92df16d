"""Billing rules: the insurance the front desk recorded, a patient's account, and the course discount.

Plain Python shared by the services (which fill these from the database), the desk and the printed
pages (which only read them).

The course discount (money.Discount, set per course for paying the course in advance) is taken off
the course's charges, never off single sessions:
  * a percent discount is that percent of the course's charges so far, rounded to cents once;
  * an amount discount is credited once per course, up to the course's charges so far (a $300
    discount on a course charged $85 so far credits $85; it reaches $300 as sessions are charged).
The estimate applies the same rule to the planned course (planned sessions x fee), so once every
planned session is charged at that fee the account shows exactly the estimate's discount. The
account, the statement, `balances` and the month's totals all use `course_discount()`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.money import (
    CENT,
    ZERO,
    Discount,
    Estimate,
    cents,
    estimate,
    fmt,
    fmt_dollars,
    insurer_share,
    validate_payment,
)
from decomp_desk.domain.op_changes import Changes, changes_field
from decomp_desk.domain.records import record
from decomp_desk.domain.types import CourseStatus, Coverage, PaymentMethod, Region

KNOWN_INSURERS = ("Blue Cross Blue Shield", "Aetna", "Cigna", "UnitedHealthcare", "Humana")
SELF_PAY = "Self-pay"
_SELF_PAY_WORDS = {"", "self-pay", "self pay", "selfpay", "none", "cash"}
MAX_REFERENCE = 120
MAX_PAYMENT = Decimal("1000000")
ICD10_PATTERN = re.compile(r"^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")


def fmt_percent(p: Decimal) -> str:
    """'10%', '12.5%' (no trailing zeros)."""
    return f"{format(Decimal(p).normalize(), 'f')}%"


def course_discount(discount: Discount, charges: Decimal) -> Decimal:
    """The discount credited against `charges` of one course, in cents (see the module's note)."""
    return cents(discount.of(charges))


def _finite(value: Decimal | None) -> bool:
    return value is None or Decimal(value).is_finite()


def _at_most_cents(value: Decimal) -> bool:
    return value == value.quantize(CENT)


# --- insurance ---------------------------------------------------------------------------------------

def normalize_insurer(text: str) -> str:
    """The insurer as stored: '' for self-pay, a known insurer in its usual spelling, else the name given."""
    name = " ".join((text or "").split())
    if name.lower() in _SELF_PAY_WORDS:
        return ""
    for known in KNOWN_INSURERS:
        if name.lower().replace(" ", "") == known.lower().replace(" ", ""):
            return known
    return name


@record
class Insurance:
    """A patient's insurance as the front desk recorded it after calling the insurer (also the form's input).

    `insurer` '' means self-pay. For partly covered, the plan's share is a percent of each session's
    fee (`coverage_percent`) or a fixed amount per session (`coverage_amount`), one of the two.
    """

    insurer: str = ""
    policy_number: str = ""
    coverage: Coverage = Coverage.NOT_VERIFIED
    coverage_percent: Decimal | None = None
    coverage_amount: Decimal | None = None
    coverage_verified_on: date | None = None
    coverage_verified_by: str = ""  # defaults to whoever records it
    coverage_notes: str = ""

    @property
    def self_pay(self) -> bool:
        return not self.insurer.strip()

    @property
    def insurer_label(self) -> str:
        return self.insurer.strip() or SELF_PAY

    @property
    def verified(self) -> bool:
        return self.coverage is not Coverage.NOT_VERIFIED

    def share_text(self) -> str:
        """The plan's share in a few words: '50% of each session', '$40.00 per session', 'in full', 'none'."""
        if self.coverage is Coverage.COVERED:
            return "in full"
        if self.coverage is Coverage.PARTLY_COVERED:
            if self.coverage_percent is not None:
                return f"{fmt_percent(self.coverage_percent)} of each session"
            if self.coverage_amount is not None:
                return f"{fmt_dollars(self.coverage_amount)} per session"
        return "none"

    def coverage_text(self) -> str:
        """'Partly covered: 50% of each session', 'Not yet verified', 'Self-pay'."""
        if self.self_pay and self.coverage in (Coverage.NOT_VERIFIED, Coverage.NOT_COVERED):
            return SELF_PAY
        if self.coverage is Coverage.PARTLY_COVERED:
            return f"{self.coverage.label}: {self.share_text()}"
        return self.coverage.label

    def estimate(self, sessions: int, fee: Decimal, discount: Discount = Discount()) -> Estimate:
        return estimate(sessions, fee, self.coverage, share_percent=self.coverage_percent,
                        share_amount=self.coverage_amount, discount=discount)


InsuranceInput = Insurance  # the form edits the same shape it shows


def validate_insurance(data: Insurance, today: date, actor_name: str) -> Insurance:
    """Raise ValidationError naming every bad field; return the insurance as it is to be stored."""
    errors: dict[str, str] = {}
    insurer = normalize_insurer(data.insurer)
    coverage = data.coverage
    if not isinstance(coverage, Coverage):
        try:
            coverage = Coverage.parse(str(coverage))
        except ValueError as e:
            errors["coverage"] = str(e)
            coverage = Coverage.NOT_VERIFIED
    if len(insurer) > 120:
        errors["insurer"] = "must be at most 120 characters"
    policy = (data.policy_number or "").strip()
    if len(policy) > 80:
        errors["policy_number"] = "must be at most 80 characters"
    elif policy and not insurer:
        errors["policy_number"] = "needs an insurer (a self-pay patient has no policy)"
    if not insurer and coverage in (Coverage.COVERED, Coverage.PARTLY_COVERED):
        errors["coverage"] = "needs an insurer (the patient is self-pay)"
    percent, amount = data.coverage_percent, data.coverage_amount
    if coverage is Coverage.PARTLY_COVERED:
        if percent is not None and not (_finite(percent) and Decimal(0) <= percent <= Decimal(100)):
            errors["coverage_percent"] = "must be from 0 to 100"
        elif percent is not None and not _at_most_cents(percent):
            errors["coverage_percent"] = "has more than two decimals"
        if amount is not None and not (_finite(amount) and amount >= 0):
            errors["coverage_amount"] = "must not be negative"
        elif amount is not None and not _at_most_cents(amount):
            errors["coverage_amount"] = "has more than two decimals"
        if percent is None and amount is None:
            errors["coverage_percent"] = "give the plan's share as a percent or as an amount per session"
        elif percent is not None and amount is not None:
            errors["coverage_amount"] = "give the plan's share as a percent or as an amount, not both"
    else:
        percent = amount = None  # only a partly covered plan has a share to record
    verified_on, verified_by = data.coverage_verified_on, " ".join((data.coverage_verified_by or "").split())
    if coverage is Coverage.NOT_VERIFIED:
        verified_on, verified_by = None, ""
    else:
        verified_on = verified_on or today
        verified_by = verified_by or actor_name
        if verified_on > today:
            errors["coverage_verified_on"] = f"{verified_on.isoformat()} is in the future"
        if len(verified_by) > 120:
            errors["coverage_verified_by"] = "must be at most 120 characters"
    if errors:
        raise ValidationError(errors)
    return Insurance(insurer, policy, coverage, percent, amount, verified_on, verified_by,
                     (data.coverage_notes or "").strip())


# --- payments ------------------------------------------------------------------------------------------

@record
class PaymentInput:
    paid_on: date
    amount: Decimal
    method: PaymentMethod
    reference: str = ""  # check number, card receipt, insurer's claim number
    course_id: int | None = None  # optional: the course the payment is for


def validate_payment_input(data: PaymentInput, today: date) -> PaymentInput:
    """Raise ValidationError naming every bad field (amount, paid_on, method, reference)."""
    errors: dict[str, str] = {}
    amount = Decimal(data.amount) if isinstance(data.amount, int) and not isinstance(data.amount, bool) else data.amount
    if not isinstance(amount, Decimal) or not amount.is_finite():
        errors["amount"] = "must be an amount of dollars"  # a float is never exact money
        if data.paid_on > today:
            errors["paid_on"] = f"{data.paid_on.isoformat()} is in the future"
    else:
        try:
            validate_payment(amount, data.paid_on, today)
        except ValidationError as e:
            errors.update({("paid_on" if k == "date" else k): v for k, v in e.errors.items()})
        if amount >= MAX_PAYMENT:
            errors["amount"] = f"must be less than {fmt_dollars(MAX_PAYMENT)}"
    method = data.method
    if not isinstance(method, PaymentMethod):
        try:
            method = PaymentMethod.parse(str(method))
        except ValueError as e:
            errors["method"] = str(e)
    reference = (data.reference or "").strip()
    if len(reference) > MAX_REFERENCE:
        errors["reference"] = f"must be at most {MAX_REFERENCE} characters"
    if errors:
        raise ValidationError(errors)
    return replace(data, amount=amount, method=method, reference=reference)


@record
class PaymentView:
    """A recorded payment; a voided one stays on the account, marked, and counts for nothing."""

    id: int
    patient_id: int
    course_id: int | None
    paid_on: date
    amount: Decimal
    method: PaymentMethod
    reference: str
    voided: bool
    voided_by: str
    void_reason: str
    version: int
    voided_at: datetime | None = None
    changes: Changes = changes_field()  # what the write that returned it changed (domain.op_changes)

    @property
    def counted(self) -> Decimal:
        return ZERO if self.voided else self.amount

    def as_input(self) -> PaymentInput:
        """The form's content for editing this payment."""
        return PaymentInput(self.paid_on, self.amount, self.method, self.reference, self.course_id)


# --- the account -----------------------------------------------------------------------------------------

@record
class DiagnosisCode:
    """One entry of the clinic's ICD-10-CM short list (or a code a course carries)."""

    code: str
    description: str = ""
    region: Region | None = None
    active: bool = True

    @property
    def text(self) -> str:
        return f"{self.code} {self.description}".strip()


def validate_icd_codes(codes: Iterable[DiagnosisCode]) -> list[DiagnosisCode]:
    """The list cleaned (codes upper-case, descriptions trimmed); every bad row named by its number."""
    errors: dict[str, str] = {}
    clean: list[DiagnosisCode] = []
    seen: set[str] = set()
    for n, c in enumerate(codes, start=1):
        code = (c.code or "").strip().upper()
        description = " ".join((c.description or "").split())
        if not ICD10_PATTERN.match(code):
            errors[f"row {n} code"] = f"{c.code!r} is not an ICD-10-CM code like M51.16"
        elif code in seen:
            errors[f"row {n} code"] = f"{code} is listed twice"
        if not description:
            errors[f"row {n} description"] = "is required"
        elif len(description) > 200:
            errors[f"row {n} description"] = "must be at most 200 characters"
        seen.add(code)
        clean.append(DiagnosisCode(code, description, c.region, c.active))
    if errors:
        raise ValidationError(errors)
    return clean


@record
class ChargeLine:
    """The charge for one recorded session: the course's fee when the session was recorded."""

    session_id: int
    course_id: int
    number: int  # the session's place in its course, by date then start time
    date: date
    description: str
    code: str  # the procedure code chosen in the settings
    amount: Decimal


@record
class CourseAccount:
    course_id: int
    region: Region
    start_date: date
    end_date: date | None
    status: CourseStatus
    planned_sessions: int
    fee_per_session: Decimal
    discount: Discount
    diagnoses: tuple[DiagnosisCode, ...]
    charges: tuple[ChargeLine, ...]

    @property
    def title(self) -> str:
        """'Lumbar course' (the region's short name)."""
        return f"{self.region.label.split(' (')[0]} course"

    @property
    def charged(self) -> Decimal:
        return sum((c.amount for c in self.charges), ZERO)

    @property
    def discount_amount(self) -> Decimal:
        return course_discount(self.discount, self.charged)

    @property
    def has_discount(self) -> bool:
        return bool(self.discount.percent or self.discount.amount)

    @property
    def net(self) -> Decimal:
        return self.charged - self.discount_amount

    def discount_description(self) -> str:
        """'Discount for paying the course in advance: 10% of $2,550.00'."""
        head = "Discount for paying the course in advance"
        if self.discount.percent:
            return f"{head}: {fmt_percent(self.discount.percent)} of {fmt_dollars(self.charged)}"
        if self.discount.amount:
            if self.discount_amount < cents(self.discount.amount):
                return (f"{head}: {fmt_dollars(self.discount.amount)}, "
                        f"credited up to the charges so far")
            return f"{head}: {fmt_dollars(self.discount.amount)}"
        return head


@record
class Account:
    """A patient's charges, discounts, payments (voided ones too, flagged) and balance.
    Every total is exact: the lines are whole cents and each discount is rounded once."""

    patient_id: int
    chart_number: str
    first_name: str
    last_name: str
    insurance: Insurance
    patient_version: int  # for set_insurance(expected_version=...)
    courses: tuple[CourseAccount, ...]  # oldest first
    payments: tuple[PaymentView, ...]  # by date, then as recorded

    @property
    def patient_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def charge_lines(self) -> tuple[ChargeLine, ...]:
        return tuple(line for c in self.courses for line in c.charges)

    @property
    def sessions_charged(self) -> int:
        return sum(len(c.charges) for c in self.courses)

    @property
    def charges(self) -> Decimal:
        """Every session's charge, before discounts."""
        return sum((c.charged for c in self.courses), ZERO)

    @property
    def discounts(self) -> Decimal:
        return sum((c.discount_amount for c in self.courses), ZERO)

    @property
    def net_charges(self) -> Decimal:
        return self.charges - self.discounts

    @property
    def paid(self) -> Decimal:
        """Payments received; voided ones are not counted."""
        return sum((p.counted for p in self.payments), ZERO)

    @property
    def balance(self) -> Decimal:
        """What the patient owes (negative: a credit)."""
        return self.net_charges - self.paid

    @property
    def insurance_expected(self) -> Decimal:
        """What the insurer is expected to pay of the charges so far, by the coverage on file (the
        estimate's rule, course by course; not yet verified or not covered: nothing)."""
        ins = self.insurance
        return sum((insurer_share(c.net, len(c.charges), ins.coverage, share_percent=ins.coverage_percent,
                                  share_amount=ins.coverage_amount) for c in self.courses), ZERO)

    @property
    def insurance_pending(self) -> Decimal:
        """The insurer's expected share not yet received as insurance payments (never below zero, never
        more than the balance): informational; the balance includes it until the insurer pays."""
        received = sum((p.counted for p in self.payments if p.method is PaymentMethod.INSURANCE), ZERO)
        return max(ZERO, min(self.insurance_expected - received, self.balance))


# --- clinic-wide ---------------------------------------------------------------------------------------

@record
class BalanceRow:
    """One patient's line of `balances`. `charges` is after course discounts, so balance = charges - payments."""

    patient_id: int
    chart_number: str
    first_name: str
    last_name: str
    fee_per_session: Decimal | None  # of the current course (the active one, else the newest); None without one
    sessions_charged: int
    gross_charges: Decimal
    discounts: Decimal
    payments: Decimal
    last_activity: date | None = None  # the latest session or payment
    last_payment: date | None = None  # the latest payment not voided
    insurer_pending: Decimal = ZERO  # the insurer's expected share not yet received (Account.insurance_pending)

    @property
    def name(self) -> str:
        return f"{self.last_name}, {self.first_name}"

    @property
    def patient_share(self) -> Decimal:
        """What the patient owes once the insurer pays what it is expected to (negative: a credit)."""
        return self.balance - self.insurer_pending

    @property
    def charges(self) -> Decimal:
        return self.gross_charges - self.discounts

    @property
    def balance(self) -> Decimal:
        return self.charges - self.payments

    def as_json(self) -> dict:
        """The object `balances --json` prints (DOMAIN.md): money as strings with two decimals."""
        return {
            "chart_number": self.chart_number,
            "fee_per_session": None if self.fee_per_session is None else fmt(self.fee_per_session),
            "sessions_charged": self.sessions_charged,
            "charges": fmt(self.charges),
            "payments": fmt(self.payments),
            "balance": fmt(self.balance),
        }


@record
class MonthTotals:
    """The clinic's month. `charged` is the sessions dated in the month at their recorded charges;
    `discounts` the course discounts those sessions earned (each course's discount on its charges up to
    the month's end less that up to the month's start); `received` the payments dated in the month, voided
    ones left out; `outstanding` the sum of the balances owed (positive ones only; credits do not offset
    debts) as at the month's last day, counting sessions and payments dated up to that day, with voids as
    they stand now. For the running month that is today's figure (nothing may be dated in the future)."""

    year: int
    month: int
    sessions: int
    charged: Decimal
    discounts: Decimal
    received: Decimal
    outstanding: Decimal
    patients_owing: int

    @property
    def net_charged(self) -> Decimal:
        return self.charged - self.discounts

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)


def balance_rows_in_order(rows: Iterable[BalanceRow]) -> list[BalanceRow]:
    """By chart number, numbers in numeric order ('999' before '1001')."""
    def key(r: BalanceRow):
        return (0, int(r.chart_number), "") if r.chart_number.isdigit() else (1, 0, r.chart_number.lower())
    return sorted(rows, key=key)
