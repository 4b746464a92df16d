"""Money is exact decimal cents: parsing, formatting, the course estimate and the balance."""
from datetime import timedelta
from decimal import Decimal as D

import pytest

from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.money import (
    Discount,
    balance,
    cents,
    estimate,
    fmt,
    fmt_dollars,
    parse_money,
    validate_fee,
    validate_payment,
)
from decomp_desk.domain.types import Coverage
from tests.domain.builders import TODAY


def money_error(text, **kw) -> str:
    with pytest.raises(ValidationError) as err:
        parse_money("amount", text, **kw)
    assert set(err.value.errors) == {"amount"}
    return err.value.errors["amount"]


@pytest.mark.parametrize("text, value", [
    ("45", D("45")), ("45.5", D("45.50")), ("45.50", D("45.50")), (" 0.99 ", D("0.99")), ("0", D(0)),
    ("$1,275.00", D("1275.00")), ("1275", D(1275)), ("1,000,000.01", D("1000000.01")),
])
def test_parse_money_accepts_dollars_with_at_most_two_decimals(text, value):
    assert parse_money("amount", text) == value


@pytest.mark.parametrize("text", ["45.555", "0.001", "$1,275.000"])
def test_parse_money_refuses_more_than_two_decimals(text):
    assert "more than two decimals" in money_error(text)


@pytest.mark.parametrize("text", ["-5", "-0.01", "-$12.50", "$-12.50"])
def test_parse_money_refuses_a_negative_amount(text):
    assert money_error(text) == "must not be negative"


@pytest.mark.parametrize("text", ["abc", "4 5", "45.", ".5", "1e3", "NaN", "12,50", "1,27", "12,3456", "45,"])
def test_parse_money_refuses_what_is_not_an_amount(text):
    assert "is not an amount of dollars" in money_error(text)


def test_parse_money_requires_a_value_and_can_require_more_than_zero():
    assert money_error("") == "is required" and money_error(None) == "is required"
    assert money_error("0.00", allow_zero=False) == "must be more than zero"
    assert parse_money("amount", "0.01", allow_zero=False) == D("0.01")


def test_formats():
    assert fmt(D("1275")) == "1275.00" and fmt(D("0.005")) == "0.01" and fmt(D("2.675")) == "2.68"
    assert fmt_dollars(D("1275")) == "$1,275.00"
    assert fmt_dollars(D("-12.5")) == "-$12.50"
    assert fmt_dollars(D("1234567.891")) == "$1,234,567.89"
    assert cents(D("0.125")) == D("0.13") and cents(D("-0.125")) == D("-0.13")


def test_validate_fee():
    assert validate_fee("fee", D("20.00")) == D("20.00")
    assert validate_fee("fee", D("10000")) == D("10000")
    for bad in (D("-1"), D("10000.01"), D("45.555")):
        with pytest.raises(ValidationError) as err:
            validate_fee("fee_per_session", bad)
        assert set(err.value.errors) == {"fee_per_session"}


def test_validate_payment_names_every_bad_field():
    validate_payment(D("0.01"), TODAY, TODAY)
    with pytest.raises(ValidationError) as err:
        validate_payment(D("0"), TODAY + timedelta(days=1), TODAY)
    assert set(err.value.errors) == {"amount", "date"}
    for bad in (D("-5"), D("1.001")):
        with pytest.raises(ValidationError) as err:
            validate_payment(bad, TODAY, TODAY)
        assert set(err.value.errors) == {"amount"}


def shares(e):
    return e.gross, e.discount, e.net, e.insurer_share, e.patient_share


@pytest.mark.parametrize("coverage", [Coverage.NOT_VERIFIED, Coverage.NOT_COVERED])
def test_not_covered_and_not_yet_verified_leave_it_all_to_the_patient(coverage):
    e = estimate(30, D("85.00"), coverage, share_percent=D(50), share_amount=D(10))
    assert shares(e) == (D("2550.00"), D("0.00"), D("2550.00"), D("0.00"), D("2550.00"))
    assert (e.sessions, e.fee_per_session, e.coverage) == (30, D("85.00"), coverage)


def test_covered_leaves_nothing_to_the_patient():
    e = estimate(30, D("85.00"), Coverage.COVERED)
    assert shares(e) == (D("2550.00"), D("0.00"), D("2550.00"), D("2550.00"), D("0.00"))


def test_partly_covered_by_percent_rounds_once_at_the_end_half_up():
    # per session 45.55 x 33% = 15.0315 -> 15.03, x 30 = 450.90; on the total 450.945 -> 450.95
    e = estimate(30, D("45.55"), Coverage.PARTLY_COVERED, share_percent=D(33))
    assert shares(e) == (D("1366.50"), D("0.00"), D("1366.50"), D("450.95"), D("915.55"))


def test_partly_covered_by_an_amount_per_session_is_capped_at_the_net():
    e = estimate(30, D("60.00"), Coverage.PARTLY_COVERED, share_amount=D("25.00"))
    assert (e.insurer_share, e.patient_share) == (D("750.00"), D("1050.00"))
    capped = estimate(10, D("20.00"), Coverage.PARTLY_COVERED, share_amount=D("25.00"))
    assert (capped.insurer_share, capped.patient_share) == (D("200.00"), D("0.00"))


def test_partly_covered_without_a_share_is_estimated_as_not_covered():
    e = estimate(30, D("60.00"), Coverage.PARTLY_COVERED)
    assert (e.insurer_share, e.patient_share) == (D("0.00"), D("1800.00"))


def test_a_percent_discount_comes_off_before_the_insurer_share():
    e = estimate(30, D("50.00"), Coverage.PARTLY_COVERED, share_percent=D(40), discount=Discount(percent=D(10)))
    assert shares(e) == (D("1500.00"), D("150.00"), D("1350.00"), D("540.00"), D("810.00"))


def test_an_amount_discount_comes_off_the_whole_course_and_never_below_zero():
    e = estimate(30, D("50.00"), Coverage.NOT_COVERED, discount=Discount(amount=D("199.99")))
    assert shares(e) == (D("1500.00"), D("199.99"), D("1300.01"), D("0.00"), D("1300.01"))
    free = estimate(2, D("50.00"), Coverage.NOT_COVERED, discount=Discount(amount=D(500)))
    assert (free.discount, free.net, free.patient_share) == (D("100.00"), D("0.00"), D("0.00"))


def test_a_half_cent_discount_rounds_half_up_and_the_estimate_still_adds_up():
    # 33.35 x 10% = 3.335 -> 3.34 off; the net is what remains, 30.01 (not 30.015 rounded to 30.02)
    e = estimate(1, D("33.35"), Coverage.NOT_COVERED, discount=Discount(percent=D(10)))
    assert shares(e) == (D("33.35"), D("3.34"), D("30.01"), D("0.00"), D("30.01"))


def test_discount_of_is_between_zero_and_the_gross():
    assert Discount().of(D(100)) == D(0)
    assert Discount(percent=D(150)).of(D(100)) == D(100)
    assert Discount(amount=D(-5)).of(D(100)) == D(0)
    assert Discount(percent=D("12.5")).of(D(100)) == D("12.5")


def test_balance_is_charges_less_payments_in_cents():
    assert balance([D("85.00")] * 3, [D("100"), D("50.5")]) == (D("255.00"), D("150.50"), D("104.50"))
    assert balance([], []) == (D("0.00"), D("0.00"), D("0.00"))
    assert balance([D(40)], [D(60)]) == (D("40.00"), D("60.00"), D("-20.00"))
    assert all(str(x).endswith(".00") for x in balance([D(40)], [D(60)]))
