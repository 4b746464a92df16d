"""The billing rules as plain Python: insurer names, the insurance and payment checks, the course discount."""
from datetime import timedelta
from decimal import Decimal as D

import pytest

from decomp_desk.domain.billing import (
    BalanceRow,
    DiagnosisCode,
    Insurance,
    PaymentInput,
    balance_rows_in_order,
    course_discount,
    normalize_insurer,
    validate_icd_codes,
    validate_insurance,
    validate_payment_input,
)
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.money import Discount, estimate
from decomp_desk.domain.types import Coverage, PaymentMethod
from tests.domain.builders import TODAY


@pytest.mark.parametrize("text, stored", [
    ("", ""), ("  Self-pay ", ""), ("self pay", ""), ("none", ""), ("aetna", "Aetna"),
    ("united healthcare", "UnitedHealthcare"), ("BLUE CROSS BLUE SHIELD", "Blue Cross Blue Shield"),
    ("  Tricare   West ", "Tricare West"),
])
def test_insurer_names(text, stored):
    assert normalize_insurer(text) == stored


def test_not_yet_verified_keeps_no_verifier_and_partly_covered_keeps_its_share():
    clean = validate_insurance(Insurance("Aetna", coverage=Coverage.NOT_VERIFIED, coverage_verified_on=TODAY,
                                         coverage_verified_by="x", coverage_percent=D("50")), TODAY, "Fay")
    assert (clean.coverage_verified_on, clean.coverage_verified_by, clean.coverage_percent) == (None, "", None)
    clean = validate_insurance(Insurance("Aetna", coverage=Coverage.PARTLY_COVERED, coverage_amount=D("35")),
                               TODAY, "Fay")
    assert (clean.coverage_amount, clean.coverage_verified_on, clean.coverage_verified_by) == (D("35"), TODAY, "Fay")
    with pytest.raises(ValidationError) as err:
        validate_insurance(Insurance("", "P-1"), TODAY, "Fay")
    assert set(err.value.errors) == {"policy_number"}


@pytest.mark.parametrize("amount, days, fields", [
    (D("0.01"), 0, set()), (D("999999.99"), 0, set()), (7, 0, set()),
    (D("0"), 0, {"amount"}), (D("-1"), 0, {"amount"}), (D("1.005"), 0, {"amount"}), (D("1000000"), 0, {"amount"}),
    (D("Infinity"), 1, {"amount", "paid_on"}), (1.5, 0, {"amount"}), (D("5"), 1, {"paid_on"}),
])
def test_payment_checks(amount, days, fields):
    data = PaymentInput(TODAY + timedelta(days=days), amount, PaymentMethod.CASH)
    if not fields:
        assert validate_payment_input(data, TODAY).amount == D(amount)
        return
    with pytest.raises(ValidationError) as err:
        validate_payment_input(data, TODAY)
    assert set(err.value.errors) == fields


@pytest.mark.parametrize("discount, charges, off", [
    (Discount(), D("850.00"), D("0.00")),
    (Discount(percent=D("10")), D("850.00"), D("85.00")),
    (Discount(percent=D("12.5")), D("99.99"), D("12.50")),  # rounded once, half up
    (Discount(amount=D("300")), D("170.00"), D("170.00")),  # never more than charged so far
    (Discount(amount=D("300")), D("2550.00"), D("300.00")),
])
def test_the_course_discount(discount, charges, off):
    assert course_discount(discount, charges) == off


def test_the_estimate_and_the_account_agree_once_the_course_is_charged():
    for discount in (Discount(percent=D("7.5")), Discount(amount=D("123.45"))):
        est = estimate(30, D("62.33"), Coverage.NOT_COVERED, discount=discount)
        assert course_discount(discount, D("62.33") * 30) == est.discount


def test_icd_codes_are_checked_row_by_row():
    clean = validate_icd_codes([DiagnosisCode(" m54.2 ", "  Cervicalgia "), DiagnosisCode("M47.816", "Spondylosis")])
    assert [(c.code, c.description) for c in clean] == [("M54.2", "Cervicalgia"), ("M47.816", "Spondylosis")]
    with pytest.raises(ValidationError) as err:
        validate_icd_codes([DiagnosisCode("M54.2", "a"), DiagnosisCode("M54.2", "b"), DiagnosisCode("U07.1", "c")])
    assert set(err.value.errors) == {"row 2 code", "row 3 code"}


def test_balance_rows_go_in_numeric_chart_order_and_print_as_domain_md_says():
    def row(chart, gross="0", off="0", paid="0"):
        return BalanceRow(1, chart, "A", "B", D("85.00"), 3, D(gross), D(off), D(paid))
    assert [r.chart_number for r in balance_rows_in_order([row("1001"), row("B-7"), row("999"), row("A-2")])] == [
        "999", "1001", "A-2", "B-7"]
    assert row("1001", "1275", "127.5", "100").as_json() == {
        "chart_number": "1001", "fee_per_session": "85.00", "sessions_charged": 3, "charges": "1147.50",
        "payments": "100.00", "balance": "1047.50"}
