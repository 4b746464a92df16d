"""Arbitrary input to every saving service: it is saved, or refused with ValidationError (NotCleared for a
session the screening rules forbid) naming fields, and then the database is exactly as before. Never
any other exception, never a partial write. SQLite only, modest example counts: this runs in every suite.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from decomp_desk.bootstrap import open_services
from decomp_desk.domain.billing import Insurance, PaymentInput
from decomp_desk.domain.course_input import CourseInput
from decomp_desk.domain.errors import NotCleared, ValidationError
from decomp_desk.domain.screening_input import ScreeningInput
from decomp_desk.domain.types import (
    AdverseEvent,
    Condition,
    Contraindication,
    Coverage,
    PaymentMethod,
    Position,
    Region,
    Role,
    Scores,
    TableMode,
)
from decomp_desk.domain.validation import PatientInput, SessionInput
from tests.conftest import CLINICIAN
from tests.factories import DAY0, cleared_patient_with_course

TODAY = date(2026, 6, 1)
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TABLES = ("patients", "screenings", "courses", "treatment_sessions", "payments", "users", "clinic_settings",
          "icd_codes", "audit_events")

def mostly(good, wild):
    """Nine times in ten a plausible value, else anything: so that whole inputs are often valid (and saved)
    while every field still meets garbage."""
    return st.integers(0, 9).flatmap(lambda n: wild if n == 0 else good)


texts = st.text(max_size=40) | st.sampled_from(["", " ", "x" * 500, "Ann\x00", "O'Brien; DROP TABLE patients"])
words = st.text(st.characters(whitelist_categories=("L", "Zs"), max_codepoint=0x2FFF), min_size=1, max_size=30)
short = mostly(st.just("") | words, texts)
dates = st.dates(min_value=date(1800, 1, 1), max_value=date(2100, 12, 31)) | st.sampled_from([TODAY, DAY0])
past = mostly(st.dates(min_value=DAY0, max_value=TODAY), dates)
maybe_dates = st.none() | dates
ints = st.integers(min_value=-(2 ** 63), max_value=2 ** 63) | st.integers(min_value=-5, max_value=250)
small = lambda lo, hi: mostly(st.integers(lo, hi), ints)
decimals = (st.decimals(allow_nan=True, allow_infinity=True)
            | st.decimals(min_value=-1000, max_value=100000, places=3)
            | st.sampled_from([Decimal("85"), Decimal("0"), Decimal("0.01"), Decimal("NaN"), Decimal("-Infinity")]))
money = mostly(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("2000"), places=2), decimals)
maybe_decimals = st.none() | decimals


def snapshot(services) -> tuple:
    """Every table's row count and version total: any write shows."""
    with services.ctx.unit_of_work() as s:
        counts = tuple(s.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in TABLES)
        versions = tuple(s.execute(text(f"SELECT coalesce(sum(version), 0) FROM {t}")).scalar()
                         for t in TABLES[:7])
    return counts + versions


@pytest.fixture
def world(sqlite_url):
    """One cleared patient with an open course, acting as a clinician holding every role, on a fixed day."""
    sv = open_services(sqlite_url, CLINICIAN, today=lambda: TODAY)
    sv.accounts.hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # quick hashes
    p, course = cleared_patient_with_course(sv)
    yield sv, p, course
    sv.dispose()


def saved_or_refused(services, call, refusals=(ValidationError,)) -> bool:
    """True when saved; on a refusal, asserts the database did not change."""
    before = snapshot(services)
    try:
        call()
    except refusals as e:
        assert str(e), "a refusal says why"
        if isinstance(e, ValidationError):
            assert e.errors and all(isinstance(k, str) and v for k, v in e.errors.items())
        assert snapshot(services) == before, f"refused ({e}) but the database changed"
        return False
    assert snapshot(services) != before, "reported saved but nothing was written"
    return True


patients = st.builds(
    PatientInput, chart_number=mostly(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9\-_/.]{0,12}", fullmatch=True), texts),
    first_name=mostly(words, texts), last_name=mostly(words, texts),
    date_of_birth=mostly(st.none() | st.dates(date(1900, 1, 1), TODAY), dates),
    sex=mostly(st.sampled_from(["", "F", "M", "X"]), st.sampled_from(["f", "Q", "female"]) | texts),
    phone=mostly(st.just("") | st.from_regex(r"\(?[0-9]{3}\)? ?[0-9]{3}-[0-9]{4}", fullmatch=True),
                 texts | st.from_regex(r"[0-9+() .-]{5,30}", fullmatch=True)),
    email=mostly(st.just("") | st.emails().filter(lambda e: len(e) < 100), texts),
    address=short, insurer=short, policy_number=short, notes=short,
)


screenings = st.builds(
    ScreeningInput, screened_on=past, xray_on=st.none() | past, xray_abnormal=mostly(st.just(False), st.just(True)),
    region=st.sampled_from(Region), contraindications=st.frozensets(st.sampled_from(Contraindication)),
    conditions=st.frozensets(st.sampled_from(Condition)), xray_finding=short, screened_by=short, notes=short,
)


courses = st.builds(
    CourseInput, region=st.sampled_from(Region), start_date=past, planned_sessions=st.none() | small(1, 200),
    fee_per_session=st.none() | money, conditions=st.frozensets(st.sampled_from(Condition)),
    icd10_codes=st.lists(mostly(st.sampled_from(["M51.16", "M54.2"]), texts), max_size=3).map(tuple),
    discount_percent=mostly(st.none(), decimals), discount_amount=mostly(st.none(), decimals), notes=short,
)


payments = st.builds(
    PaymentInput, paid_on=past, amount=money, method=mostly(st.sampled_from(PaymentMethod), texts),
    reference=short, course_id=mostly(st.none(), st.integers(min_value=-3, max_value=5)),
)


insurances = st.builds(
    Insurance, insurer=mostly(st.sampled_from(["Aetna", "Humana", "self pay"]), texts), policy_number=short,
    coverage=st.sampled_from(Coverage), coverage_percent=mostly(st.none() | st.decimals(0, 100, places=2), decimals),
    coverage_amount=mostly(st.none(), decimals), coverage_verified_on=st.none() | past, coverage_verified_by=short,
    coverage_notes=short,
)


scores = st.builds(Scores, small(0, 10), small(0, 10), small(0, 10))
forces = st.none() | mostly(st.decimals(0, 200, places=1), decimals)
sessions = st.builds(
    SessionInput, date=past, start_time=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    duration_min=small(1, 120), position=st.sampled_from(Position), before=scores, after=st.none() | scores,
    harness=st.booleans(), max_force_lb=forces, mode=st.none() | st.sampled_from(TableMode),
    min_force_lb=mostly(st.none(), decimals), hold_s=st.none() | small(0, 120), rest_s=st.none() | small(0, 120),
    progressive_steps=st.none() | small(0, 10), regressive_steps=st.none() | small(0, 10),
    cycles=st.none() | small(0, 50), angle_deg=mostly(st.none() | st.decimals(-30, 30, places=1), decimals),
    stop_button=st.booleans(), stop_minute=mostly(st.none(), ints),
    adverse_events=st.frozensets(st.sampled_from(AdverseEvent)), adverse_notes=short, notes=short, clinician=short,
)


settings_changes = st.fixed_dictionaries({
    "name": mostly(words, texts), "default_fee": money, "default_planned_sessions": small(1, 200),
    "procedure_code": mostly(st.sampled_from(["S9090", "97012", "97799"]), texts),
    "paper_size": mostly(st.sampled_from(["letter", "a4"]), st.sampled_from(["A4", ""]) | texts),
    "idle_lock_minutes": small(1, 240), "backup_retention": small(1, 365),
})
accounts = st.tuples(
    mostly(st.from_regex(r"[a-z][a-z0-9.]{0,12}", fullmatch=True), texts), short,
    mostly(st.lists(st.sampled_from(list(Role)), min_size=1, max_size=3),
           st.lists(st.sampled_from(list(Role)) | texts, max_size=3)),
    mostly(st.text(min_size=8, max_size=30), texts),
)

# Each saving service: the input it takes, and the saves to try with one drawn value (sv, patient, course, value).
# A session may also be refused as NotCleared (dated before the screening, say).
CASES = {
    "patient": (patients, lambda sv, p, c, d: [lambda: sv.patients.create(d), lambda: sv.patients.update(p.id, d)]),
    "screening": (screenings, lambda sv, p, c, d: [lambda: sv.screenings.record(p.id, d)]),
    "course": (courses, lambda sv, p, c, d: [lambda: sv.courses.open(p.id, d), lambda: sv.courses.update(c.id, d)]),
    "payment": (payments, lambda sv, p, c, d: [lambda: sv.billing.record_payment(p.id, d)]),
    "insurance": (insurances, lambda sv, p, c, d: [lambda: sv.billing.set_insurance(p.id, d)]),
    "session": (sessions, lambda sv, p, c, d: [lambda: sv.sessions.record(c.id, d)]),
    "settings": (settings_changes, lambda sv, p, c, d: [lambda: sv.settings.update(replace(sv.settings.get(), **d))]),
    "account": (accounts, lambda sv, p, c, d: [lambda: sv.accounts.create_user(*d)]),
}


@pytest.mark.parametrize("kind", list(CASES))
@SETTINGS
@given(data=st.data())
def test_any_input_is_saved_or_refused_whole(world, kind, data):
    sv, p, course = world
    strategy, saves = CASES[kind]
    # A session, or a course (opened on a day the patient is not cleared for its region), may be NotCleared.
    refusals = (ValidationError, NotCleared) if kind in ("session", "course") else (ValidationError,)
    for save in saves(sv, p, course, data.draw(strategy, label=kind)):
        # --hypothesis-show-statistics shows the mix
        event("saved" if saved_or_refused(sv, save, refusals) else "refused")


# Inputs these tests once found crashing a service (InvalidOperation, a raw StatementError, OverflowError).
REGRESSIONS = [
    ("course", CourseInput(Region.LUMBAR, DAY0, fee_per_session=Decimal("NaN"))),
    ("course", CourseInput(Region.LUMBAR, DAY0, discount_amount=Decimal("0.043"))),
    ("course", CourseInput(Region.LUMBAR, DAY0, discount_percent=Decimal("Infinity"))),
    ("course", CourseInput(Region.LUMBAR, DAY0, discount_amount=Decimal("1E+30"))),
    ("payment", PaymentInput(DAY0, Decimal("1E+30"), PaymentMethod.CASH)),
    ("settings", {"default_fee": Decimal("sNaN")}),
]


@pytest.mark.parametrize("kind, value", REGRESSIONS)
def test_inputs_that_once_crashed_are_refused(world, kind, value):
    sv, p, course = world
    for save in CASES[kind][1](sv, p, course, value):
        assert not saved_or_refused(sv, save)
