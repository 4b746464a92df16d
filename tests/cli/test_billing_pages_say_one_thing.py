"""Issue 17, points 1 and 2, on the printed pages the command line writes: a Medicare estimate says one
thing, from the coverage recorded; a voided payment's statement prints the reason recorded, not an
assumed one."""
from __future__ import annotations

from decimal import Decimal

from decomp_desk.cli import main
from decomp_desk.domain.billing import Insurance
from decomp_desk.domain.types import Coverage
from tests.factories import DAY0
from tests.reports.conftest import pdf_pages_text
from tests.services.billing_helpers import course_with_sessions, pay


def estimate_text(db_url, tmp_path, capsys) -> str:
    assert main(["--database", db_url, "estimate", "1001", "--output", str(tmp_path / "e.pdf")]) == 0
    capsys.readouterr()
    return " ".join(pdf_pages_text(tmp_path / "e.pdf"))


def test_a_medicare_estimate_follows_the_recorded_coverage(services, db_url, tmp_path, capsys):
    p, _ = course_with_sessions(services, "1001", n=0, fee=Decimal("85.00"))
    services.billing.set_insurance(p.id, Insurance("Medicare", "1EG4", Coverage.PARTLY_COVERED,
                                                   coverage_percent=Decimal("36"), coverage_verified_on=DAY0))
    text = estimate_text(db_url, tmp_path, capsys)
    assert "Expected share from Medicare (partly covered: 36% of the course total)" in text
    assert "does not cover" not in text and "Advance Beneficiary Notice" not in text

    services.billing.set_insurance(p.id, Insurance("Medicare", "1EG4", Coverage.NOT_COVERED, coverage_verified_on=DAY0))
    text = estimate_text(db_url, tmp_path, capsys)
    assert "Advance Beneficiary Notice" in text and "Your expected share $2,550.00" in text


def test_a_voided_payment_prints_the_reason_recorded(services, db_url, tmp_path, capsys):
    p, _ = course_with_sessions(services, "1001", n=2, fee=Decimal("85.00"))
    paid = pay(services, p.id, "85.00")
    services.billing.void_payment(paid.id, "Card charge reversed by the bank")
    assert main(["--database", db_url, "statement", "1001", "--output", str(tmp_path / "s.pdf")]) == 0
    text = " ".join(pdf_pages_text(tmp_path / "s.pdf"))
    assert "Card charge reversed by the bank" in text
    assert "entered in error" not in text
