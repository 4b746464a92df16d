"""The statement and the cost estimate as PDFs, from the services on both databases: the text read back
from the file agrees with account() and balances(), line by line and in total."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from decomp_desk.domain.billing import Insurance
from decomp_desk.domain.errors import NotFound
from decomp_desk.domain.money import Discount, fmt_dollars
from decomp_desk.domain.types import Coverage, PaymentMethod, Region
from decomp_desk.reports.pages import printed_page
from decomp_desk.reports.pdf_writer import page_document, write_page_pdf
from tests.factories import DAY0, patient
from tests.services.billing_helpers import audit_actions, course_with_sessions, pay

MINUS = "\u2212"


def write_pdf_of(ctx, path):
    return write_page_pdf(printed_page(ctx), path)


def dollars(value) -> str:
    return fmt_dollars(value).replace("-", MINUS)


@pytest.fixture
def clinic_services(services):
    s = services.settings.get()
    services.settings.update(replace(s, name="Riverside Spine & Chiropractic", tax_id="12-3456789",
                                     address="1200 Elm Street, Suite 4\nSpringfield, IL 62704", phone="(217) 555-0142"))
    return services


@pytest.fixture
def treated(clinic_services):
    """Chart 1001: 30 sessions at $85 with a 10% discount, three payments, one of them voided."""
    sv = clinic_services
    p, c = course_with_sessions(sv, "1001", n=30, fee=D("85.00"), every=1, first="Margaret", last="O'Connor",
                                discount_percent=D("10"), icd10_codes=("M51.16", "M54.16"))
    sv.billing.set_insurance(p.id, Insurance("Aetna", "W123456789", Coverage.PARTLY_COVERED,
                                             coverage_percent=D("50")))
    pay(sv, p.id, "500.00", on=DAY0, method=PaymentMethod.CARD, reference="Visa 4242")
    bounced = pay(sv, p.id, "77.77", on=DAY0 + timedelta(days=3), method=PaymentMethod.CHECK, reference="#1042")
    sv.billing.void_payment(bounced.id, "check returned by the bank")
    pay(sv, p.id, "812.34", on=DAY0 + timedelta(days=9), method=PaymentMethod.INSURANCE, reference="claim 88")
    return p, c


def test_the_statement_reads_back_the_account_and_the_balances_figures(clinic_services, treated, tmp_path, pdf_text):
    p, _ = treated
    account = clinic_services.billing.account(p.id)
    [row] = [r for r in clinic_services.billing.balances() if r.chart_number == "1001"]
    assert (account.charges, account.discounts, account.paid, account.balance) == (
        D("2550.00"), D("255.00"), D("1312.34"), D("982.66"))
    assert row.balance == account.balance and row.charges == account.net_charges and row.payments == account.paid

    path = write_pdf_of(clinic_services.billing.statement_context("1001"), tmp_path / "statement.pdf")
    pages = pdf_text(path)
    text = " ".join(pages)
    assert len(pages) == 2 and all("Page" in pg and "chart 1001" in pg for pg in pages)  # the running footer
    assert "Riverside Spine & Chiropractic" in text and "Tax ID 12-3456789" in text
    assert "Margaret O'Connor" in text and "1001" in text and "Aetna" in text and "W123456789" in text
    assert "HCPCS S9090 vertebral axial decompression, per session" in text
    assert "M51.16 Intervertebral disc disorder with radiculopathy, lumbar region" in text and "M54.16" in text
    # one line per charged session, each with its date, code and amount
    charges = re.findall(r"(\w{3} \d{1,2}, \d{4}) S9090 Spinal decompression, lumbar \(session (\d+)\) \$85\.00", text)
    assert [int(n) for _, n in charges] == list(range(1, 31))
    assert f"10% of {dollars(account.charges)} {MINUS}$255.00" in text
    assert f"Charges for this course {dollars(account.net_charges)}" in text
    # payments: the voided one shown, marked, and not counted
    assert f"Card Visa 4242 {MINUS}$500.00" in text and f"Insurance claim 88 {MINUS}$812.34" in text
    assert "VOIDED not counted: check returned by the bank $77.77" in text
    assert f"Payments received {MINUS}{fmt_dollars(account.paid)}" in text
    # the totals, and the balance due at the top agree with account() and balances()
    assert f"Total charges {dollars(account.charges)}" in text
    assert f"Discounts {MINUS}{fmt_dollars(account.discounts)}" in text
    assert f"Balance due: {dollars(row.balance)}" in pages[0]
    # Aetna pays 50% of the $2,295.00 charged after the discount; $812.34 of its $1,147.50 has arrived
    assert account.insurance_pending == D("335.16")
    assert "Your share once Aetna pays: $647.50" in pages[0] and "expected from Aetna $335.16" in pages[0]
    assert "Expected from Aetna, not yet received $335.16 Your share of the balance $647.50" in text
    assert text.rstrip().count(f"Balance due {dollars(account.balance)}") == 1
    assert PdfReader(path).pages[0].mediabox.width == 612  # Letter, the default paper
    assert [a[:2] for a in audit_actions(clinic_services, "statement")] == [("print", "dr.test")]
    clinic_services.billing.statement_context("1001", audit=False)  # a preview that is not printed
    assert len(audit_actions(clinic_services, "statement")) == 1


def test_the_statement_follows_the_settings_procedure_code_and_paper(clinic_services, treated, tmp_path, pdf_text):
    s = clinic_services.settings.get()
    clinic_services.settings.update(replace(s, procedure_code="97012", paper_size="a4"))
    path = write_pdf_of(clinic_services.billing.statement_context("1001"), tmp_path / "s.pdf")
    text = " ".join(pdf_text(path))
    assert "CPT 97012 mechanical traction" in text and "S9090" not in text
    assert "97012 Spinal decompression, lumbar (session 30) $85.00" in text
    assert round(float(PdfReader(path).pages[0].mediabox.width)) == 595  # A4


def test_a_paid_up_patient_and_one_in_credit(clinic_services, tmp_path, pdf_text):
    p, _ = course_with_sessions(clinic_services, "2001", n=2, fee=D("60.00"))
    pay(clinic_services, p.id, "120.00")
    text = " ".join(pdf_text(write_pdf_of(clinic_services.billing.statement_context("2001"), tmp_path / "a.pdf")))
    assert "Balance due: $0.00 (paid in full)" in text
    pay(clinic_services, p.id, "30.00")
    text = " ".join(pdf_text(write_pdf_of(clinic_services.billing.statement_context("2001"), tmp_path / "b.pdf")))
    assert "Credit balance: $30.00" in text and "Credit balance $30.00" in text
    with pytest.raises(NotFound):
        clinic_services.billing.statement_context("nope")


def test_the_estimate_page_reads_back_the_estimate(clinic_services, treated, tmp_path, pdf_text):
    p, c = treated
    est = clinic_services.billing.estimate(c.id)
    path = write_pdf_of(clinic_services.billing.estimate_context("1001"), tmp_path / "estimate.pdf")
    pages = pdf_text(path)
    text = " ".join(pages)
    assert len(pages) == 1
    assert f"30 sessions \u00d7 $85.00 per session {dollars(est.gross)}" in text
    assert f"Discount for paying the course in advance (10%) {MINUS}{fmt_dollars(est.discount)}" in text
    assert f"Course total after the discount {dollars(est.net)}" in text
    assert f"(partly covered: 50% of the course total) {MINUS}{fmt_dollars(est.insurer_share)}" in text
    assert f"Your expected share {dollars(est.patient_share)}" in text
    assert "Patient's signature" in text and "Tax ID 12-3456789" in text
    assert "HCPCS S9090" in text and "M54.16 Radiculopathy, lumbar region" in text


def test_an_estimate_before_any_course_with_coverage_not_yet_verified(clinic_services, tmp_path, pdf_text):
    p = patient(clinic_services, "3001", "Walt", "Ng")
    clinic_services.billing.set_insurance(p.id, Insurance("Medicare", "1EG4-TE5-MK72"))
    ctx = clinic_services.billing.estimate_context("3001", planned=20, fee=D("75.00"),
                                                   discount=Discount(amount=D("100")), region=Region.CERVICAL)
    assert page_document(printed_page(ctx)).pageCount() >= 1  # the preview's document
    text = " ".join(pdf_text(write_pdf_of(ctx, tmp_path / "e.pdf")))
    assert "Cervical (neck), 20 sessions planned" in text
    assert "20 sessions \u00d7 $75.00 per session $1,500.00" in text
    assert f"(coverage not yet verified: estimated as none) {MINUS}$0.00" not in text  # nothing taken off
    assert "coverage not yet verified: estimated as none) $0.00" in text
    assert "Your expected share $1,400.00" in text
    assert "has not been verified with Medicare yet" in text and "Advance Beneficiary Notice" in text
