"""What every service shares: the session factory, who is acting, today's date, and the audit trail."""
from __future__ import annotations

import getpass
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterator

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from decomp_desk.db.models import AuditEvent
from decomp_desk.domain.errors import Conflict, DomainError, PermissionDenied
from decomp_desk.domain.types import Role


class DatabaseUnavailable(DomainError):
    """The database could not be reached, is locked, read-only or damaged."""


@dataclass(frozen=True)
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
    whoever can run them can already read the database file."""
    try:
        name = getpass.getuser()
    except Exception:  # no login name (some containers)
        name = "unknown"
    return Actor(username=f"os:{name}", full_name=name, roles=frozenset(Role))


class ServiceContext:
    def __init__(self, session_factory: sessionmaker[Session], actor: Actor,
                 today: Callable[[], date] = date.today, url: str = ""):
        self.Session = session_factory
        self.actor = actor
        self.today = today
        self.url = url

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back whole on any error."""
        try:
            with self.Session.begin() as session:
                yield session
        except StaleDataError:
            raise Conflict("Someone else saved this record after you opened it; nothing was overwritten. "
                           "Reopen it to see their change.") from None
        except sa_exc.OperationalError as e:
            raise DatabaseUnavailable(describe_operational_error(e)) from None
        except sa_exc.DatabaseError as e:
            if isinstance(e, sa_exc.IntegrityError):
                raise
            raise DatabaseUnavailable(describe_operational_error(e)) from None

    def require(self, *roles: Role) -> None:
        if not any(self.actor.has(r) for r in roles):
            names = " or ".join(r.label.lower() for r in roles)
            raise PermissionDenied(f"Only a {names} may do this; {self.actor.display_name} is not one.")

    def audit(self, session: Session, action: str, entity: str = "", entity_id: int | None = None,
              chart_number: str = "", detail: str = "") -> None:
        session.add(AuditEvent(actor=self.actor.username, action=action, entity=entity,
                               entity_id=entity_id, chart_number=chart_number, detail=detail))

    def stamp(self, record, *, new: bool = False) -> None:
        """Who saved the record: set on every create and change."""
        if new:
            record.created_by = self.actor.username
        record.updated_by = self.actor.username


def describe_operational_error(e: Exception) -> str:
    text = str(getattr(e, "orig", e)).lower()
    if "locked" in text or "busy" in text:
        return "The database is busy (another workstation is saving); try again in a moment."
    if "readonly" in text or "read-only" in text:
        return "The database file is read-only; ask whoever manages this computer to allow writing to it."
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return "The database file is damaged. Restore the newest backup (File > Restore, or decomp-desk restore)."
    if "unable to open" in text:
        return "The database file cannot be opened: its folder is missing or not writable."
    if "connection" in text or "could not" in text or "server" in text or "timeout" in text:
        return "The database server cannot be reached; check the network and that the server is running."
    return f"The database reported an error: {getattr(e, 'orig', e)}"
