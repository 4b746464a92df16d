"""Property-based checks of money: parse_money round-trips every cents amount and refuses only with
ValidationError; an estimate always adds up to the cent."""
from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.money import Discount, estimate, fmt, fmt_dollars, parse_money
from decomp_desk.domain.types import Coverage

amounts_in_cents = st.integers(min_value=0, max_value=10**9)  # up to money.MAX_AMOUNT


@given(amounts_in_cents)
def test_parse_money_round_trips_every_cents_amount(n):
    value = Decimal(n) / 100
    for text in (fmt(value), fmt_dollars(value), f"{n // 100}.{n % 100:02d}", f"${n // 100:,}.{n % 100:02d}"):
        assert parse_money("amount", text) == value
    if n % 100 == 0:
        assert parse_money("amount", str(n // 100)) == value


money_like = st.text(alphabet="0123456789$,.- +eE\u0663x", max_size=16)


@given(st.one_of(st.text(max_size=30), money_like))
def test_parse_money_refuses_only_with_validation_error(text):
    try:
        value = parse_money("amount", text)
    except ValidationError as err:
        assert set(err.errors) == {"amount"}
    else:
        assert value >= 0 and value == value.quantize(Decimal("0.01"))


fees = st.decimals(min_value=0, max_value=10000, places=2)
percents = st.integers(0, 100).map(Decimal) | st.decimals(min_value=0, max_value=100, places=2)
discounts = st.one_of(st.just(Discount()), st.builds(Discount, percent=percents),
                      st.builds(Discount, amount=st.decimals(min_value=0, max_value=10**6, places=2)))


@settings(max_examples=300)
@example(1, Decimal("33.35"), Coverage.NOT_COVERED, None, None, Discount(percent=Decimal(10)))  # 3.335 off
@given(st.integers(0, 60), fees, st.sampled_from(Coverage), st.none() | percents, st.none() | fees, discounts)
def test_an_estimate_always_adds_up_to_the_cent(sessions, fee, coverage, share_percent, share_amount, discount):
    e = estimate(sessions, fee, coverage, share_percent=share_percent, share_amount=share_amount,
                 discount=discount)
    figures = (e.gross, e.discount, e.net, e.insurer_share, e.patient_share)
    assert all(x == x.quantize(Decimal("0.01")) for x in figures)
    assert e.gross == fee * sessions
    assert e.gross - e.discount == e.net
    assert e.insurer_share + e.patient_share == e.net
    assert Decimal(0) <= e.insurer_share <= e.net and e.patient_share >= 0
    if coverage in (Coverage.NOT_COVERED, Coverage.NOT_VERIFIED):
        assert e.patient_share == e.net
