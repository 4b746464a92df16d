"""The statement and estimate HTML from hand-made plain data (no database, no Qt): what each case says,
and that text from the records is escaped."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal as D

import pytest

from decomp_desk.domain.billing import Account, ChargeLine, CourseAccount, DiagnosisCode, Insurance, PaymentView
from decomp_desk.domain.money import Discount
from decomp_desk.domain.types import CourseStatus, Coverage, PaymentMethod, Region
from decomp_desk.reports.estimate_html import estimate_html
from decomp_desk.reports.page_data import EstimateContext, StatementContext
from decomp_desk.reports.statement_html import statement_html
from tests.reports.conftest import LETTERHEAD, squash

ON = date(2026, 3, 20)
PROCEDURE = ("S9090", "HCPCS S9090 vertebral axial decompression, per session")


def text_of(html: str) -> str:
    """Rough visible text: tags dropped, entities left (enough for these checks)."""
    return squash(re.sub(r"<style>.*?</style>|<title>.*?</title>|<[^>]+>", " ", html, flags=re.S))


def account(payments=(), courses=None, insurance=Insurance(), first="Ann") -> Account:
    if courses is None:
        lines = tuple(ChargeLine(i, 1, i, date(2026, 3, i), f"Spinal decompression, lumbar (session {i})", "S9090",
                                 D("85.00")) for i in range(1, 4))
        courses = (CourseAccount(1, Region.LUMBAR, date(2026, 3, 1), None, CourseStatus.ACTIVE, 30, D("85.00"),
                                 Discount(amount=D("300")), (DiagnosisCode("M54.2", "Cervicalgia"),), lines),)
    return Account(7, "1001", first, "Lee", insurance, 3, courses, tuple(payments))


def statement(a: Account) -> str:
    return statement_html(StatementContext(LETTERHEAD, "letter", ON, a, None, "", *PROCEDURE))


def payment(id_, amount, voided=False, reason="") -> PaymentView:
    return PaymentView(id_, 7, None, date(2026, 3, 5), D(amount), PaymentMethod.CARD, "", voided,
                       "fay" if voided else "", reason, 1)


def test_an_amount_discount_is_credited_up_to_the_charges_so_far():
    text = text_of(statement(account()))
    assert "Discount for paying the course in advance: $300.00, credited up to the charges so far \u2212$255.00" in text
    assert "Charges for this course $0.00" in text and "Balance due: $0.00 (paid in full)" in text
    assert "M54.2 Cervicalgia" in text and "Tax ID 12-3456789" in text


def test_voided_payments_are_shown_struck_and_not_counted():
    a = account([payment(1, "100.00"), payment(2, "40.00", voided=True, reason="card declined")],
                courses=())
    html = statement(a)
    text = text_of(html)
    assert a.paid == D("100.00") and a.balance == D("-100.00")
    assert 'class="struck">$40.00' in html and "VOIDED" in text and "card declined" in text
    assert "Credit balance: $100.00" in text and "No treatment has been charged yet" in text
    assert "applied to your next sessions" in text


def test_an_account_without_payments_says_so():
    text = text_of(statement(account()))
    assert "No payments received yet" in text and "Payments received $0.00" in text


def test_text_from_the_records_is_escaped():
    a = account([payment(1, "5.00", voided=True, reason="<b>oops</b> & more")], first="<script>Ann")
    html = statement(a)
    assert "<script>" not in html and "&lt;script&gt;Ann" in html
    assert "<b>oops" not in html and "&lt;b&gt;oops&lt;/b&gt; &amp; more" in html


def estimate_ctx(insurance: Insurance, discount=Discount(), sessions=30, fee=D("85.00")) -> EstimateContext:
    return EstimateContext(LETTERHEAD, "letter", ON, "Ann Lee", "1001", None, insurance,
                           insurance.estimate(sessions, fee, discount), discount, Region.LUMBAR, None, 0, (), *PROCEDURE)


@pytest.mark.parametrize("insurance, row, note", [
    (Insurance(), "Expected insurance share (self-pay: none) $0.00", "You are paying for the course yourself"),
    (Insurance("Aetna", coverage=Coverage.NOT_COVERED, coverage_verified_on=ON),
     "Expected share from Aetna (not covered) $0.00", "does not cover spinal decompression"),
    (Insurance("Aetna", coverage=Coverage.COVERED, coverage_verified_on=ON),
     "Expected share from Aetna (covered in full) \u2212$2,550.00", "what Aetna told us on March 20, 2026"),
    (Insurance("Humana", coverage=Coverage.PARTLY_COVERED, coverage_amount=D("90"), coverage_verified_on=ON),
     "(partly covered: $90.00 per session \u00d7 30, up to the course total) \u2212$2,550.00", "The insurer decides"),
    (Insurance("Cigna", coverage=Coverage.PARTLY_COVERED, coverage_amount=D("20"), coverage_verified_on=ON),
     "(partly covered: $20.00 per session \u00d7 30) \u2212$600.00", "Cigna told us"),
    (Insurance("Cigna"), "(coverage not yet verified: estimated as none) $0.00", "has not been verified with Cigna"),
])
def test_the_estimate_explains_each_kind_of_coverage(insurance, row, note):
    text = text_of(estimate_html(estimate_ctx(insurance)))
    assert row in text
    assert note in text
    est = insurance.estimate(30, D("85.00"))
    assert f"Your expected share ${est.patient_share:,.2f}" in text
    assert "Discount" not in text  # none given


def test_the_estimate_shows_the_discount_and_the_course_total():
    text = text_of(estimate_html(estimate_ctx(Insurance(), Discount(percent=D("12.5")))))
    assert "Discount for paying the course in advance (12.5%) \u2212$318.75" in text
    assert "Course total after the discount $2,231.25" in text
    assert "Your expected share $2,231.25" in text
