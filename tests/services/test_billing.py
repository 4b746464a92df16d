"""Insurance, estimates, charges, payments and the account, through the services, on SQLite and PostgreSQL."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal as D

import pytest

from decomp_desk.domain.billing import Insurance, PaymentInput
from decomp_desk.domain.course_input import CourseInput
from decomp_desk.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from decomp_desk.domain.money import Discount
from decomp_desk.domain.types import Coverage, PaymentMethod, Region, Role
from tests.factories import DAY0, patient, screening, session
from tests.services.billing_helpers import audit_actions, course_with_sessions, pay, services_as


def fields(err) -> set[str]:
    return set(err.value.errors)


# --- insurance -----------------------------------------------------------------------------------------

def test_insurance_is_recorded_with_who_verified_it_and_audited(services):
    p = patient(services)
    detail = services.billing.set_insurance(
        p.id, Insurance(" blue cross  blue shield ", "XQ-1234", Coverage.PARTLY_COVERED, coverage_percent=D("40"),
                        coverage_notes="Spoke to Pat; ref 77"), p.version)
    assert detail.insurer == "Blue Cross Blue Shield" and detail.policy_number == "XQ-1234"
    assert detail.coverage is Coverage.PARTLY_COVERED and detail.coverage_percent == D("40.00")
    assert detail.coverage_verified_on == services.ctx.today()
    assert detail.coverage_verified_by == "Dr. Test Clinician"  # defaults to whoever records it
    assert services.billing.insurance(p.id).coverage_text() == "Partly covered: 40% of each session"
    assert audit_actions(services, "patient")[-1][:2] == ("update_insurance", "dr.test")
    with pytest.raises(Conflict):  # saved from a stale copy
        services.billing.set_insurance(p.id, Insurance("Aetna"), p.version)


def test_a_plan_share_is_kept_only_for_partly_covered_and_self_pay_has_no_coverage(services):
    p = patient(services)
    d = services.billing.set_insurance(p.id, Insurance("Humana", "H1", Coverage.COVERED, coverage_percent=D("40"),
                                                       coverage_verified_by="Front Desk Fay"))
    assert d.coverage_percent is None and d.coverage_verified_by == "Front Desk Fay"
    d = services.billing.set_insurance(p.id, Insurance("self-pay"))
    assert d.insurer == "" and d.coverage is Coverage.NOT_VERIFIED and d.coverage_verified_on is None
    with pytest.raises(ValidationError) as err:
        services.billing.set_insurance(p.id, Insurance("", "", Coverage.COVERED))
    assert fields(err) == {"coverage"}


def test_insurance_refusals_name_their_fields(services):
    p = patient(services)
    future = services.ctx.today() + timedelta(days=1)
    cases = [
        (Insurance("Aetna", coverage=Coverage.PARTLY_COVERED, coverage_percent=D("100.5")), {"coverage_percent"}),
        (Insurance("Aetna", coverage=Coverage.PARTLY_COVERED, coverage_percent=D("-1")), {"coverage_percent"}),
        (Insurance("Aetna", coverage=Coverage.PARTLY_COVERED, coverage_amount=D("-5")), {"coverage_amount"}),
        (Insurance("Aetna", coverage=Coverage.PARTLY_COVERED, coverage_amount=D("12.345")), {"coverage_amount"}),
        (Insurance("Aetna", coverage=Coverage.PARTLY_COVERED), {"coverage_percent"}),
        (Insurance("Aetna", coverage=Coverage.PARTLY_COVERED, coverage_percent=D("50"), coverage_amount=D("5")),
         {"coverage_amount"}),
        (Insurance("Aetna", coverage=Coverage.COVERED, coverage_verified_on=future), {"coverage_verified_on"}),
    ]
    for data, expected in cases:
        with pytest.raises(ValidationError) as err:
            services.billing.set_insurance(p.id, data)
        assert fields(err) == expected, data
    assert services.billing.insurance(p.id) == Insurance()  # nothing was written


def test_only_the_front_desk_or_an_administrator_handles_money(db_url, services):
    p, c = course_with_sessions(services, n=1)
    clinician = services_as(db_url, Role.CLINICIAN)
    desk = services_as(db_url, Role.FRONT_DESK, username="fay")
    try:
        with pytest.raises(PermissionDenied):
            clinician.billing.set_insurance(p.id, Insurance("Aetna"))
        with pytest.raises(PermissionDenied):
            pay(clinician, p.id, "10")
        with pytest.raises(PermissionDenied):
            desk.billing.set_icd_codes([])
        paid = pay(desk, p.id, "10")
        desk.billing.void_payment(paid.id, "typo", paid.version)
        assert clinician.billing.account(p.id).balance == D("85.00")  # anyone may look
    finally:
        clinician.dispose()
        desk.dispose()


# --- estimates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("insurance, insurer_share", [
    (Insurance("Aetna", coverage=Coverage.NOT_VERIFIED), D("0.00")),  # estimated as not covered
    (Insurance("Aetna", coverage=Coverage.NOT_COVERED), D("0.00")),
    (Insurance("Aetna", coverage=Coverage.COVERED), D("2295.00")),
    (Insurance("Aetna", coverage=Coverage.PARTLY_COVERED, coverage_percent=D("33.33")), D("764.92")),
    (Insurance("Aetna", coverage=Coverage.PARTLY_COVERED, coverage_amount=D("40")), D("1200.00")),
    (Insurance("Aetna", coverage=Coverage.PARTLY_COVERED, coverage_amount=D("90")), D("2295.00")),  # up to the total
    (Insurance(""), D("0.00")),
])
def test_estimate_with_each_coverage_and_a_percent_discount(services, insurance, insurer_share):
    p = patient(services)
    services.screenings.record(p.id, screening())
    services.billing.set_insurance(p.id, insurance)
    c = services.courses.open(p.id, CourseInput(Region.LUMBAR, DAY0, 30, D("85.00"), discount_percent=D("10")))
    est = services.billing.estimate(c.id)
    assert (est.sessions, est.fee_per_session, est.gross, est.discount, est.net) == (
        30, D("85.00"), D("2550.00"), D("255.00"), D("2295.00"))
    assert est.insurer_share == insurer_share
    assert est.patient_share == D("2295.00") - insurer_share
    assert services.billing.estimate_for(p.id, 30, D("85.00"), Discount(percent=D("10"))) == est


def test_estimate_with_an_amount_discount_and_for_a_course_not_yet_opened(services):
    p = patient(services)
    services.billing.set_insurance(p.id, Insurance("Cigna", coverage=Coverage.PARTLY_COVERED, coverage_percent=D("50")))
    services.screenings.record(p.id, screening(region=Region.CERVICAL))
    c = services.courses.open(p.id, CourseInput(Region.CERVICAL, DAY0, 24, D("62.50"), discount_amount=D("100")))
    est = services.billing.estimate(c.id)
    assert (est.gross, est.discount, est.net, est.insurer_share, est.patient_share) == (
        D("1500.00"), D("100.00"), D("1400.00"), D("700.00"), D("700.00"))
    default = services.billing.estimate_for(p.id)  # the settings' 30 sessions at $85.00
    assert (default.sessions, default.fee_per_session, default.gross, default.patient_share) == (
        30, D("85.00"), D("2550.00"), D("1275.00"))


def test_a_negative_fee_is_refused_by_name(services):
    p = patient(services)
    with pytest.raises(ValidationError) as err:
        services.billing.estimate_for(p.id, 30, D("-85.00"))
    assert fields(err) == {"fee_per_session"}
    with pytest.raises(ValidationError) as err:
        services.courses.open(p.id, CourseInput(Region.LUMBAR, DAY0, 30, D("-1")))
    assert fields(err) == {"fee_per_session"}
    with pytest.raises(ValidationError) as err:
        services.billing.estimate_for(p.id, 30, D("85"), Discount(percent=D("120")))
    assert fields(err) == {"discount_percent"}


# --- charges and the account -------------------------------------------------------------------------------

def test_each_session_is_charged_the_course_fee_of_its_day(services):
    p, c = course_with_sessions(services, n=2, fee=D("85.00"))
    services.courses.update(c.id, CourseInput(Region.LUMBAR, DAY0, 30, D("95.00")), c.version)
    services.sessions.record(c.id, session(DAY0 + timedelta(days=10)))
    a = services.billing.account(p.id)
    assert [(x.number, x.date, x.code, x.amount) for x in a.charge_lines] == [
        (1, DAY0, "S9090", D("85.00")), (2, DAY0 + timedelta(days=2), "S9090", D("85.00")),
        (3, DAY0 + timedelta(days=10), "S9090", D("95.00"))]
    assert a.charge_lines[0].description == "Spinal decompression, lumbar (session 1)"
    assert (a.charges, a.discounts, a.paid, a.balance) == (D("265.00"), D("0"), D("0"), D("265.00"))


def test_a_percent_discount_is_taken_off_the_course_charges_rounded_once(services):
    # 3 x $33.33 = $99.99; 12.5% of it is 12.49875 -> $12.50 (per session it would be 3 x $4.17 = $12.51)
    p, c = course_with_sessions(services, n=3, fee=D("33.33"), discount_percent=D("12.5"))
    a = services.billing.account(p.id)
    course = a.courses[0]
    assert (course.charged, course.discount_amount, course.net) == (D("99.99"), D("12.50"), D("87.49"))
    assert course.discount_description() == "Discount for paying the course in advance: 12.5% of $99.99"
    assert a.balance == D("87.49")


def test_an_amount_discount_is_credited_once_up_to_the_charges_so_far(services):
    p, c = course_with_sessions(services, n=2, fee=D("85.00"), discount_amount=D("300"))
    assert services.billing.account(p.id).courses[0].discount_amount == D("170.00")  # not more than charged
    for i in range(2, 5):
        services.sessions.record(c.id, session(DAY0 + timedelta(days=2 * i)))
    a = services.billing.account(p.id)
    assert (a.charges, a.discounts, a.balance) == (D("425.00"), D("300.00"), D("125.00"))
    # every planned session charged at the fee: the account's discount is the estimate's
    est = services.billing.estimate(c.id)
    assert est.discount == D("300.00")


def test_the_insurers_expected_share_of_the_charges_so_far_is_shown_until_it_pays(services):
    p, c = course_with_sessions(services, n=4, fee=D("85.00"), discount_amount=D("40"))  # 340 - 40 = 300
    services.billing.set_insurance(p.id, Insurance("Aetna", coverage=Coverage.PARTLY_COVERED,
                                                   coverage_amount=D("30")))
    a = services.billing.account(p.id)
    assert (a.balance, a.insurance_expected, a.insurance_pending) == (D("300.00"), D("120.00"), D("120.00"))
    pay(services, p.id, "100.00", method=PaymentMethod.INSURANCE)
    pay(services, p.id, "150.00", method=PaymentMethod.CARD)
    a = services.billing.account(p.id)
    assert (a.balance, a.insurance_pending) == (D("50.00"), D("20.00"))
    pay(services, p.id, "50.00", method=PaymentMethod.CHECK)
    assert services.billing.account(p.id).insurance_pending == D("0")  # never more than the balance


def test_the_account_has_every_course_its_codes_and_payments_by_date(services):
    p, lumbar = course_with_sessions(services, n=1, icd10_codes=("M51.16", "Z99.9"))
    services.courses.set_status(lumbar.id, lumbar.status.__class__("completed"), on=DAY0 + timedelta(days=1))
    pay(services, p.id, "20.00", on=DAY0 + timedelta(days=3), method=PaymentMethod.CHECK, reference="#1042")
    pay(services, p.id, "10.00", on=DAY0 + timedelta(days=1))
    a = services.billing.account(p.id)
    assert [d.text for d in a.courses[0].diagnoses] == [
        "M51.16 Intervertebral disc disorder with radiculopathy, lumbar region", "Z99.9"]
    assert [(x.paid_on, x.amount, x.method, x.reference) for x in a.payments] == [
        (DAY0 + timedelta(days=1), D("10.00"), PaymentMethod.CASH, ""),
        (DAY0 + timedelta(days=3), D("20.00"), PaymentMethod.CHECK, "#1042")]
    assert a.balance == D("55.00") and a.patient_version == services.patients.get(p.id).version
    with pytest.raises(NotFound):
        services.billing.account(999999)


# --- payments --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("amount, days, expected", [
    ("0", 0, {"amount"}), ("0.00", 0, {"amount"}), ("-5.00", 0, {"amount"}), ("12.345", 0, {"amount"}),
    ("10.00", 1, {"paid_on"}), ("0", 3, {"amount", "paid_on"}), ("NaN", 0, {"amount"}),
])
def test_payment_refusals_name_the_field_and_write_nothing(services, amount, days, expected):
    p = patient(services)
    with pytest.raises(ValidationError) as err:
        services.billing.record_payment(
            p.id, PaymentInput(services.ctx.today() + timedelta(days=days), D(amount), PaymentMethod.CARD))
    assert fields(err) == expected
    assert services.billing.payments(p.id) == []


def test_a_payment_method_may_be_given_as_its_word_and_a_course_must_be_the_patients(services):
    p, c = course_with_sessions(services, n=1)
    other = patient(services, "1002", "Bo", "Ng")
    paid = services.billing.record_payment(p.id, PaymentInput(DAY0, D("5"), "insurance", " claim 9 ", c.id))
    assert paid.method is PaymentMethod.INSURANCE and paid.reference == "claim 9" and paid.course_id == c.id
    with pytest.raises(ValidationError) as err:
        services.billing.record_payment(other.id, PaymentInput(DAY0, D("5"), PaymentMethod.CASH, course_id=c.id))
    assert fields(err) == {"course_id"}
    with pytest.raises(ValidationError) as err:
        services.billing.record_payment(p.id, PaymentInput(DAY0, D("5"), "bitcoin"))
    assert fields(err) == {"method"}


def test_void_then_balance(services):
    p, c = course_with_sessions(services, n=3)  # $255.00
    first = pay(services, p.id, "100.00")
    second = pay(services, p.id, "50.00", method=PaymentMethod.CHECK)
    assert services.billing.account(p.id).balance == D("105.00")
    voided = services.billing.void_payment(second.id, "  check   bounced ", second.version)
    assert voided.voided and voided.voided_by == "dr.test" and voided.void_reason == "check bounced"
    assert voided.voided_at is not None
    a = services.billing.account(p.id)
    assert [(x.id, x.voided) for x in a.payments] == [(first.id, False), (second.id, True)]  # still shown
    assert (a.paid, a.balance) == (D("100.00"), D("155.00"))
    assert a.insurance_pending == D("0")  # coverage not yet verified: nothing expected from an insurer
    with pytest.raises(ValidationError, match="already voided") as err:
        services.billing.void_payment(second.id, "again")
    assert fields(err) == {"payment"}
    with pytest.raises(ValidationError) as err:
        services.billing.edit_payment(second.id, voided.as_input())
    assert fields(err) == {"payment"}
    with pytest.raises(ValidationError) as err:
        services.billing.void_payment(first.id, "   ")
    assert fields(err) == {"reason"}
    assert [a for a, _, _ in audit_actions(services, "payment")] == ["create", "create", "void"]
    assert "check bounced" in audit_actions(services, "payment")[-1][2]


def test_editing_a_payment_revalidates_is_audited_and_guards_the_version(services):
    p, c = course_with_sessions(services, n=1)
    paid = pay(services, p.id, "50.00")
    edited = services.billing.edit_payment(paid.id, replace(paid.as_input(), amount=D("60.00")), paid.version)
    assert edited.amount == D("60.00") and edited.version == paid.version + 1
    assert services.billing.account(p.id).balance == D("25.00")
    with pytest.raises(Conflict):
        services.billing.edit_payment(paid.id, paid.as_input(), paid.version)
    with pytest.raises(ValidationError) as err:
        services.billing.edit_payment(paid.id, replace(paid.as_input(), amount=D("60.001")), edited.version)
    assert fields(err) == {"amount"}
    assert audit_actions(services, "payment")[-1][2] == f"50.00 cash on {DAY0} -> 60.00 cash on {DAY0}"
    with pytest.raises(NotFound):
        services.billing.void_payment(999999, "x")


# --- the ICD-10-CM short list ------------------------------------------------------------------------------

def test_the_icd_list_ships_lumbar_and_cervical_defaults_and_the_clinic_edits_it(services):
    lumbar = [c.code for c in services.billing.icd_codes(Region.LUMBAR)]
    cervical = [c.code for c in services.billing.icd_codes(Region.CERVICAL)]
    assert {"M51.16", "M51.26", "M54.16", "M54.17", "M54.30", "M54.41", "M47.816"} <= set(lumbar)
    assert "M54.2" in cervical and "M54.2" not in lumbar and "M51.16" not in cervical
    codes = services.billing.icd_codes()
    kept = [c for c in codes if c.code != "M54.30"]
    new = replace(kept[0], code="m51.17", description="Intervertebral disc disorder with radiculopathy, "
                                                      "lumbosacral region")
    saved = services.billing.set_icd_codes(kept + [new])
    assert {c.code: c.active for c in saved}["M54.30"] is False  # kept, for courses that carry it
    assert "M54.30" not in [c.code for c in services.billing.icd_codes()]
    assert "M51.17" in [c.code for c in services.billing.icd_codes(Region.LUMBAR)]
    with pytest.raises(ValidationError) as err:
        services.billing.set_icd_codes(kept + [replace(new, code="5116"), replace(new, code="M54.2", description="")])
    assert fields(err) == {f"row {len(kept) + 1} code", f"row {len(kept) + 2} code", f"row {len(kept) + 2} description"}
