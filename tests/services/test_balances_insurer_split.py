"""Who owes: the insurer's share still expected counts the insurance payments received, as the patient's
account does (both databases)."""
from __future__ import annotations

from decimal import Decimal

from decomp_desk.domain.billing import Insurance
from decomp_desk.domain.types import Coverage, PaymentMethod
from tests.services.billing_helpers import course_with_sessions, pay


def test_insurer_pending_counts_insurance_payments(services):
    p, _ = course_with_sessions(services, "1", n=4, fee=Decimal("100.00"))
    half = Insurance("Aetna", "A", Coverage.PARTLY_COVERED, coverage_percent=Decimal("50"))
    services.billing.set_insurance(p.id, half)
    pay(services, p.id, "30.00", method=PaymentMethod.INSURANCE)
    pay(services, p.id, "20.00")
    (row,) = services.billing.balances()
    account = services.billing.account(p.id)
    assert row.insurer_pending == account.insurance_pending == Decimal("170.00")
    assert row.patient_share == Decimal("180.00") and row.balance == account.balance
