"""Insurance, fees, payments, balances and the printed estimate and statement.

How a course discount applies is a clinic rule (domain/billing.py): off the course's charges so far,
a percent of them or a fixed amount credited once, the same in the estimate, the account, the
statement, `balances` and the month's totals. Money stays Decimal: charges and payments are whole
cents in the database, sums are exact, and each discount is rounded to cents once.

The clinic-wide figures (`balances`, `month_totals`) are a few grouped queries whatever the number of
patients; per-course discounts are then applied in Python, one row per course.
"""
from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.db.base import utcnow
from decomp_desk.db.repositories import (
    check_version,
    current_course,
    load_by_chart,
    load_course,
    load_patient,
    load_payment,
    session_count,
    settings_row,
)
from decomp_desk.domain.addresses import display_phone, mailing_address
from decomp_desk.domain.billing import (
    Account,
    BalanceRow,
    ChargeLine,
    CourseAccount,
    DiagnosisCode,
    Insurance,
    MonthTotals,
    PaymentInput,
    PaymentView,
    balance_rows_in_order,
    course_discount,
    validate_icd_codes,
    validate_insurance,
    validate_payment_input,
)
from decomp_desk.domain.course_input import CourseInput, validate_course
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.money import ZERO, Discount, Estimate, fmt, insurer_share
from decomp_desk.domain.op_changes import Changes, with_changes
from decomp_desk.domain.types import CourseStatus, PaymentMethod, Region, Role
from decomp_desk.reports.page_data import EstimateContext, Letterhead, StatementContext
from decomp_desk.services import dto
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.icd_codes import write_icd_codes
from decomp_desk.services.row_mapping import discount_of, insurance_of, patient_detail, payment_view
from decomp_desk.services.screenings import not_cleared_note
from decomp_desk.services.settings import PROCEDURE_CODES

MONEY_ROLES = (Role.FRONT_DESK, Role.ADMINISTRATOR)
SESSION_DESCRIPTION = "Spinal decompression, {region} (session {number})"


def letterhead(settings: m.ClinicSettings) -> Letterhead:
    return Letterhead(settings.name or "DecompDesk clinic",
                      mailing_address(settings.address, settings.city, settings.state, settings.zip_code),
                      display_phone(settings.phone), settings.tax_id)


def _short_region(region: Region) -> str:
    return region.label.split(" (")[0].lower()


class BillingService:
    def __init__(self, ctx: ServiceContext):
        self.ctx = ctx

    # --- insurance -----------------------------------------------------------------------------------

    def insurance(self, patient_id: int) -> Insurance:
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            return insurance_of(load_patient(s, patient_id))

    def set_insurance(self, patient_id: int, data: Insurance, expected_version: int | None = None) -> dto.PatientDetail:
        """Record what the insurer said. The verifying person defaults to whoever records it, the date to
        today; a plan's share is kept only for 'partly covered'. Front desk or administrator."""
        self.ctx.require(*MONEY_ROLES)
        clean = validate_insurance(data, self.ctx.today(), self.ctx.actor.display_name)
        with self.ctx.unit_of_work() as s:
            p = load_patient(s, patient_id)
            check_version(p, expected_version, f"Patient {p.chart_number}")
            p.insurer, p.policy_number, p.coverage = clean.insurer, clean.policy_number, clean.coverage
            p.coverage_percent, p.coverage_amount = clean.coverage_percent, clean.coverage_amount
            p.coverage_verified_on, p.coverage_verified_by = clean.coverage_verified_on, clean.coverage_verified_by
            p.coverage_notes = clean.coverage_notes
            self.ctx.stamp(p)
            s.flush()
            self.ctx.audit(s, "update_insurance", "patient", p.id, p.chart_number,
                           f"{clean.insurer_label}; {clean.coverage_text()}")
            return with_changes(patient_detail(p), Changes(p.id, patient=True, billing=True))

    # --- estimates -----------------------------------------------------------------------------------

    def estimate(self, course_id: int) -> Estimate:
        """The course's planned sessions at its fee, less its discount, split by the patient's coverage."""
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            c = load_course(s, course_id)
            return insurance_of(c.patient).estimate(c.planned_sessions, c.fee_per_session, discount_of(c))

    def estimate_for(self, patient_id: int, planned: int | None = None, fee: Decimal | None = None,
                     discount: Discount = Discount()) -> Estimate:
        """An estimate for a course not yet opened; planned sessions and fee default to the settings'."""
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            insurance, planned, fee = self._plan(s, patient_id, planned, fee, discount)
            return insurance.estimate(planned, fee, discount)

    def _plan(self, s: Session, patient_id: int, planned: int | None, fee: Decimal | None,
              discount: Discount) -> tuple[Insurance, int, Decimal]:
        validate_course(CourseInput(Region.LUMBAR, self.ctx.today(), planned, fee,
                                        discount_percent=discount.percent, discount_amount=discount.amount))
        settings = settings_row(s)
        insurance = insurance_of(load_patient(s, patient_id))
        return (insurance, planned or settings.default_planned_sessions,
                settings.default_fee if fee is None else fee)

    # --- the account and payments ------------------------------------------------------------------

    def account(self, patient_id: int) -> Account:
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            return self._account(s, load_patient(s, patient_id))

    def _account(self, s: Session, p: m.Patient) -> Account:
        code = settings_row(s).procedure_code
        diagnoses = self._diagnoses(s)
        courses = s.scalars(select(m.Course).where(m.Course.patient_id == p.id)
                            .order_by(m.Course.start_date, m.Course.id)).all()
        t = m.TreatmentSession
        sessions = s.execute(select(t.id, t.course_id, t.date, t.charge).join(m.Course)
                             .where(m.Course.patient_id == p.id)
                             .order_by(t.course_id, t.date, t.start_time, t.id)).all()
        by_course: dict[int, list[ChargeLine]] = {c.id: [] for c in courses}
        regions = {c.id: _short_region(c.region) for c in courses}
        for sid, cid, on, charge in sessions:
            number = len(by_course[cid]) + 1
            by_course[cid].append(ChargeLine(
                sid, cid, number, on, SESSION_DESCRIPTION.format(region=regions[cid], number=number), code, charge))
        course_accounts = tuple(
            CourseAccount(
                course_id=c.id, region=c.region, start_date=c.start_date, end_date=c.end_date, status=c.status,
                planned_sessions=c.planned_sessions, fee_per_session=c.fee_per_session, discount=discount_of(c),
                diagnoses=diagnoses(c), charges=tuple(by_course[c.id]),
            ) for c in courses)
        payments = s.scalars(select(m.Payment).where(m.Payment.patient_id == p.id)
                             .order_by(m.Payment.paid_on, m.Payment.id)).all()
        return Account(p.id, p.chart_number, p.first_name, p.last_name, insurance_of(p), p.version,
                       course_accounts, tuple(payment_view(x) for x in payments))

    def payments(self, patient_id: int) -> list[PaymentView]:
        """The patient's payments by date, voided ones included (marked)."""
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            load_patient(s, patient_id)
            rows = s.scalars(select(m.Payment).where(m.Payment.patient_id == patient_id)
                             .order_by(m.Payment.paid_on, m.Payment.id)).all()
            return [payment_view(x) for x in rows]

    def record_payment(self, patient_id: int, data: PaymentInput) -> PaymentView:
        """A payment of more than zero with at most two decimals, dated today or earlier. Front desk or administrator."""
        self.ctx.require(*MONEY_ROLES)
        clean = validate_payment_input(data, self.ctx.today())
        with self.ctx.unit_of_work() as s:
            p = load_patient(s, patient_id)
            self._check_course(s, p.id, clean.course_id)
            row = m.Payment(patient_id=p.id)
            self._apply(row, clean)
            self.ctx.stamp(row, new=True)
            s.add(row)
            s.flush()
            self.ctx.audit(s, "create", "payment", row.id, p.chart_number, self._describe(clean))
            return with_changes(payment_view(row), Changes(p.id, billing=True, ids=(row.id,)))

    def edit_payment(self, payment_id: int, data: PaymentInput, expected_version: int | None = None) -> PaymentView:
        """Correct a payment (not a voided one). Front desk or administrator."""
        self.ctx.require(*MONEY_ROLES)
        clean = validate_payment_input(data, self.ctx.today())
        with self.ctx.unit_of_work() as s:
            row = load_payment(s, payment_id)
            check_version(row, expected_version, "The payment")
            if row.voided:
                raise ValidationError.single("payment", "is voided; record a new payment instead")
            self._check_course(s, row.patient_id, clean.course_id)
            before = self._describe(payment_view(row).as_input())
            self._apply(row, clean)
            self.ctx.stamp(row)
            s.flush()
            self.ctx.audit(s, "update", "payment", row.id, self._chart(s, row.patient_id),
                           f"{before} -> {self._describe(clean)}")
            return with_changes(payment_view(row), Changes(row.patient_id, billing=True, ids=(row.id,)))

    def void_payment(self, payment_id: int, reason: str, expected_version: int | None = None) -> PaymentView:
        """Void a payment entered in error: it stays on the account, marked, and no longer counts."""
        self.ctx.require(*MONEY_ROLES)
        reason = " ".join((reason or "").split())
        if not reason:
            raise ValidationError.single("reason", "is required (say why the payment is voided)")
        if len(reason) > 400:
            raise ValidationError.single("reason", "must be at most 400 characters")
        with self.ctx.unit_of_work() as s:
            row = load_payment(s, payment_id)
            check_version(row, expected_version, "The payment")
            if row.voided:
                raise ValidationError.single(
                    "payment", f"was already voided by {row.voided_by} on {row.voided_at:%Y-%m-%d}")
            row.voided, row.voided_at, row.voided_by, row.void_reason = True, utcnow(), self.ctx.actor.username, reason
            self.ctx.stamp(row)
            s.flush()
            self.ctx.audit(s, "void", "payment", row.id, self._chart(s, row.patient_id),
                           f"{fmt(row.amount)} {row.method.value} of {row.paid_on.isoformat()}: {reason}")
            return with_changes(payment_view(row), Changes(row.patient_id, billing=True, ids=(row.id,)))

    @staticmethod
    def _apply(row: m.Payment, d: PaymentInput) -> None:
        row.paid_on, row.amount, row.method, row.reference, row.course_id = (
            d.paid_on, d.amount, d.method, d.reference, d.course_id)

    @staticmethod
    def _describe(d: PaymentInput) -> str:
        return f"{fmt(d.amount)} {d.method.value} on {d.paid_on.isoformat()}"

    @staticmethod
    def _chart(s: Session, patient_id: int) -> str:
        return s.scalar(select(m.Patient.chart_number).where(m.Patient.id == patient_id)) or ""

    @staticmethod
    def _check_course(s: Session, patient_id: int, course_id: int | None) -> None:
        if course_id is None:
            return
        owner = s.scalar(select(m.Course.patient_id).where(m.Course.id == course_id))
        if owner != patient_id:
            raise ValidationError.single("course_id", "is not one of this patient's courses")

    # --- clinic-wide ------------------------------------------------------------------------------

    def balances(self, *, audit: bool = False) -> list[BalanceRow]:
        """Every patient with a charged session or a (not voided) payment, in chart-number order. With
        `audit`, the listing is recorded ('list' of balances): the command line's `balances`, the desk's
        Who owes view when it opens."""
        self.ctx.require_signed_in()
        t = m.TreatmentSession
        with (self.ctx.unit_of_work() if audit else self.ctx.read()) as s:
            sums = (select(t.course_id, func.count().label("n"), func.sum(t.charge).label("charged"),
                           func.max(t.date).label("last"))
                    .group_by(t.course_id).subquery())
            courses = s.execute(
                select(m.Course.id, m.Course.patient_id, m.Course.status, m.Course.start_date,
                       m.Course.fee_per_session, m.Course.discount_percent, m.Course.discount_amount,
                       sums.c.n, sums.c.charged, sums.c.last)
                .outerjoin(sums, sums.c.course_id == m.Course.id)).all()
            counted = m.Payment.voided.is_(False)
            # In the same query: what of it came from insurers (for the insurer's share still expected).
            from_insurer = func.sum(case((m.Payment.method == PaymentMethod.INSURANCE, m.Payment.amount), else_=0))
            paid, from_insurers = {}, {}
            for pid, total, last, insurers in s.execute(
                    select(m.Payment.patient_id, func.sum(m.Payment.amount), func.max(m.Payment.paid_on), from_insurer)
                    .where(counted).group_by(m.Payment.patient_id)):
                paid[pid], from_insurers[pid] = (total, last), insurers if insurers is not None else ZERO
            people = s.execute(
                select(m.Patient.id, m.Patient.chart_number, m.Patient.first_name, m.Patient.last_name,
                       m.Patient.coverage, m.Patient.coverage_percent, m.Patient.coverage_amount)
                .where(or_(m.Patient.id.in_(select(m.Course.patient_id).join(t, t.course_id == m.Course.id)),
                           m.Patient.id.in_(select(m.Payment.patient_id).where(counted))))).all()
            if audit:
                self.ctx.audit(s, "list", "balance", None, "", f"{len(people)} patients' balances")
        totals: dict[int, _PatientTally] = {}
        for cid, pid, status, start, fee, percent, amount, n, charged, last in courses:
            totals.setdefault(pid, _PatientTally()).add_course(
                (status is CourseStatus.ACTIVE, start, cid), fee, Discount(percent, amount), n or 0, charged or ZERO, last)
        rows = []
        for pid, chart, first, last_name, coverage, share_percent, share_amount in people:
            a = totals.get(pid, _PatientTally())
            total, paid_last = paid.get(pid, (ZERO, None))
            balance = a.gross - a.discounts - total
            # The insurer's expected share not yet received, by the rule the patient's Account uses.
            expected = sum((insurer_share(net, n, coverage, share_percent=share_percent, share_amount=share_amount)
                            for net, n in a.courses), ZERO)
            pending = max(ZERO, min(expected - from_insurers.get(pid, ZERO), balance))
            rows.append(BalanceRow(
                patient_id=pid, chart_number=chart, first_name=first, last_name=last_name,
                fee_per_session=a.fee, sessions_charged=a.sessions, gross_charges=a.gross, discounts=a.discounts,
                payments=total, last_activity=_latest(a.last, paid_last), last_payment=paid_last,
                insurer_pending=pending))
        return balance_rows_in_order(rows)

    def month_totals(self, year: int, month: int) -> MonthTotals:
        """Charged, discounted, received and outstanding for one calendar month (see MonthTotals)."""
        if not 1 <= month <= 12:
            raise ValidationError.single("month", "must be from 1 to 12")
        if not 1900 <= year <= 9999:
            raise ValidationError.single("year", "must be from 1900 to 9999")
        first = date(year, month, 1)
        last = date(year, month, calendar.monthrange(year, month)[1])
        t = m.TreatmentSession
        counted = m.Payment.voided.is_(False)
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            sums = (select(t.course_id, func.count(case((t.date >= first, 1))).label("n"),
                           func.sum(case((t.date < first, t.charge), else_=0)).label("before"),
                           func.sum(t.charge).label("upto"))
                    .where(t.date <= last).group_by(t.course_id).subquery())
            courses = s.execute(
                select(m.Course.patient_id, m.Course.discount_percent, m.Course.discount_amount,
                       sums.c.n, sums.c.before, sums.c.upto)
                .join(sums, sums.c.course_id == m.Course.id)).all()
            paid_upto = dict(s.execute(
                select(m.Payment.patient_id, func.sum(m.Payment.amount))
                .where(counted, m.Payment.paid_on <= last).group_by(m.Payment.patient_id)).all())
            received = s.scalar(select(func.sum(m.Payment.amount))
                                .where(counted, m.Payment.paid_on >= first, m.Payment.paid_on <= last)) or ZERO
        sessions, charged, discounts = 0, ZERO, ZERO
        owed: dict[int, Decimal] = {}
        for pid, percent, amount, n, before, upto in courses:
            discount = Discount(percent, amount)
            before, upto = before or ZERO, upto or ZERO
            off_upto = course_discount(discount, upto)
            sessions += n or 0
            charged += upto - before
            discounts += off_upto - course_discount(discount, before)
            owed[pid] = owed.get(pid, ZERO) + upto - off_upto
        balances = [owed.get(pid, ZERO) - paid_upto.get(pid, ZERO) for pid in owed.keys() | paid_upto.keys()]
        positive = [b for b in balances if b > 0]
        return MonthTotals(year, month, sessions, charged, discounts, received, sum(positive, ZERO), len(positive))

    # --- the ICD-10-CM short list -----------------------------------------------------------------

    @staticmethod
    def _icd_rows(s: Session, region: Region | None, include_inactive: bool = False) -> list[DiagnosisCode]:
        q = select(m.IcdCode).order_by(m.IcdCode.code)
        if region is not None:
            q = q.where(or_(m.IcdCode.region == region, m.IcdCode.region.is_(None)))
        if not include_inactive:
            q = q.where(m.IcdCode.active.is_(True))
        return [DiagnosisCode(r.code, r.description, r.region, r.active) for r in s.scalars(q)]

    def _diagnoses(self, s: Session) -> Callable[[m.Course], tuple[DiagnosisCode, ...]]:
        """course -> its ICD-10-CM codes with the short list's descriptions (a code not on it prints bare)."""
        known = {c.code: c for c in self._icd_rows(s, None, include_inactive=True)}
        return lambda c: tuple(known.get(x) or DiagnosisCode(x) for x in c.icd10_codes.split(";") if x)

    def icd_codes(self, region: Region | None = None, include_inactive: bool = False) -> list[DiagnosisCode]:
        """The clinic's short list, by code; with a region, that region's codes and those for any region."""
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            return self._icd_rows(s, region, include_inactive)

    def set_icd_codes(self, codes: Iterable[DiagnosisCode]) -> list[DiagnosisCode]:
        """Replace the short list (administrator). A code left out is kept but marked inactive, so a
        course that carries it still prints its description; giving it again makes it active."""
        self.ctx.require(Role.ADMINISTRATOR)
        clean = validate_icd_codes(codes)
        with self.ctx.unit_of_work() as s:
            write_icd_codes(self.ctx, s, clean)
            return self._icd_rows(s, None, include_inactive=True)

    # --- printed pages: plain data for reports/statement_html.py and reports/estimate_html.py --------

    def statement_context(self, chart_number: str, *, audit: bool = True) -> StatementContext:
        """Everything the statement prints; recorded in the audit trail as a print of the patient's record
        (`audit=False` for a screen preview that is not printed)."""
        self.ctx.require_signed_in()
        with self.ctx.unit_of_work() as s:
            p = load_by_chart(s, chart_number)
            settings = settings_row(s)
            account = self._account(s, p)
            if audit:
                self.ctx.audit(s, "print", "statement", p.id, p.chart_number, f"balance {fmt(account.balance)}")
            return StatementContext(
                letterhead=letterhead(settings), paper_size=settings.paper_size, printed_on=self.ctx.today(),
                account=account, date_of_birth=p.date_of_birth,
                address=mailing_address(p.address, p.city, p.state, p.zip_code),
                procedure_code=settings.procedure_code,
                procedure_description=PROCEDURE_CODES.get(settings.procedure_code, settings.procedure_code))

    def estimate_context(self, chart_number: str, course_id: int | None = None, *, planned: int | None = None,
                         fee: Decimal | None = None, discount: Discount | None = None,
                         region: Region | None = None, audit: bool = True) -> EstimateContext:
        """The cost estimate to hand over before a course: of `course_id`; else, when neither planned, fee,
        discount nor region is given, of the patient's current course; else of a course not yet opened
        (planned sessions and fee defaulting to the settings')."""
        planning = any(x is not None for x in (planned, fee, discount, region))
        self.ctx.require_signed_in()
        with self.ctx.unit_of_work() as s:
            p = load_by_chart(s, chart_number)
            settings = settings_row(s)
            course = None
            if course_id is not None:
                course = load_course(s, course_id)
                if course.patient_id != p.id:
                    raise ValidationError.single("course_id", f"is not a course of chart {p.chart_number}")
            elif not planning:
                course = current_course(s, p.id)
            if course is not None:
                insurance, sessions, per, off = (insurance_of(p), course.planned_sessions, course.fee_per_session,
                                                 discount_of(course))
                diagnoses = self._diagnoses(s)(course)
            else:
                off = discount or Discount()
                insurance, sessions, per = self._plan(s, p.id, planned, fee, off)
                diagnoses = ()
            est = insurance.estimate(sessions, per, off)
            warning = not_cleared_note(s, p.id, self.ctx.today(), course.region if course is not None else region,
                                       "No session may be recorded, nor a course opened, until a screening "
                                       "clears the patient.")
            if audit:
                self.ctx.audit(s, "print", "estimate", p.id, p.chart_number, f"patient share {fmt(est.patient_share)}")
            return EstimateContext(
                letterhead=letterhead(settings), paper_size=settings.paper_size, printed_on=self.ctx.today(),
                patient_name=f"{p.first_name} {p.last_name}", chart_number=p.chart_number,
                date_of_birth=p.date_of_birth, insurance=insurance, estimate=est, discount=off,
                region=course.region if course is not None else region,
                start_date=course.start_date if course is not None else None,
                sessions_done=session_count(s, course.id) if course is not None else 0,
                diagnoses=diagnoses, procedure_code=settings.procedure_code,
                procedure_description=PROCEDURE_CODES.get(settings.procedure_code, settings.procedure_code),
                not_cleared=warning)


class _PatientTally:
    """One patient's courses folded together for `balances`."""

    def __init__(self) -> None:
        self.sessions, self.gross, self.discounts = 0, ZERO, ZERO
        self.courses: list[tuple[Decimal, int]] = []  # each course's charges after its discount, and sessions
        self.last: date | None = None
        self._current: tuple | None = None
        self.fee: Decimal | None = None

    def add_course(self, key: tuple, fee: Decimal, discount: Discount, sessions: int, charged: Decimal,
                   last: date | None) -> None:
        self.sessions += sessions
        self.gross += charged
        self.discounts += course_discount(discount, charged)
        self.courses.append((charged - course_discount(discount, charged), sessions))
        self.last = _latest(self.last, last)
        if self._current is None or key > self._current:
            self._current, self.fee = key, fee


def _latest(*days: date | None) -> date | None:
    return max((d for d in days if d is not None), default=None)
