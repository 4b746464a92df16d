"""Accounts: the first administrator, signing in, the lock screen, passwords and roles.

Passwords are hashed with Argon2 (argon2-cffi). Five wrong passwords in a row (at sign-in or at the lock
screen) lock the account for 15 minutes; while locked even the right password is refused, with a message
saying until when. Every attempt is in the audit trail: 'login', 'login_failed', 'account_locked',
'unlock', 'unlock_failed', 'lock', 'logout', and the administrator's changes to accounts.

The desk's flow:
    if services.accounts.needs_first_admin():
        actor = services.accounts.create_first_admin(username, full_name, password, also_clinician=True)
    else:
        actor = services.accounts.login(username, password)     # AuthenticationFailed / AccountLocked
    services.act_as(actor)                                      # every later save is stamped with them
    ... idle for settings.get().idle_lock_minutes ...
    services.accounts.record_lock()
    services.accounts.verify_password(actor.username, password) # the lock screen; raises like login
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.db.repositories import check_version, load_account
from decomp_desk.domain.account_input import normalize_username, parse_roles, password_errors, validate_account
from decomp_desk.domain.errors import AuthenticationFailed, PermissionDenied, ValidationError
from decomp_desk.domain.op_changes import Changes, with_changes
from decomp_desk.domain.types import Role
from decomp_desk.services.context import Actor, ServiceContext
from decomp_desk.services.dto import UserView
from decomp_desk.services.row_mapping import actor_of, roles_from_text, user_view

LOCK_AFTER_FAILURES = 5
LOCK_DURATION = timedelta(minutes=15)
# A wrong user name is checked against this hash (made with default_hasher's settings), so it takes as long
# as a wrong password: the time does not tell which names exist. A constant: no hashing at start.
DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$TBxvYGyLl4ez0uFZKLHK6w$5IBRvVZIyPLIUgKHzqd7AFRtE/dJWPxk07ULp6iBMJY"
WRONG_CREDENTIALS = ("The user name or password is wrong. (Five wrong passwords in a row lock an account "
                     "for 15 minutes.)")


class AccountLocked(AuthenticationFailed):
    """Too many wrong passwords: refused, even with the right one, until `until` (UTC)."""

    def __init__(self, username: str, until: datetime, just_locked: bool = False):
        self.username, self.until = username, until
        why = "That was the fifth wrong password in a row. " if just_locked else ""
        super().__init__(f"{why}The account {username} is locked until {local_time(until)} after five wrong "
                         "passwords; try again then, or ask an administrator to unlock it.")


def local_time(when: datetime) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def roles_to_text(roles: Iterable[Role]) -> str:
    """As stored: 'administrator;clinician'."""
    chosen = set(roles)
    return ";".join(r.value for r in Role if r in chosen)


def default_hasher() -> PasswordHasher:
    """Argon2id at OWASP's recommended setting (19 MiB, 2 passes, 1 lane): about 30 ms a check on a small
    two-core front-desk computer, where argon2-cffi's default (64 MiB, 3 passes, 4 lanes) took 150 ms, and
    half a second while the desk was starting beside it. A hash made with other settings is made again at
    the next right password (check_needs_rehash)."""
    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


class AccountService:
    def __init__(self, ctx: ServiceContext, hasher: PasswordHasher | None = None):
        self.ctx = ctx
        self.hasher = hasher or default_hasher()
        self._dummy_hash: str | None = DUMMY_HASH if hasher is None else None

    # --- the first start ---------------------------------------------------------------------------

    def needs_first_admin(self) -> bool:
        """No account exists yet: the desk asks for the administrator before anything else.

        Asked of the table itself, not through the ORM: the desk asks it before the sign-in, and the ORM's
        first query in a process first sets up every mapper (about 20 ms). The sign-in's own query does
        that instead, on its worker, where the password check that follows leaves the UI thread free."""
        users = m.User.__table__
        with self.ctx.read() as s:
            return s.connection().scalar(select(users.c.id).limit(1)) is None

    def create_first_admin(self, username: str, full_name: str, password: str,
                           also_clinician: bool = False) -> Actor:
        """The first account, an administrator (and a clinician, for a solo chiropractor). Refused once
        any account exists. Returns the new administrator, signed in."""
        roles = {Role.ADMINISTRATOR} | ({Role.CLINICIAN} if also_clinician else set())
        name, full, roles = validate_account(username, full_name, roles, password)
        password_hash = self.hasher.hash(password)
        with self.ctx.unit_of_work() as s:
            # The settings row as a mutex: two workstations starting at once make one administrator.
            s.execute(select(m.ClinicSettings.id).where(m.ClinicSettings.id == 1).with_for_update())
            if s.scalar(select(m.User.id).limit(1)) is not None:
                raise PermissionDenied("An administrator already exists; sign in instead.")
            user = m.User(username=name, full_name=full, password_hash=password_hash, roles=roles_to_text(roles),
                          active=True, failed_logins=0, created_by=name, updated_by=name)
            s.add(user)
            s.flush()
            self.ctx.audit(s, "create", "user", user.id, detail=f"first administrator; roles {user.roles}",
                           actor=name)
            self.ctx.audit(s, "login", "user", user.id, actor=name)
            return actor_of(user)

    # --- signing in and the lock screen ------------------------------------------------------------

    def login(self, username: str, password: str) -> Actor:
        """The account's Actor when the password is right; AuthenticationFailed otherwise (AccountLocked
        while locked: even the right password is refused until the lock ends)."""
        return self._authenticate(username, password, "login", "login_failed")

    def verify_password(self, username: str, password: str) -> Actor:
        """The lock screen: the same checks as login (wrong passwords count towards the lock), audited as
        'unlock' / 'unlock_failed'."""
        return self._authenticate(username, password, "unlock", "unlock_failed")

    def record_lock(self) -> None:
        """The desk locked itself (idle time, or the user locked it)."""
        self._record("lock")

    def record_logout(self) -> None:
        self._record("logout")

    def _record(self, action: str) -> None:
        with self.ctx.unit_of_work() as s:
            user_id = s.scalar(select(m.User.id).where(m.User.username == self.ctx.actor.username))
            self.ctx.audit(s, action, "user", user_id)

    def _authenticate(self, username: str, password: str, success: str, failure: str) -> Actor:
        # The slow check first, on the hash as stored, read from the table itself: the ORM's first query
        # in a process sets up every mapper (about 20 ms of Python) and the check itself leaves the
        # interpreter free, so at the desk's sign-in it now runs beside the window being built rather
        # than after that set-up. The unit of work below reads the account again, locked, and decides.
        stored = self._stored_hash(normalize_username(username))
        checked = (stored, self._verify(stored, password))
        with self.ctx.unit_of_work() as s:
            user, refusal = self._check_password(s, username, password, failure, checked)
            if refusal is None:
                self.ctx.audit(s, success, "user", user.id, actor=user.username)
                actor = actor_of(user)
        if refusal is not None:
            raise refusal  # after the unit of work: the failure and any lock are saved
        return actor

    def _stored_hash(self, name: str) -> str | None:
        users = m.User.__table__
        with self.ctx.read() as s:
            return s.connection().scalar(select(users.c.password_hash).where(users.c.username == name))

    def _check_password(self, s: Session, username: str, password: str, failure: str,
                        checked: tuple[str | None, bool] | None = None,
                        ) -> tuple[m.User | None, AuthenticationFailed | None]:
        """(user, None) when the password is right and the account usable; else (user, the refusal), with
        the failed attempt counted and audited. Inside the caller's unit of work, which must commit.
        `checked`: (a stored hash, whether the password matched it), made before this unit of work; the
        check is made again only if the account's hash is no longer that one."""
        name, now = normalize_username(username), self.ctx.now()
        user = s.scalar(select(m.User).where(m.User.username == name).with_for_update())
        stored = None if user is None else user.password_hash
        matches = checked[1] if checked is not None and checked[0] == stored else None
        if user is None:
            return None, self._unknown_name(s, name, password, failure, now, checked=matches is not None)
        if user.locked_until is not None and user.locked_until > now:
            self.ctx.audit(s, failure, "user", user.id, detail=f"account locked until {user.locked_until:%H:%M} UTC",
                           actor=user.username)
            return user, AccountLocked(user.username, user.locked_until)
        if not (matches if matches is not None else self._verify(user.password_hash, password)):
            user.failed_logins += 1
            self.ctx.audit(s, failure, "user", user.id,
                           detail=f"wrong password ({user.failed_logins} of {LOCK_AFTER_FAILURES})",
                           actor=user.username)
            if user.failed_logins < LOCK_AFTER_FAILURES:
                return user, AuthenticationFailed(WRONG_CREDENTIALS)
            user.failed_logins, user.locked_until = 0, now + LOCK_DURATION
            self.ctx.audit(s, "account_locked", "user", user.id,
                           detail=f"{LOCK_AFTER_FAILURES} wrong passwords; locked until {user.locked_until:%H:%M} UTC",
                           actor=user.username)
            return user, AccountLocked(user.username, user.locked_until, just_locked=True)
        if not user.active:
            self.ctx.audit(s, failure, "user", user.id, detail="account disabled", actor=user.username)
            return user, AuthenticationFailed(f"The account {user.username} is disabled; ask an administrator "
                                              "to enable it.")
        if user.failed_logins or user.locked_until is not None:
            user.failed_logins, user.locked_until = 0, None
        if self.hasher.check_needs_rehash(user.password_hash):
            user.password_hash = self.hasher.hash(password)
        return user, None

    def _unknown_name(self, s: Session, name: str, password: str, failure: str, now: datetime,
                      checked: bool = False) -> AuthenticationFailed:
        """A name no account has gets the answers a real account would: the same sentence after a check as
        slow as a real one, and, after five tries within the lock's time, the same lock (counted from the
        audit trail, which records every failed try), so neither the words nor the time tell which names
        exist."""
        shown = name[:80] or "(blank)"
        a = m.AuditEvent
        tries = s.scalars(select(a.at).where(a.actor == shown, a.action.in_(("login_failed", "unlock_failed")),
                                             a.entity_id.is_(None), a.detail == "unknown user name",
                                             a.at > now - LOCK_DURATION)
                          .order_by(a.at.desc()).limit(LOCK_AFTER_FAILURES)).all()
        if len(tries) >= LOCK_AFTER_FAILURES:  # "locked": refused without a check, as a locked account is
            until = tries[0] + LOCK_DURATION  # from the fifth try, as a real account's lock
            self.ctx.audit(s, failure, "user", None, detail="unknown user name (as if locked)", actor=shown)
            return AccountLocked(name, until)
        if not checked:
            self._verify(None, password)  # as slow as a real check
        self.ctx.audit(s, failure, "user", None, detail="unknown user name", actor=shown)
        if len(tries) == LOCK_AFTER_FAILURES - 1:
            return AccountLocked(name, now + LOCK_DURATION, just_locked=True)
        return AuthenticationFailed(WRONG_CREDENTIALS)

    def _verify(self, password_hash: str | None, password: str) -> bool:
        if password_hash is None:
            if self._dummy_hash is None:
                self._dummy_hash = self.hasher.hash("not anyone's password")
            password_hash = self._dummy_hash
        try:
            return self.hasher.verify(password_hash, password if isinstance(password, str) else "")
        except (VerificationError, InvalidHashError):
            return False

    # --- one's own password --------------------------------------------------------------------------

    def change_password(self, username: str, old_password: str, new_password: str) -> None:
        """The user changes their own password, proving the current one (a wrong one counts towards the
        lock). The new one: as password_errors says, and not the current password."""
        errors = password_errors(new_password, username, "new_password")
        if not errors and new_password == old_password:
            errors = {"new_password": "must differ from the current password"}
        if errors:
            raise ValidationError(errors)
        with self.ctx.unit_of_work() as s:
            user, refusal = self._check_password(s, username, old_password, "password_change_failed")
            if refusal is None:
                user.password_hash = self.hasher.hash(new_password)
                user.updated_by = user.username
                s.flush()
                self.ctx.audit(s, "password_changed", "user", user.id, actor=user.username)
        if refusal is not None:
            if type(refusal) is AuthenticationFailed and user is not None and user.active:
                refusal = AuthenticationFailed("The current password is wrong; the password was not changed.")
            raise refusal

    # --- the administrator's user list ---------------------------------------------------------------

    def list_users(self) -> list[UserView]:
        self.ctx.require(Role.ADMINISTRATOR)
        now = self.ctx.now()
        with self.ctx.read() as s:
            return [user_view(u, now) for u in s.scalars(select(m.User).order_by(m.User.username))]

    def create_user(self, username: str, full_name: str, roles: Iterable[Role | str], password: str) -> UserView:
        self.ctx.require(Role.ADMINISTRATOR)
        name, full, chosen = validate_account(username, full_name, roles, password)
        password_hash = self.hasher.hash(password)
        with self.ctx.unit_of_work() as s:
            if s.scalar(select(m.User.id).where(m.User.username == name)) is not None:
                raise ValidationError.single("username", f"{name} is already taken")
            user = m.User(username=name, full_name=full, password_hash=password_hash,
                          roles=roles_to_text(chosen), active=True, failed_logins=0)
            self.ctx.stamp(user, new=True)
            s.add(user)
            s.flush()
            self.ctx.audit(s, "create", "user", user.id, detail=f"{name}; roles {user.roles}")
            return with_changes(user_view(user, self.ctx.now()), Changes(users=True, ids=(user.id,)))

    def set_full_name(self, username: str, full_name: str, expected_version: int | None = None) -> UserView:
        _, full, _ = validate_account(username, full_name, None, None)

        def apply(s: Session, u: m.User) -> str:
            u.full_name = full
            return f"full name {full!r}"
        return self._change(username, expected_version, "update", apply)

    def set_roles(self, username: str, roles: Iterable[Role | str], expected_version: int | None = None) -> UserView:
        """Refused when it would leave no active administrator."""
        errors: dict[str, str] = {}
        chosen = parse_roles(roles, errors)
        if errors:
            raise ValidationError(errors)

        def apply(s: Session, u: m.User) -> str:
            before = u.roles
            if Role.ADMINISTRATOR not in chosen:
                self._keep_an_administrator(s, u, "roles")
            u.roles = roles_to_text(chosen)
            return f"roles {before} -> {u.roles}"
        return self._change(username, expected_version, "update_roles", apply)

    def set_active(self, username: str, active: bool, expected_version: int | None = None) -> UserView:
        """Disable (or enable again) an account; accounts are never deleted, so the audit trail keeps its names.
        Refused for one's own account, and when it would leave no active administrator."""
        def apply(s: Session, u: m.User) -> str:
            if not active:
                if u.username == self.ctx.actor.username:
                    raise ValidationError.single("active", "you cannot disable your own account")
                self._keep_an_administrator(s, u, "active")
            u.active = bool(active)
            return ""
        return self._change(username, expected_version, "enable" if active else "disable", apply)

    def reset_password(self, username: str, new_password: str) -> UserView:
        """An administrator sets a new password (the user forgot theirs); this also lifts a lock."""
        errors = password_errors(new_password, username, "new_password")
        if errors:
            raise ValidationError(errors)
        password_hash = self.hasher.hash(new_password)

        def apply(s: Session, u: m.User) -> str:
            u.password_hash, u.failed_logins, u.locked_until = password_hash, 0, None
            return ""
        return self._change(username, None, "reset_password", apply)

    def unlock(self, username: str) -> UserView:
        """Lift a lock before its 15 minutes are over."""
        def apply(s: Session, u: m.User) -> str:
            u.failed_logins, u.locked_until = 0, None
            return ""
        return self._change(username, None, "unlock_account", apply)

    def _change(self, username: str, expected_version: int | None, action: str, apply) -> UserView:
        self.ctx.require(Role.ADMINISTRATOR)
        with self.ctx.unit_of_work() as s:
            user = load_account(s, username)
            check_version(user, expected_version, f"The account {user.username}")
            detail = apply(s, user)
            self.ctx.stamp(user)
            s.flush()
            self.ctx.audit(s, action, "user", user.id, detail=f"{user.username}" + (f"; {detail}" if detail else ""))
            return with_changes(user_view(user, self.ctx.now()), Changes(users=True, ids=(user.id,)))

    @staticmethod
    def _keep_an_administrator(s: Session, user: m.User, field: str) -> None:
        if not (user.active and Role.ADMINISTRATOR in roles_from_text(user.roles)):
            return
        others = s.scalars(select(m.User.roles).where(m.User.active.is_(True), m.User.id != user.id,
                                                      m.User.roles.like(f"%{Role.ADMINISTRATOR.value}%"))).all()
        if not any(Role.ADMINISTRATOR in roles_from_text(r) for r in others):
            raise ValidationError.single(field, f"{user.username} is the only active administrator; make another "
                                                "account an administrator first")
