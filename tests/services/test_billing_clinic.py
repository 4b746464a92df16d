"""The clinic-wide money figures: `balances` (who owes what) and a month's totals, on both databases."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import event

from decomp_desk.domain.course_input import CourseInput
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.types import CourseStatus, PaymentMethod, Region
from tests.factories import patient, screening, session
from tests.services.billing_helpers import course_with_sessions, pay

MAR2 = date(2026, 3, 2)


def clinic(services):
    """Four patients: 1001 owes, 999 is paid up with a discount, 1002 paid ahead (credit), 1003 only a course."""
    owes, _ = course_with_sessions(services, "1001", n=15, fee=D("85.00"), first="Ann", last="Lee")  # $1,275.00
    pay(services, owes.id, "300.00", on=MAR2)
    paid_up, c = course_with_sessions(services, "999", n=4, fee=D("50.00"), first="Cy", last="Oz",
                                      discount_percent=D("10"))  # 200 - 20
    pay(services, paid_up.id, "180.00", on=MAR2)
    void_me = pay(services, paid_up.id, "99.99", on=MAR2)
    services.billing.void_payment(void_me.id, "entered twice")
    ahead = patient(services, "1002", "Bo", "Ng")
    pay(services, ahead.id, "500.00", on=MAR2, method=PaymentMethod.CHECK)
    idle = patient(services, "1003", "Di", "Xu")
    services.screenings.record(idle.id, screening(MAR2, xray_on=MAR2))
    services.courses.open(idle.id, CourseInput(Region.LUMBAR, MAR2, 30, D("85.00")))
    return owes, paid_up, ahead


def test_balances_lists_everyone_with_a_charge_or_payment_in_chart_order(services):
    owes, paid_up, ahead = clinic(services)
    rows = services.billing.balances()
    assert [r.as_json() for r in rows] == [
        {"chart_number": "999", "fee_per_session": "50.00", "sessions_charged": 4, "charges": "180.00",
         "payments": "180.00", "balance": "0.00"},
        {"chart_number": "1001", "fee_per_session": "85.00", "sessions_charged": 15, "charges": "1275.00",
         "payments": "300.00", "balance": "975.00"},
        {"chart_number": "1002", "fee_per_session": None, "sessions_charged": 0, "charges": "0.00",
         "payments": "500.00", "balance": "-500.00"},
    ]
    by_chart = {r.chart_number: r for r in rows}
    assert by_chart["999"].gross_charges == D("200.00") and by_chart["999"].discounts == D("20.00")
    assert by_chart["1001"].name == "Lee, Ann" and by_chart["1001"].last_activity == MAR2 + timedelta(days=28)
    # the same figures as each patient's account
    for r in rows:
        a = services.billing.account(r.patient_id)
        assert (r.charges, r.payments, r.balance, r.sessions_charged) == (a.net_charges, a.paid, a.balance,
                                                                          a.sessions_charged)


def test_the_fee_shown_is_the_current_courses(services):
    p, lumbar = course_with_sessions(services, n=2, fee=D("85.00"))
    services.courses.set_status(lumbar.id, CourseStatus.COMPLETED, on=MAR2 + timedelta(days=5))
    services.screenings.record(p.id, screening(MAR2 + timedelta(days=6), region=Region.CERVICAL))
    cervical = services.courses.open(p.id, CourseInput(Region.CERVICAL, MAR2 + timedelta(days=6), 20, D("65.00")))
    services.sessions.record(cervical.id, session(MAR2 + timedelta(days=6)))
    [row] = services.billing.balances()
    assert (row.fee_per_session, row.sessions_charged, row.charges) == (D("65.00"), 3, D("235.00"))


def test_balances_costs_the_same_few_queries_for_any_number_of_patients(services):
    engine = services.ctx.Session.kw["bind"]
    statements = []

    def count(*_):
        statements.append(1)

    course_with_sessions(services, "1", n=2)
    event.listen(engine, "before_cursor_execute", count)
    try:
        services.billing.balances()
        few = len(statements)
        event.remove(engine, "before_cursor_execute", count)
        for chart in ("2", "3", "4", "5"):
            p, _ = course_with_sessions(services, chart, n=2)
            pay(services, p.id, "10")
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        assert len(services.billing.balances()) == 5
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == few <= 4


def test_month_totals_charged_received_and_outstanding_at_the_months_end(services):
    # Ann: a $300 discount on a course at $100 a session, two sessions in March, three in April.
    ann, c = course_with_sessions(services, "1001", n=2, fee=D("100.00"), start=date(2026, 3, 28),
                                  every=2, discount_amount=D("300"))
    for day in (3, 6, 8):
        services.sessions.record(c.id, session(date(2026, 4, day)))
    pay(services, ann.id, "50.00", on=date(2026, 3, 30))
    pay(services, ann.id, "25.00", on=date(2026, 4, 2))
    bounced = pay(services, ann.id, "40.00", on=date(2026, 4, 3))
    services.billing.void_payment(bounced.id, "bounced")
    # Bo: two sessions at $85 in March, paid $200 (a $30 credit at the end of March).
    bo, _ = course_with_sessions(services, "1002", n=2, fee=D("85.00"), start=date(2026, 3, 10))
    pay(services, bo.id, "200.00", on=date(2026, 3, 12))

    march = services.billing.month_totals(2026, 3)
    assert (march.sessions, march.charged, march.discounts, march.net_charged) == (
        4, D("370.00"), D("200.00"), D("170.00"))  # Ann's discount is credited up to her $200 of March charges
    assert march.received == D("250.00")
    # at the end of March Ann owes 200 - 200 - 50 = -50 (credit), Bo -30 (credit): nobody owes
    assert (march.outstanding, march.patients_owing) == (D("0"), 0)

    april = services.billing.month_totals(2026, 4)
    assert (april.sessions, april.charged, april.discounts, april.received) == (
        3, D("300.00"), D("100.00"), D("25.00"))  # the voided $40 is not received
    # end of April: Ann 500 - 300 - 75 = 125; Bo still a $30 credit (does not offset Ann's debt)
    assert (april.outstanding, april.patients_owing) == (D("125.00"), 1)
    assert services.billing.account(ann.id).balance == D("125.00")

    empty = services.billing.month_totals(2025, 12)
    assert (empty.sessions, empty.charged, empty.received, empty.outstanding) == (0, D("0"), D("0"), D("0"))


def test_month_totals_refuses_a_month_that_is_not_one(services):
    with pytest.raises(ValidationError) as err:
        services.billing.month_totals(2026, 13)
    assert set(err.value.errors) == {"month"}
