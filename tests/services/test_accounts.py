"""Accounts: the first administrator, Argon2 passwords, the five-strikes lock, the lock screen, password
changes and the administrator's user list (both databases)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from decomp_desk.domain.errors import AuthenticationFailed, Conflict, NotFound, PermissionDenied, ValidationError
from decomp_desk.domain.types import Role
from decomp_desk.services.accounts import LOCK_DURATION, AccountLocked, default_hasher, local_time
from decomp_desk.services.context import Actor
from tests.factories import patient

# Cheap Argon2 settings keep the suite quick; one test below checks the real defaults and the rehash.
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
PASSWORD = "decompress me daily"


class Clock:
    def __init__(self, at: datetime = T0):
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock(services):
    c = Clock()
    services.ctx.now = c
    return c


@pytest.fixture
def accounts(services, clock):
    services.accounts.hasher = FAST
    return services.accounts


@pytest.fixture
def admin(services, accounts):
    """A solo chiropractor's start: the first administrator, also a clinician, signed in."""
    actor = accounts.create_first_admin("Ann", "Dr. Ann Admin", PASSWORD, also_clinician=True)
    services.act_as(actor)
    return actor


def events(services, **kw):
    return [(e.actor, e.action, e.detail) for e in services.audit.events(**kw)]


# --- the first start ------------------------------------------------------------------------------

def test_the_first_start_creates_the_administrator_once(services, accounts):
    assert accounts.needs_first_admin()
    actor = accounts.create_first_admin(" Ann ", "Dr. Ann Admin", PASSWORD, also_clinician=True)
    assert actor == Actor("ann", "Dr. Ann Admin", frozenset({Role.ADMINISTRATOR, Role.CLINICIAN}))
    assert not accounts.needs_first_admin()
    with pytest.raises(PermissionDenied, match="already exists; sign in"):
        accounts.create_first_admin("eve", "Eve", PASSWORD)
    services.act_as(actor)
    [user] = accounts.list_users()
    assert (user.username, user.roles, user.updated_by) == ("ann", actor.roles, "ann")
    assert events(services, actor="ann")[-2:] == [
        ("ann", "login", ""), ("ann", "create", "first administrator; roles administrator;clinician")]


def test_the_first_administrator_may_be_administrator_only(accounts):
    actor = accounts.create_first_admin("ann", "", PASSWORD)
    assert actor.roles == {Role.ADMINISTRATOR}
    assert actor.display_name == "ann"


def test_first_administrator_fields_are_checked_and_named(accounts):
    with pytest.raises(ValidationError) as err:
        accounts.create_first_admin("bad name!", "x" * 201, "short")
    assert set(err.value.errors) == {"username", "full_name", "password"}
    assert "at least 12 characters" in err.value.errors["password"]
    assert accounts.needs_first_admin()


# --- passwords ------------------------------------------------------------------------------------

def test_passwords_are_stored_as_argon2_hashes_and_rehashed_to_the_current_settings(services, clock):
    services.accounts.hasher = FAST
    services.accounts.create_first_admin("ann", "Ann", PASSWORD)
    old_hash = _hash_of(services, "ann")
    assert old_hash.startswith("$argon2id$") and PASSWORD not in old_hash
    services.accounts.hasher = default_hasher()  # the program's own settings: stronger than FAST
    assert "m=19456,t=2,p=1" in services.accounts.hasher.hash(PASSWORD)  # OWASP's recommended minimum
    assert services.accounts.hasher.check_needs_rehash(old_hash)
    services.accounts.login("ann", PASSWORD)
    new_hash = _hash_of(services, "ann")
    assert new_hash != old_hash and not services.accounts.hasher.check_needs_rehash(new_hash)
    services.accounts.login("ann", PASSWORD)  # the new hash verifies


def _hash_of(services, username: str) -> str:
    from sqlalchemy import select

    from decomp_desk.db import models as m
    with services.ctx.unit_of_work() as s:
        return s.scalar(select(m.User.password_hash).where(m.User.username == username))


PASSWORD_RULES = [
    ("short", "new password: must be at least 12 characters"),
    ("ANNABEL", "new password: must be at least 12 characters"),
    ("elevenchars", "new password: must be at least 12 characters"),
    ("annabelle", "new password: must not be the user name"),
    (" AnnaBelle ", "new password: must not be the user name"),
    ("annabelle2024!", "new password: must not be the user name"),
    (" " * 13, "new password: must not be only spaces"),
    # On the list of common passwords shipped with the program (resources/common_passwords.txt) ...
    ("password1234", "new password: is one of the most common passwords, which are tried first; choose another"),
    ("1qaz2wsx3edc", "new password: is one of the most common passwords, which are tried first; choose another"),
    ("LeaveMeAlone", "new password: is one of the most common passwords, which are tried first; choose another"),
    # ... with digits or signs added at its ends, or a short pattern said again and again
    ("Sunshine2024!", "new password: is one of the most common passwords, which are tried first; choose another"),
    ("aaaaaaaaaaaaaa", "new password: is one of the most common passwords, which are tried first; choose another"),
    ("abc123abc123", "new password: is one of the most common passwords, which are tried first; choose another"),
    (PASSWORD, "new password: must differ from the current password"),
    ("x" * 257, "new password: must be at most 256 characters"),
]


def test_password_rules_name_the_field(services, accounts):
    accounts.create_first_admin("annabelle", "Ann", PASSWORD)
    for new, message in PASSWORD_RULES:
        with pytest.raises(ValidationError) as err:
            accounts.change_password("annabelle", PASSWORD, new)
        assert str(err.value) == message, new
    accounts.login("annabelle", PASSWORD)  # unchanged


def test_a_user_changes_their_password(services, admin, accounts):
    accounts.change_password("ann", PASSWORD, "a new secret, longer")
    with pytest.raises(AuthenticationFailed):
        accounts.login("ann", PASSWORD)
    assert accounts.login("ann", "a new secret, longer") == admin
    with pytest.raises(AuthenticationFailed, match="current password is wrong; the password was not changed"):
        accounts.change_password("ann", "not it at all", "another one entirely")
    actions = [a for _, a, _ in events(services, actor="ann")]
    assert actions[:4] == ["password_change_failed", "login", "login_failed", "password_changed"]


# --- signing in and the lock ----------------------------------------------------------------------

def test_login_returns_the_actor_and_every_later_save_carries_their_name(services, admin, accounts):
    accounts.create_user("fran", "Fran Front", [Role.FRONT_DESK], PASSWORD)
    fran = accounts.login("FRAN ", PASSWORD)
    assert fran == Actor("fran", "Fran Front", frozenset({Role.FRONT_DESK}))
    services.act_as(fran)
    p = patient(services)
    assert p.updated_by == "fran"
    services.act_as(admin)
    assert ("fran", "create") in [(a, act) for a, act, _ in events(services, chart_number=p.chart_number)]


def test_wrong_password_and_unknown_user_get_the_same_answer_and_are_audited(services, admin, accounts):
    with pytest.raises(AuthenticationFailed) as wrong:
        accounts.login("ann", "not the password")
    with pytest.raises(AuthenticationFailed) as unknown:
        accounts.login("nobody", PASSWORD)
    assert str(wrong.value) == str(unknown.value)
    assert "user name or password is wrong" in str(wrong.value)
    got = events(services, action="login_failed")
    assert got == [("nobody", "login_failed", "unknown user name"), ("ann", "login_failed", "wrong password (1 of 5)")]


class CountingHasher(PasswordHasher):
    def __init__(self):
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.verified = 0

    def verify(self, hash, password):  # argon2's own parameter names
        self.verified += 1
        return super().verify(hash, password)


def test_a_sign_in_checks_the_password_once_whatever_the_answer(services, admin, accounts):
    # The check runs before the sign-in's unit of work (on the hash as stored); the unit of work uses
    # its answer and does not check again. An unknown name costs the same single check.
    hasher = accounts.hasher = CountingHasher()
    accounts.hasher.hash("warm up the dummy")  # the unknown name's stand-in hash is made on first use
    for name, password in (("ann", PASSWORD), ("ann", "not the password"), ("nobody", PASSWORD)):
        hasher.verified = 0
        try:
            accounts.login(name, password)
        except AuthenticationFailed:
            pass
        assert hasher.verified == 1, (name, password)


def test_a_password_changed_between_the_check_and_the_decision_is_checked_again(services, admin, accounts):
    # The hash read for the early check may be replaced (an administrator's reset) before the unit of
    # work locks the account: then the account's new hash decides, never the early answer.
    read_stored = accounts._stored_hash

    def reset_after_reading(name):
        stored = read_stored(name)
        accounts.reset_password("ann", "a brand new passphrase")
        return stored

    accounts._stored_hash = reset_after_reading
    with pytest.raises(AuthenticationFailed):
        accounts.login("ann", PASSWORD)  # right when read, wrong when decided
    assert accounts.login("ann", "a brand new passphrase").username == "ann"


def test_five_wrong_passwords_lock_the_account_for_15_minutes(services, admin, accounts, clock):
    for _ in range(4):
        with pytest.raises(AuthenticationFailed) as err:
            accounts.login("ann", "guess guess")
        assert not isinstance(err.value, AccountLocked)
    with pytest.raises(AccountLocked) as err:
        accounts.login("ann", "guess guess")
    until = T0 + LOCK_DURATION
    assert err.value.until == until
    assert f"locked until {local_time(until)}" in str(err.value) and "fifth wrong password" in str(err.value)
    clock.at = T0 + timedelta(minutes=14, seconds=59)
    with pytest.raises(AccountLocked, match=f"locked until {local_time(until)}"):
        accounts.login("ann", PASSWORD)  # even the right password
    assert [u.locked_until for u in accounts.list_users()] == [until]
    clock.at = T0 + timedelta(minutes=15)
    assert accounts.login("ann", PASSWORD) == admin
    assert [u.locked_until for u in accounts.list_users()] == [None]
    actions = [a for _, a, _ in events(services, actor="ann")]
    assert actions[:4] == ["login", "login_failed", "account_locked", "login_failed"]


def test_a_right_password_resets_the_count(services, admin, accounts):
    for _ in range(2):
        for _ in range(4):
            with pytest.raises(AuthenticationFailed):
                accounts.login("ann", "guess guess")
        accounts.login("ann", PASSWORD)
    assert events(services, action="account_locked") == []


def test_the_lock_screen_verifies_the_password_and_counts_towards_the_lock(services, admin, accounts):
    accounts.record_lock()
    assert accounts.verify_password("ann", PASSWORD) == admin
    for _ in range(3):
        with pytest.raises(AuthenticationFailed):
            accounts.login("ann", "guess guess")
    with pytest.raises(AuthenticationFailed):
        accounts.verify_password("ann", "guess guess")
    with pytest.raises(AccountLocked):
        accounts.verify_password("ann", "guess guess")
    with pytest.raises(AccountLocked):
        accounts.verify_password("ann", PASSWORD)
    actions = [a for _, a, _ in events(services, actor="ann")]
    assert actions[:5] == ["unlock_failed", "account_locked", "unlock_failed", "unlock_failed", "login_failed"]
    assert "unlock" in actions and "lock" in actions


def test_an_administrator_lifts_a_lock_by_unlock_or_by_resetting_the_password(services, admin, accounts):
    accounts.create_user("carl", "Carl Clinician", [Role.CLINICIAN], PASSWORD)
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            accounts.login("carl", "guess guess")
    accounts.unlock("carl")
    accounts.login("carl", PASSWORD)
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            accounts.login("carl", "guess guess")
    accounts.reset_password("carl", "fresh start at one")
    accounts.login("carl", "fresh start at one")
    assert {"unlock_account", "reset_password"} <= {a for _, a, _ in events(services, actor="ann")}


def test_a_disabled_account_is_refused_even_with_the_right_password(services, admin, accounts):
    accounts.create_user("carl", "Carl Clinician", [Role.CLINICIAN], PASSWORD)
    accounts.set_active("carl", False)
    with pytest.raises(AuthenticationFailed, match="carl is disabled"):
        accounts.login("carl", PASSWORD)
    with pytest.raises(AuthenticationFailed, match="user name or password is wrong"):
        accounts.login("carl", "wrong one!")  # no telling a stranger that the account exists
    accounts.set_active("carl", True)
    accounts.login("carl", PASSWORD)


# --- the administrator's user list ----------------------------------------------------------------

def test_users_hold_several_roles_and_changes_are_audited(services, admin, accounts):
    v = accounts.create_user("carl", "Carl Clinician", ["clinician", "Front desk"], PASSWORD)
    assert v.roles == {Role.CLINICIAN, Role.FRONT_DESK} and v.roles_text == "Clinician, Front desk"
    v = accounts.set_roles("carl", [Role.CLINICIAN], expected_version=v.version)
    assert v.roles == {Role.CLINICIAN} and v.updated_by == "ann"
    v = accounts.set_full_name("carl", "  Dr.  Carl  Clinician ")
    assert v.full_name == "Dr. Carl Clinician"
    assert [u.username for u in accounts.list_users()] == ["ann", "carl"]
    assert ("ann", "update_roles", "carl; roles clinician;front_desk -> clinician") in events(services)


def test_user_fields_are_checked(services, admin, accounts):
    accounts.create_user("carl", "Carl", [Role.CLINICIAN], PASSWORD)
    with pytest.raises(ValidationError, match="carl is already taken"):
        accounts.create_user("Carl", "Another Carl", [Role.CLINICIAN], PASSWORD)
    with pytest.raises(ValidationError) as err:
        accounts.create_user("os:root", "", [], "carl")
    assert set(err.value.errors) == {"username", "roles", "password"}
    with pytest.raises(ValidationError, match="roles: 'nurse' is not one of"):
        accounts.create_user("nina", "Nina", ["nurse"], PASSWORD)
    with pytest.raises(NotFound):
        accounts.set_roles("nobody", [Role.CLINICIAN])


def test_a_stale_user_edit_is_refused(services, admin, accounts):
    v = accounts.create_user("carl", "Carl", [Role.CLINICIAN], PASSWORD)
    accounts.set_full_name("carl", "Carl C.")
    with pytest.raises(Conflict, match="The account carl was changed by ann"):
        accounts.set_roles("carl", [Role.FRONT_DESK], expected_version=v.version)


def test_the_last_active_administrator_stays(services, admin, accounts):
    with pytest.raises(ValidationError, match="ann is the only active administrator"):
        accounts.set_roles("ann", [Role.CLINICIAN])
    with pytest.raises(ValidationError, match="cannot disable your own account"):
        accounts.set_active("ann", False)
    accounts.create_user("bea", "Bea Boss", [Role.ADMINISTRATOR], PASSWORD)
    accounts.set_roles("ann", [Role.CLINICIAN])  # now there is another
    services.act_as(accounts.login("bea", PASSWORD))
    with pytest.raises(ValidationError, match="bea is the only active administrator"):
        accounts.set_roles("bea", [Role.FRONT_DESK])


def test_only_an_administrator_manages_users(services, admin, accounts):
    calls = (lambda: accounts.list_users(), lambda: accounts.create_user("x1", "", [Role.CLINICIAN], PASSWORD),
             lambda: accounts.set_roles("ann", [Role.CLINICIAN]), lambda: accounts.set_active("ann", False),
             lambda: accounts.reset_password("ann", "whatever one two"), lambda: accounts.unlock("ann"),
             lambda: accounts.set_full_name("ann", "Eve"))
    for roles in ({Role.CLINICIAN}, {Role.FRONT_DESK}, {Role.CLINICIAN, Role.FRONT_DESK}):
        services.act_as(Actor("someone", "Some One", frozenset(roles)))
        for call in calls:
            with pytest.raises(PermissionDenied, match="Only an administrator may do this; Some One is not one"):
                call()
    services.act_as(admin)
    users = [(u.username, u.roles, u.full_name) for u in accounts.list_users()]
    assert users == [("ann", admin.roles, "Dr. Ann Admin")]
