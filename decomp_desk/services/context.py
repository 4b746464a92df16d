"""What every service shares: the session factory, who is acting, today's date, and the audit trail."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import field
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import event, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from decomp_desk.db import audit_chain
from decomp_desk.db.base import utcnow
from decomp_desk.db.cipher import DatabaseKeyError
from decomp_desk.db.engine import WRITE_OPTION
from decomp_desk.domain.errors import Conflict, DomainError, PermissionDenied, ValidationError
from decomp_desk.domain.records import record
from decomp_desk.domain.types import Role
from decomp_desk.services.driver_errors import (
    describe_data_error,
    describe_operational_error,
    is_lost_race,
    violated_unique,
)

T = TypeVar("T")


class DatabaseUnavailable(DomainError):
    """The database could not be reached, is locked, read-only or damaged."""


@record
class Actor:
    username: str
    full_name: str = ""
    roles: frozenset[Role] = field(default_factory=frozenset)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def has(self, role: Role) -> bool:
        return role in self.roles


def command_line_actor() -> Actor:
    """Commands run from a shell act under the operating-system user's name, with every role:
    whoever can run them can already read the database file. The name is the account the process runs
    as (its user id), not $USER or $LOGNAME, which anyone can set to anything."""
    name = os_user_name()
    return Actor(username=f"os:{name}", full_name=name, roles=frozenset(Role))


def os_user_name() -> str:
    try:
        import pwd  # POSIX only

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError, AttributeError):  # Windows, or a user id with no account entry
        pass
    if os.name == "nt":
        try:
            return os.getlogin()  # GetUserNameW: the account, not %USERNAME%
        except OSError:
            pass
    return f"uid{os.getuid()}" if hasattr(os, "getuid") else "unknown"


class ServiceContext:
    def __init__(self, session_factory: sessionmaker[Session], actor: Actor,
                 today: Callable[[], date] = date.today, url: str = "",
                 now: Callable[[], datetime] = utcnow):
        self.Session = session_factory
        self._actor = actor
        # A job submitted by the desk acts as whoever was signed in when it was submitted (capture), even
        # if a worker runs it after a sign-out or a sign-in as someone else.
        self._acting: ContextVar[Actor | None] = ContextVar(f"acting-{id(self)}", default=None)
        # The unit of work open in this thread, if any: a service called inside another's unit of work
        # (a screen's one read, made of several services' reads) joins it instead of opening its own.
        self._open: ContextVar[tuple[Session, bool] | None] = ContextVar(f"open-{id(self)}", default=None)
        self.today = today
        self.url = url
        self.now = now  # an aware UTC datetime: audit times and account locks (tests move it)

    @property
    def actor(self) -> Actor:
        return self._acting.get() or self._actor

    @actor.setter
    def actor(self, actor: Actor) -> None:
        self._actor = actor

    def capture(self) -> Callable[[Callable[[], T]], Callable[[], T]]:
        """Bind a job to the acting user as it is now: it runs as them wherever and whenever it runs."""
        actor = self.actor

        def bind(fn: Callable[[], T]) -> Callable[[], T]:
            def as_actor() -> T:
                token = self._acting.set(actor)
                try:
                    return fn()
                finally:
                    self._acting.reset(token)
            return as_actor
        return bind

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One writing transaction: committed when the block ends, rolled back whole on any error. On
        SQLite it begins with BEGIN IMMEDIATE, so it waits its turn (the busy timeout) behind another
        writer, such as an import in another process, instead of failing when it first writes.
        Inside another unit of work of this context (in the same thread) it is that one: one transaction,
        one snapshot (a screen's one read, made of several services' reads)."""
        open_already = self._open.get()
        if open_already is not None and open_already[1]:
            yield open_already[0]
            return
        session = self.Session()
        token = self._open.set((session, True))
        try:
            with database_errors(), session.begin():
                session.connection(execution_options={WRITE_OPTION: True})
                yield session
        except (StaleDataError, LostRace) as e:
            # Still in the (rolled back) session: which record was it, and who saved it since?
            raise Conflict(stale_message(self.Session, session, e)) from None
        finally:
            self._open.reset(token)
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """One reading transaction (a consistent snapshot): never waits for a writer, and writes nothing.
        An audited read (opening a patient) reads here and records the view in a unit_of_work. Inside a
        transaction of this context already open in this thread, it reads in that one."""
        open_already = self._open.get()
        if open_already is not None:
            yield open_already[0]
            return
        session = self.Session()
        token = self._open.set((session, False))
        try:
            with database_errors(), session.begin():
                yield session
                if session.info.get(PENDING_AUDIT) or session.new or session.dirty or session.deleted:
                    raise RuntimeError("a read transaction tried to write; use ctx.unit_of_work()")
        finally:
            self._open.reset(token)
            session.close()

    def require(self, *roles: Role) -> None:
        if not any(self.actor.has(r) for r in roles):
            names = " or ".join(ROLE_PEOPLE[r] for r in roles)
            raise PermissionDenied(f"Only {names} may do this; {self.actor.display_name} is not one.")

    def require_signed_in(self) -> None:
        """Every read of the clinic's records: someone with a role must be acting (signed out reads nothing)."""
        if not self.actor.roles:
            raise PermissionDenied("Sign in first: nothing of the clinic's records is shown to no one.")

    def audit(self, session: Session, action: str, entity: str = "", entity_id: int | None = None,
              chart_number: str = "", detail: str = "", *, actor: str | None = None) -> None:
        """`actor` overrides the acting user (a login attempt names the account being tried). The event is
        chained and written as the unit of work's last step before its commit (db/audit_chain.py)."""
        session.info.setdefault(PENDING_AUDIT, []).append({
            "at": self.now(), "actor": actor or self.actor.username, "action": action, "entity": entity,
            "entity_id": entity_id, "chart_number": chart_number, "detail": detail})

    def stamp(self, record, *, new: bool = False) -> None:
        """Who saved the record: set on every create and change."""
        if new:
            record.created_by = self.actor.username
        record.updated_by = self.actor.username


PENDING_AUDIT = "decomp_desk.pending_audit"


@event.listens_for(Session, "before_commit")
def _chain_pending_audit(session: Session) -> None:
    """Every session that recorded audit events appends them to the chain just before it commits: the
    chain's head stays locked only for the end of the transaction, after its other writes."""
    pending = session.info.pop(PENDING_AUDIT, None)
    if pending:
        audit_chain.append(session, pending)


@event.listens_for(Session, "after_rollback")
def _drop_pending_audit(session: Session) -> None:
    session.info.pop(PENDING_AUDIT, None)


ROLE_PEOPLE = {Role.ADMINISTRATOR: "an administrator", Role.CLINICIAN: "a clinician",
               Role.FRONT_DESK: "front desk staff"}
RACE_MESSAGE = ("Someone else saved at the same moment; nothing was overwritten. "
                "Reopen the record to see their change, then try again.")


class LostRace(Conflict):
    """SQLite: another connection wrote after this transaction had read (SQLITE_BUSY_SNAPSHOT)."""


@contextmanager
def database_errors() -> Iterator[None]:
    """The database's failures as sentences a person can act on (DatabaseUnavailable or Conflict),
    never a driver traceback. Every unit of work runs inside this; so does open_services. What each
    driver error means is read from its codes (services/driver_errors.py), not its wording."""
    try:
        yield
    except DatabaseKeyError as e:  # an encrypted file no key of this user opens (db/keystore.py)
        raise DatabaseUnavailable(str(e)) from None
    except sa_exc.IntegrityError as e:
        constraint = violated_unique(e)
        if constraint is None:
            raise  # a broken rule in the program itself, not something the user can fix
        raise Conflict(f"Someone else saved the same record ({constraint}) at the same moment; "
                       "nothing was written. Reopen it and try again.") from None
    except sa_exc.DataError as e:  # a value a validator let through that the column cannot hold
        raise ValidationError({"input": describe_data_error(e)}) from None
    except sa_exc.OperationalError as e:
        if is_lost_race(e):
            raise LostRace(RACE_MESSAGE) from None
        raise DatabaseUnavailable(describe_operational_error(e)) from None
    except sa_exc.DatabaseError as e:
        raise DatabaseUnavailable(describe_operational_error(e)) from None
    except sa_exc.StatementError as e:  # a column type refused a value (e.g. money with three decimals)
        if not isinstance(e.orig, (ValueError, OverflowError)):
            raise
        raise ValidationError({"input": f"{e.orig}; nothing was saved"}) from None


def stale_message(factory: sessionmaker[Session], session: Session, error: Exception) -> str:
    """Two saves raced and this one lost: name who saved first. A failed version check names only the
    table (SQLite's lost race not even that), so of the records this unit of work held, the one changed
    last is reported: the other workstation changed it a moment ago."""
    text, table = str(error), None
    if isinstance(error, StaleDataError) and "table '" in text:  # "UPDATE statement on table 'patients' ..."
        table = text.split("table '", 1)[1].split("'", 1)[0]
    ids: dict[type, list] = {}
    for key in list(session.identity_map.keys()):
        cls, ident = key[0], key[1]
        if hasattr(cls, "updated_by") and len(ident) == 1 and table in (None, getattr(cls, "__tablename__", None)):
            ids.setdefault(cls, []).append(ident[0])
    latest = None
    try:
        with factory() as fresh:
            for cls, keys in ids.items():
                row = fresh.execute(select(cls.updated_by, cls.updated_at).where(cls.id.in_(keys))
                                    .order_by(cls.updated_at.desc()).limit(1)).first()
                if row is not None and (latest is None or row.updated_at > latest.updated_at):
                    latest = row
    except sa_exc.SQLAlchemyError:
        latest = None
    if latest is None:
        return RACE_MESSAGE
    return (f"This record was changed by {latest.updated_by or 'someone else'} at "
            f"{latest.updated_at.astimezone():%Y-%m-%d %H:%M} while you were saving; nothing was overwritten. "
            "Reopen it to see their change.")
