"""Access (issue 11, point 6) on SQLite and PostgreSQL: signed out, no service reads anything; whole-clinic
listings are audited; sign-in failures for unknown and known user names look the same, are audited and
cost the same Argon2 check."""
from __future__ import annotations

import time

import pytest
from argon2 import extract_parameters

from decomp_desk.domain.errors import AuthenticationFailed, PermissionDenied
from decomp_desk.domain.passwords import common_passwords, password_problem
from decomp_desk.domain.types import Role
from decomp_desk.services.accounts import DUMMY_HASH, WRONG_CREDENTIALS, AccountService, default_hasher
from decomp_desk.services.context import Actor
from tests.factories import cleared_patient_with_course, session

SIGNED_OUT = Actor("(signed out)", "no one signed in", frozenset())
PASSWORD = "decompress me daily"


def _reads(sv, patient_id: int, course_id: int) -> dict:
    """Every read a service offers, each as a call."""
    return {
        "patients.list": lambda: sv.patients.list(),
        "patients.get": lambda: sv.patients.get(patient_id),
        "patients.by_chart": lambda: sv.patients.by_chart("1001"),
        "patients.next_chart_number": lambda: sv.patients.next_chart_number(),
        "screenings.history": lambda: sv.screenings.history(patient_id),
        "screenings.clearance": lambda: sv.screenings.clearance(patient_id),
        "courses.for_patient": lambda: sv.courses.for_patient(patient_id),
        "courses.current": lambda: sv.courses.current(patient_id),
        "courses.get": lambda: sv.courses.get(course_id),
        "sessions.for_course": lambda: sv.sessions.for_course(course_id),
        "sessions.starting_point": lambda: sv.sessions.starting_point(course_id),
        "sessions.progress": lambda: sv.sessions.progress(course_id),
        "settings.get": lambda: sv.settings.get(),
        "billing.insurance": lambda: sv.billing.insurance(patient_id),
        "billing.estimate": lambda: sv.billing.estimate(course_id),
        "billing.estimate_for": lambda: sv.billing.estimate_for(patient_id),
        "billing.account": lambda: sv.billing.account(patient_id),
        "billing.payments": lambda: sv.billing.payments(patient_id),
        "billing.balances": lambda: sv.billing.balances(),
        "billing.month_totals": lambda: sv.billing.month_totals(2026, 3),
        "billing.icd_codes": lambda: sv.billing.icd_codes(),
        "billing.statement_context": lambda: sv.billing.statement_context("1001"),
        "billing.estimate_context": lambda: sv.billing.estimate_context("1001"),
        "reports.summary": lambda: sv.reports.summary(chart_number="1001"),
        "audit.events": lambda: sv.audit.events(),
        "audit.choices": lambda: sv.audit.choices(),
        "accounts.list_users": lambda: sv.accounts.list_users(),
        "outcomes.for_course": lambda: sv.outcomes.for_course(course_id),
        "outcomes.for_chart": lambda: sv.outcomes.for_chart("1001"),
        "outcomes.form_due": lambda: sv.outcomes.form_due(course_id, 1),
        "outcomes.missing_by_patient": lambda: sv.outcomes.missing_by_patient(),
        "clinic_report.report": lambda: sv.clinic_report.report(),
    }


def test_signed_out_reads_nothing(services):
    p, course = cleared_patient_with_course(services)
    services.sessions.record(course.id, session())
    reads = _reads(services, p.id, course.id)
    for read in reads.values():
        read()  # signed in (every role): each works
    services.act_as(SIGNED_OUT)
    for name, read in reads.items():
        with pytest.raises(PermissionDenied):
            read()
            pytest.fail(f"{name} read the clinic's records for no one")
    # What the desk must know before anyone signs in tells nothing of the records.
    assert services.settings.is_new_database() is False
    assert services.accounts.needs_first_admin() is True


def test_whole_clinic_listings_are_audited(services):
    _, course = cleared_patient_with_course(services)
    services.sessions.record(course.id, session())
    services.patients.list(audit=True)
    services.patients.list("lee", audit=True)
    services.billing.balances(audit=True)
    services.patients.list()  # the desk's reload after a save: not each time
    listed = [(e.action, e.entity, e.detail) for e in services.audit.events(action="list")]
    assert listed == [("list", "balance", "1 patients' balances"), ("list", "patient", "1 patients; search 'lee'"),
                      ("list", "patient", "1 patients")]


def _time(call) -> float:
    start = time.perf_counter()
    with pytest.raises(AuthenticationFailed) as err:
        call()
    assert str(err.value) == WRONG_CREDENTIALS
    return time.perf_counter() - start


def test_sign_in_failures_look_the_same_and_take_as_long(services):
    accounts = services.accounts
    accounts.create_first_admin("ann", "Dr. Ann Admin", PASSWORD)
    # The unknown name is checked against a hash of the same cost as a real one, made once, not at start.
    assert extract_parameters(DUMMY_HASH) == extract_parameters(default_hasher().hash("x"))
    assert AccountService(services.ctx)._dummy_hash == DUMMY_HASH
    unknown = [_time(lambda: accounts.login("nobody", "guess guess guess")) for _ in range(3)]
    known = [_time(lambda: accounts.login("ann", "guess guess guess")) for _ in range(3)]
    assert 0.5 < min(unknown) / min(known) < 2.0, (unknown, known)
    failed = [(e.actor, e.detail) for e in services.audit.events(action="login_failed")]
    assert [a for a, _ in failed] == ["ann"] * 3 + ["nobody"] * 3
    assert accounts.login("ann", PASSWORD).has(Role.ADMINISTRATOR)


def test_the_common_password_list_ships_with_the_program():
    common = common_passwords()
    assert len(common) >= 10_000
    assert {"123456", "password", "qwerty123456", "1qaz2wsx3edc"} <= common
    assert password_problem("correct horse battery staple", "ann") is None
    assert password_problem("Qwerty123456", "ann") is not None


def test_five_tries_of_an_unknown_name_lock_it_as_a_real_account_would(services):
    accounts = services.accounts
    accounts.create_first_admin("ann", "Dr. Ann Admin", PASSWORD)
    answers = {}
    for name in ("ann", "nobody"):
        said = []
        for _ in range(6):
            with pytest.raises(AuthenticationFailed) as err:
                accounts.login(name, "guess guess guess")
            said.append(str(err.value).replace(name, "NAME").split(" until ")[0])
        answers[name] = said
    assert answers["ann"] == answers["nobody"]
    assert "fifth wrong password in a row" in answers["nobody"][4] and "is locked" in answers["nobody"][5]
